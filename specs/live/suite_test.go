package live_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
	"github.com/authconform/authconform/specs/live"
	"github.com/authconform/authconform/specs/report"
)

// judgedBelow stands in for testing.T in RunSpecs: a fixture fails on
// purpose here, so every result is judged from the summary.
type judgedBelow struct{}

func (judgedBelow) Fail() {}

// liveLiarName is a live target whose GET /user/{name} hides the password
// change that its data endpoint still forces.
const liveLiarName = "neo4j-3.3 live, the user status hides a required change"

// TestLiveStatesJudgeByBehaviour runs the Neo4j 3.3 fixtures through live
// States against a fake whose user status says no change is pending while
// the data endpoint still forces one. The States decide the state by
// behaviour, so the user-status fixture must fail, not be skipped.
func TestLiveStatesJudgeByBehaviour(t *testing.T) {
	RegisterFailHandler(Fail)
	fake, err := fakeserver.New(fakeserver.Options{Flavor: fakeserver.Neo4j33})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(replacingBody(fake, `("password_change_required"\s*:\s*)true`, "${1}false"))
	t.Cleanup(srv.Close)
	specs.Register(specs.Target{
		Name: liveLiarName, BaseURL: srv.URL, Flavor: string(fakeserver.Neo4j33),
		States: live.NewStates("neo4j-3.3", srv.URL, live.Credentials{User: "neo4j", Password: "neo4j"}, nil),
	})
	var summary report.Summary
	ReportAfterSuite("summary", func(r types.Report) { summary = specs.Summarize(r) })
	suiteConfig, reporterConfig := GinkgoConfiguration()
	reporterConfig.Succinct = true
	RunSpecs(judgedBelow{}, "live states against a lying fake", suiteConfig, reporterConfig)
	want := map[string]report.Outcome{
		"neo4j-3.3/user-status-first-access":         report.Failed,
		"neo4j-3.3/required-password-change":         report.Passed,
		"neo4j-3.3/password-change-url-follows-host": report.Passed,
	}
	seen := 0
	for _, r := range summary.Results {
		if w, ok := want[r.ID]; ok && r.Target == liveLiarName {
			seen++
			if r.Outcome != w {
				t.Errorf("%s: %s is %s (%s), want %s", liveLiarName, r.ID, r.Outcome, r.Reason, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%s: %d of the %d fixtures ran", liveLiarName, seen, len(want))
	}
}

// replacingBody serves h with every match of pattern in its bodies
// replaced by to.
func replacingBody(h http.Handler, pattern, to string) http.Handler {
	re := regexp.MustCompile(pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := re.ReplaceAll(rec.Body.Bytes(), []byte(to))
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}
