// Package specs turns the fixtures into Ginkgo specs and runs them against a
// Target: the bundled fake, or any server reachable over HTTP.
//
// From another project's go test:
//
//	var _ = specs.Register(specs.Target{
//		BaseURL: "http://127.0.0.1:7474",
//		Flavor:  "neo4j-3.3",
//		States:  specs.ControlPlane("http://127.0.0.1:7474", nil),
//	})
//
//	func TestConformance(t *testing.T) {
//		gomega.RegisterFailHandler(ginkgo.Fail)
//		ginkgo.RunSpecs(t, "conformance")
//	}
//
// Every fixture becomes an Ordered container named by its id, with one spec
// per step; labels carry the flavor, the kind and the state. Summarize turns
// Ginkgo's report into one outcome per fixture.
package specs
