package specs_test

import (
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// misuse is a Register call that cannot run fixtures: it must give one
// setup error naming the mistake, not a silent empty run.
type misuse struct {
	target specs.Target
	reason string
}

// registerMisuse registers a target of an unknown flavor, one without a
// BaseURL, and a second target under a name already taken. It returns the
// check to make on the run's summary.
func registerMisuse(t *testing.T) func(report.Summary) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	dup := specs.Target{Name: "registered twice", BaseURL: "http://fake.test", Flavor: "couchdb", Client: specs.InProcessClient(fake),
		States:  specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
		Include: func(id string) bool { return id == "couchdb/get-session" }}
	cases := []misuse{
		{specs.Target{Name: "unknown flavor", BaseURL: "http://fake.test", Flavor: "mysql"}, `unknown flavor "mysql"`},
		{specs.Target{Name: "no base URL", Flavor: "couchdb"}, "BaseURL is empty"},
		{dup, "registered twice"},
	}
	specs.Register(dup)
	for _, c := range cases {
		specs.Register(c.target)
	}
	return func(s report.Summary) {
		for _, c := range cases {
			got := resultsWhere(s, func(r report.Result) bool { return r.Target == c.target.Name && r.ID == report.SetupID })
			if len(got) != 1 || got[0].Outcome != report.Error || !strings.Contains(got[0].Reason, c.reason) {
				t.Errorf("%s: setup results %+v, want one error naming %q", c.target.Name, got, c.reason)
			}
		}
		passed := resultsWhere(s, func(r report.Result) bool {
			return r.Target == dup.Name && r.ID == "couchdb/get-session" && r.Outcome == report.Passed
		})
		if len(passed) != 1 {
			t.Errorf("the first target named %q ran its fixture %d times, want once", dup.Name, len(passed))
		}
	}
}
