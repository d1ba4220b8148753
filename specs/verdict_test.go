package specs_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/report"
)

// noAnswer is a transport that never gets an answer.
type noAnswer struct{}

func (noAnswer) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused (on purpose)")
}

const noAnswerName = "couchdb that never answers"

// registerNoAnswer registers a target whose requests get no answer, so
// that its fixtures end as errors. It returns the check that they did.
func registerNoAnswer(t *testing.T) func(report.Summary) {
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.CouchDB})
	if err != nil {
		t.Fatal(err)
	}
	specs.Register(specs.Target{Name: noAnswerName, BaseURL: "http://fake.test", Flavor: "couchdb",
		Client:  &http.Client{Transport: noAnswer{}},
		States:  specs.StateFuncs{EnterFunc: fake.EnterState, AdvanceFunc: fake.Advance},
		Include: func(id string) bool { return id == "couchdb/get-session" }})
	return func(s report.Summary) {
		for _, r := range s.Results {
			if r.Target == noAnswerName && (r.Outcome != report.Error || !strings.Contains(r.Reason, "no answer")) {
				t.Errorf("%s: %s is %s (%s), want an error with no answer", noAnswerName, r.ID, r.Outcome, r.Reason)
			}
		}
	}
}

// checkGinkgoAgrees: every fixture's Ginkgo spec ends as its result does
// (a failure or an error fails the spec, a skip skips it, a pass or known
// deviation passes it), and each failing spec is located in its fixture's
// file, its failure message naming that file and a line of it.
func checkGinkgoAgrees(t *testing.T, s report.Summary, r types.Report) {
	t.Helper()
	results := map[string]report.Result{}
	for _, res := range s.Results {
		results[res.Target+"\x00"+res.ID] = res
	}
	errored := 0
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt || len(sr.ContainerHierarchyTexts) == 0 {
			continue
		}
		res, ok := results[sr.ContainerHierarchyTexts[len(sr.ContainerHierarchyTexts)-1]+"\x00"+sr.LeafNodeText]
		if !ok || res.Outcome == report.Disabled {
			continue
		}
		var want types.SpecState
		switch res.Outcome {
		case report.Failed, report.Error:
			want = types.SpecStateFailed
		case report.Skipped:
			want = types.SpecStateSkipped
		default:
			want = types.SpecStatePassed
		}
		// A failed cleanup (AfterAll) can only fail the target's last spec;
		// the summary carries it as its own cleanup result.
		_, cleanupFailed := results[res.Target+"\x00"+report.CleanupID]
		fromCleanup := cleanupFailed && sr.State == types.SpecStateFailed && sr.Failure.FailureNodeType == types.NodeTypeAfterAll
		if sr.State != want && !fromCleanup {
			t.Errorf("%s on %s: result %s, but its Ginkgo spec %s", res.ID, res.Target, res.Outcome, sr.State)
		}
		if fromCleanup {
			continue
		}
		if res.Outcome == report.Error && res.ID != report.SetupID {
			errored++
		}
		if want == types.SpecStateFailed && res.ID != report.SetupID {
			file := filepath.ToSlash(sr.LeafNodeLocation.FileName)
			if !strings.HasSuffix(file, "fixtures/"+res.ID+".yaml") || sr.LeafNodeLocation.LineNumber < 1 {
				t.Errorf("%s on %s: its spec is located at %s, want its fixture file", res.ID, res.Target, sr.LeafNodeLocation)
			}
			if !strings.Contains(filepath.ToSlash(sr.Failure.Message), "fixtures/"+res.ID+".yaml:") {
				t.Errorf("%s on %s: the failure %q does not name its fixture file and line", res.ID, res.Target, sr.Failure.Message)
			}
		}
	}
	if errored == 0 {
		t.Error("no fixture ended as an error: the check above proved nothing for errors")
	}
}
