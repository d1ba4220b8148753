package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/authconform/authconform/fakeserver"
)

// newFake is a fake for o.
func newFake(t *testing.T, o fakeserver.Options) *fakeserver.Fake {
	t.Helper()
	fake, err := fakeserver.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return fake
}

// startFake serves a fake for o on a loopback port until the test ends.
func startFake(t *testing.T, o fakeserver.Options) *fakeserver.Server {
	t.Helper()
	srv, err := fakeserver.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// startUntil starts cmd and waits, a minute at most, for reached; past
// that it kills cmd and fails with what did not happen and cmd's output,
// out, read once cmd has ended.
func startUntil(t *testing.T, cmd *exec.Cmd, reached <-chan struct{}, out fmt.Stringer, what string) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("%s:\n%s", what, out.String())
	}
}

// outputAndReports is what a run that must succeed printed and wrote to
// the reports r.json, r.xml and r.md in dir.
func outputAndReports(t *testing.T, r result, dir string) string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	everything := r.stdout + r.stderr
	for _, f := range []string{"r.json", "r.xml", "r.md"} {
		data, err := os.ReadFile(dir + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		everything += string(data)
	}
	return everything
}

// stopWith sends sig to the started cmd and waits, a minute at most, for
// it to end, returning how it ended (cmd.Wait's error); past that it kills
// cmd and fails with its output, out.
func stopWith(t *testing.T, cmd *exec.Cmd, sig os.Signal, out fmt.Stringer) error {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the process did not stop after %s:\n%s", sig, out.String())
		return nil
	}
}

// reportedResult is a result of a JSON report, by fixture id.
type reportedResult struct{ ID, Outcome string }

// reportedResults reads the results of the JSON report at path.
func reportedResults(t *testing.T, path string) []reportedResult {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var report struct{ Results []reportedResult }
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	return report.Results
}

// liveDatabases are the databases a live CouchDB run needs by default
// (--database private, --document db/document), then extra.
func liveDatabases(extra ...fakeserver.Database) []fakeserver.Database {
	return append([]fakeserver.Database{{Name: "private"}, {Name: "db", Public: true, Docs: map[string]string{"document": `{"x":1}`}}}, extra...)
}

// httpGet sends GET u with the header name and value pairs and returns the
// answer's status and body.
func httpGet(t *testing.T, u string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// adminGet is httpGet as the fakes' default CouchDB admin, admin/secret.
func adminGet(t *testing.T, u string) (int, string) {
	t.Helper()
	return httpGet(t, u, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("admin:secret")))
}
