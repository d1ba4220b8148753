package report

import "time"

// Summary is one run: what was tested, when, and one Result per fixture
// and target, in the order the engine ran them.
type Summary struct {
	// SuiteVersion is the authconform version that ran.
	SuiteVersion string `json:"suite_version"`
	// Targets are the servers the run judged.
	Targets []Target `json:"targets"`
	// Started and Finished bound the run.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Interrupted names the signal that stopped the run, if one did.
	Interrupted Signal   `json:"interrupted,omitempty"`
	Results     []Result `json:"results"`
	// Errata are the document mistakes exposed by fixtures that were not
	// switched off, each once.
	Errata []Erratum `json:"errata"`
}

// Target is one server a run judged.
type Target struct {
	// Name identifies the target in Results, such as "neo4j-query neo4j-5".
	Name   string `json:"name"`
	Flavor string `json:"flavor"`
	// URL is the base URL, without credentials; empty for an embedded fake.
	URL string `json:"url,omitempty"`
	// Profile is the fake's release profile, if the target is a fake.
	Profile string `json:"profile,omitempty"`
	// Cluster describes the nodes behind URL, where the server says.
	Cluster *Cluster `json:"cluster,omitempty"`
}

// target is the Target named name, if the summary lists it.
func (s Summary) target(name string) (Target, bool) {
	for _, t := range s.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

// Signal is the signal that interrupted a run.
type Signal string

// The signals that stop a run: Ctrl-C, kill, a closed terminal or dropped
// SSH session, Ctrl-\.
const (
	SIGINT  Signal = "SIGINT"
	SIGTERM Signal = "SIGTERM"
	SIGHUP  Signal = "SIGHUP"
	SIGQUIT Signal = "SIGQUIT"
)

// ExitCode is the shell's status for a process the signal ended (128 plus
// the signal's number): 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP,
// 131 for SIGQUIT, and 1 for any other (or none).
func (sig Signal) ExitCode() int {
	switch sig {
	case SIGINT:
		return 128 + 2
	case SIGTERM:
		return 128 + 15
	case SIGHUP:
		return 128 + 1
	case SIGQUIT:
		return 128 + 3
	}
	return ExitFailed
}

// Result is the verdict on one fixture against one target.
type Result struct {
	// Target is the Target.Name the fixture ran against.
	Target string `json:"target"`
	// ID is the fixture id, such as "neo4j-3.3/incorrect-authentication".
	ID      string `json:"id"`
	Flavor  string `json:"flavor"`
	Section string `json:"section"`
	// Kind is "documented", "derived" or "release".
	Kind    string  `json:"kind"`
	Outcome Outcome `json:"outcome"`
	// Reason says why the outcome is not a pass, in one short paragraph:
	// the skip reason, the first mismatch, the error, or the expectation.
	Reason   string   `json:"reason,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Errata are the ids of document errata this fixture exposes
	// (described in Summary.Errata).
	Errata []string `json:"errata,omitempty"`
	// Expectation is the expectation-file entry Apply applied, if any.
	Expectation *Applied `json:"expectation,omitempty"`
	// Steps are the requests made, in order; empty if none was sent.
	Steps []Step `json:"steps,omitempty"`
	// Duration is how long the fixture ran, waits included.
	Duration time.Duration `json:"duration_ns,omitempty"`
}

// Applied is an expectation-file entry that changed a Result's outcome.
type Applied struct {
	// Profile is the server or release the file describes.
	Profile  string `json:"profile"`
	Reason   string `json:"reason"`
	Evidence string `json:"evidence"`
	// Stale is true when the fixture passed although the file expects it
	// to fail: the file is out of date, and the Result failed.
	Stale bool `json:"stale"`
}

// Step is one request of a fixture and what its answer showed.
type Step struct {
	// Name is the step's name in the fixture, if it has one.
	Name   string `json:"name,omitempty"`
	Method string `json:"method"`
	// Path is the rendered request path (templates filled in).
	Path string `json:"path"`
	// Want are the accepted statuses (one unless the document leaves the
	// status open).
	Want []int `json:"want"`
	// Got is the status received; 0 when no answer came.
	Got int `json:"got"`
	// Node is the cluster node that answered, where the target says so
	// (Cluster.NodeHeader).
	Node string `json:"node,omitempty"`
	// Mismatches are the checks that did not hold, each one line.
	Mismatches []string `json:"mismatches,omitempty"`
	// Warnings are advisory checks that did not hold.
	Warnings []string `json:"warnings,omitempty"`
	// Exchange is the request sent and the answer received, credentials
	// masked.
	Exchange Exchange `json:"exchange"`
	// Example is the document's printed example for this step, if it has
	// one.
	Example *Exchange `json:"example,omitempty"`
}

// Exchange is an HTTP request and response as text (request line or
// status line, headers, body).
type Exchange struct {
	Request  string `json:"request"`
	Response string `json:"response"`
}

// Erratum is a mistake in a document, reported with its evidence.
type Erratum struct {
	ID string `json:"id"`
	// Fixture is the first fixture that exposes it.
	Fixture  string `json:"fixture"`
	Summary  string `json:"summary"`
	Evidence string `json:"evidence"`
}

// LastExchange is the last exchange of the result, and false if no request
// was sent.
func (r Result) LastExchange() (Exchange, bool) {
	if len(r.Steps) == 0 {
		return Exchange{}, false
	}
	return r.Steps[len(r.Steps)-1].Exchange, true
}

// Mismatches are the mismatches of all steps, in order, each prefixed with
// its request.
func (r Result) Mismatches() []string {
	var out []string
	for _, st := range r.Steps {
		for _, m := range st.Mismatches {
			out = append(out, st.Method+" "+st.Path+": "+m)
		}
	}
	return out
}
