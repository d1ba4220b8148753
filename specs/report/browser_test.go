package report

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package installs the browser
// (.ci/chromium.sh installs it in CI).
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on the page with args and returns its
// standard output. The flags keep it off the network and out of $HOME.
func chromium(t *testing.T, page string, args ...string) []byte {
	t.Helper()
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}, args...)
	cmd := exec.CommandContext(ctx, chromiumPath, append(all, page)...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

func writePage(t *testing.T, s Summary) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	if err := HTML(&b, s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: path}).String()
}

var (
	countSpan  = regexp.MustCompile(`<span class="count" data-outcome="([a-z-]+)">(\d*)</span>`)
	rowTag     = regexp.MustCompile(`<details class="fixture [^"]*"[^>]*>`)
	attr       = func(name string) *regexp.Regexp { return regexp.MustCompile(` ` + name + `="([^"]*)"`) }
	dataID     = attr("data-id")
	dataOut    = attr("data-outcome")
	dataFlavor = attr("data-flavor")
	hiddenAttr = regexp.MustCompile(` hidden(="")?[ >]`)
	shownAttr  = regexp.MustCompile(`id="shown" data-shown="(\d+)"`)
)

// TestHTMLInChromium loads the report in a real browser: the page's script
// must count every outcome as Totals does, from the data embedded in the
// page, show every fixture, and filter by the address.
func TestHTMLInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("no " + chromiumPath + " (apt-get install chromium, or run .ci/chromium.sh): HTML report not tested in a browser")
	}
	s := sample()
	tot := Count(s)
	page := writePage(t, s)

	dom := string(chromium(t, page, "--dump-dom"))
	if !bytes.Contains([]byte(dom), []byte(`data-rendered="true"`)) {
		t.Fatalf("the page's script did not finish:\n%s", dom)
	}
	counts := map[string]string{}
	for _, m := range countSpan.FindAllStringSubmatch(dom, -1) {
		counts[m[1]] = m[2]
	}
	for _, o := range outcomeOrder {
		if counts[o.String()] != strconv.Itoa(tot.Of(o)) {
			t.Errorf("page counts %q %s, Totals %d", counts[o.String()], o, tot.Of(o))
		}
	}
	ids := map[string]bool{}
	for _, tag := range rowTag.FindAllString(dom, -1) {
		ids[dataID.FindStringSubmatch(tag)[1]] = true
	}
	for _, r := range s.Results {
		if !ids[r.ID] {
			t.Errorf("fixture %s not on the page", r.ID)
		}
	}
	if m := shownAttr.FindStringSubmatch(dom); m == nil || m[1] != strconv.Itoa(tot.All()) {
		t.Errorf("page shows %v fixtures, want all %d", m, tot.All())
	}

	// Filters from the address: outcomes failed or error, of one flavor.
	chosen := func(outcome, flavor string) bool {
		return (outcome == "failed" || outcome == "error") && flavor == "neo4j-query"
	}
	want := 0
	for _, r := range s.Results {
		if chosen(r.Outcome.String(), r.Flavor) {
			want++
		}
	}
	filtered := string(chromium(t, page+"#outcome=failed,error&flavor=neo4j-query", "--dump-dom"))
	if m := shownAttr.FindStringSubmatch(filtered); m == nil || m[1] != strconv.Itoa(want) || want == 0 {
		t.Errorf("filtered page shows %v fixtures, want %d", m, want)
	}
	for _, tag := range rowTag.FindAllString(filtered, -1) {
		in := chosen(dataOut.FindStringSubmatch(tag)[1], dataFlavor.FindStringSubmatch(tag)[1])
		if hidden := hiddenAttr.MatchString(tag); hidden == in {
			t.Errorf("filter: row %s hidden=%v", tag, hidden)
		}
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	chromium(t, page, "--screenshot="+shot, "--window-size=1400,1400", "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 1400 {
		t.Errorf("screenshot is %v, want 1400x1400", b)
	}
	t.Logf("screenshot: %s", shot)
	if keep := os.Getenv("REPORT_SCREENSHOT"); keep != "" {
		copyFile(t, shot, keep)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
