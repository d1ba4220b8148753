// Command servebench is `make bench`'s comparison of `authconform serve`
// with a bare net/http server, both run as processes the way users run
// serve (request log on, to a file), and driven by this one load client
// in interleaved rounds.
//
// For every authentication path it starts serve, sends the path's request
// once to learn the reply, and starts a bare server (this program, run as
// "servebench bare") that reads the body and writes that same status,
// Content-Type and body. Then, for each client count, it runs rounds: the
// bare server and serve take turns (the order swaps every round), each
// warmed up and then driven for -duration. It prints the median req/s of
// each side, the median of the per-round ratios serve/bare, and the CPU
// time each server process spent per request (from /proc, on Linux),
// which other load on the machine disturbs less than throughput.
//
// Usage:
//
//	go run ./internal/servebench [-rounds 3] [-duration 2s] [-clients 16,1] [-serve bin/authconform]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		if err := runBare(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "servebench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "servebench:", err)
		os.Exit(1)
	}
}

type config struct {
	rounds   int
	duration time.Duration
	warmup   time.Duration
	clients  []int
	serveBin string
	only     string
	// realCouchDB, when set, is a real CouchDB (admin/secret) that serve's
	// CouchDB Basic row is also compared with.
	realCouchDB string
}

func parseFlags() (config, error) {
	var c config
	var clients string
	flag.IntVar(&c.rounds, "rounds", 3, "rounds per path and client count (the median is shown)")
	flag.DurationVar(&c.duration, "duration", 2*time.Second, "how long each side is driven per round")
	flag.DurationVar(&c.warmup, "warmup", 300*time.Millisecond, "untimed load before each timed run")
	flag.StringVar(&clients, "clients", "16,1", "concurrent keep-alive clients, comma-separated")
	flag.StringVar(&c.serveBin, "serve", "", "authconform binary to run (default: build ./cmd/authconform)")
	flag.StringVar(&c.only, "only", "", "run only the paths whose name contains this")
	flag.StringVar(&c.realCouchDB, "real-couchdb", "", "also compare serve's CouchDB Basic row with a real CouchDB at this URL (admin/secret)")
	flag.Parse()
	for _, s := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return c, fmt.Errorf("-clients %q: want positive numbers", clients)
		}
		c.clients = append(c.clients, n)
	}
	if c.rounds < 1 || c.duration <= 0 {
		return c, errors.New("-rounds and -duration must be positive")
	}
	return c, nil
}

func run() error {
	cfg, err := parseFlags()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "servebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if cfg.serveBin == "" {
		cfg.serveBin = filepath.Join(tmp, "authconform")
		build := exec.Command("go", "build", "-o", cfg.serveBin, "./cmd/authconform")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/authconform: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("servebench: %s, %d rounds of %v per side, load average before: %s\n", machine(), cfg.rounds, cfg.duration, loadAverage())
	fmt.Println()
	fmt.Println("| path | clients | bare req/s | serve req/s | serve / bare | bare CPU µs/req | serve CPU µs/req |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, p := range authPaths {
		if cfg.only != "" && !strings.Contains(p.name, cfg.only) {
			continue
		}
		if err := benchPath(cfg, p, bareYardstick(self, tmp)); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	if cfg.realCouchDB != "" {
		fmt.Println()
		fmt.Println("| path | clients | real CouchDB req/s | serve req/s | serve / real | real CPU µs/req | serve CPU µs/req |")
		fmt.Println("|---|---|---|---|---|---|---|")
		realServer := func(authPath, int, string, []byte) (*server, error) {
			return &server{name: "real CouchDB", url: strings.TrimSuffix(cfg.realCouchDB, "/")}, nil
		}
		if err := benchPath(cfg, authPaths[0], realServer); err != nil {
			return fmt.Errorf("%s against %s: %w", authPaths[0].name, cfg.realCouchDB, err)
		}
	}
	fmt.Println()
	fmt.Printf("servebench: load average after: %s\n", loadAverage())
	return nil
}

// side is one server's figures over the rounds.
type side struct {
	rps, cpuPerReq []float64
}

// yardstick starts (or names) the server serve is compared with, given
// serve's reply to the path's request.
type yardstick func(p authPath, status int, contentType string, body []byte) (*server, error)

// bareYardstick starts this program as the bare server, writing the reply.
func bareYardstick(self, tmp string) yardstick {
	return func(_ authPath, status int, contentType string, body []byte) (*server, error) {
		bodyFile := filepath.Join(tmp, "reply")
		if err := os.WriteFile(bodyFile, body, 0o600); err != nil {
			return nil, err
		}
		return startProcess("bare", self, []string{"bare", strconv.Itoa(status), contentType, bodyFile}, os.Stderr)
	}
}

func benchPath(cfg config, p authPath, startYardstick yardstick) error {
	logFile, err := os.CreateTemp("", "servebench-serve-log")
	if err != nil {
		return err
	}
	defer os.Remove(logFile.Name())
	defer logFile.Close()
	serve, err := startProcess("serve", cfg.serveBin, append([]string{"serve", "--addr", "127.0.0.1:0"}, p.serveArgs...), logFile)
	if err != nil {
		return err
	}
	defer serve.stop()
	var extra map[string]string
	if p.login != nil {
		if extra, err = p.login(serve.url); err != nil {
			return err
		}
	}
	status, contentType, body, err := reply(p, serve.url, extra)
	if err != nil {
		return err
	}
	other, err := startYardstick(p, status, contentType, body)
	if err != nil {
		return err
	}
	defer other.stop()
	for _, clients := range cfg.clients {
		sides := map[*server]*side{serve: {}, other: {}}
		loads := map[*server]*load{serve: newLoad(p, serve.url, extra, clients), other: newLoad(p, other.url, extra, clients)}
		var ratios []float64
		for round := range cfg.rounds {
			order := []*server{other, serve}
			if round%2 == 1 {
				order = []*server{serve, other}
			}
			rps := map[*server]float64{}
			for _, s := range order {
				if _, err := loads[s].run(cfg.warmup); err != nil {
					return fmt.Errorf("%s: %w", s.name, err)
				}
				cpu0, cpuOK := s.cpuTime()
				start := time.Now()
				n, err := loads[s].run(cfg.duration)
				elapsed := time.Since(start)
				cpu1, _ := s.cpuTime()
				if err != nil {
					return fmt.Errorf("%s: %w", s.name, err)
				}
				rps[s] = float64(n) / elapsed.Seconds()
				sides[s].rps = append(sides[s].rps, rps[s])
				if cpuOK && n > 0 {
					sides[s].cpuPerReq = append(sides[s].cpuPerReq, float64((cpu1-cpu0).Microseconds())/float64(n))
				}
			}
			ratios = append(ratios, rps[serve]/rps[other])
		}
		loads[serve].close()
		loads[other].close()
		fmt.Printf("| %s | %d | %.0f | %.0f | %.2fx | %s | %s |\n", p.name, clients,
			median(sides[other].rps), median(sides[serve].rps), median(ratios),
			perReq(sides[other].cpuPerReq), perReq(sides[serve].cpuPerReq))
	}
	return nil
}

// reply is serve's answer to one request of p: what the bare server
// will send back.
func reply(p authPath, base string, extra map[string]string) (int, string, []byte, error) {
	l := newLoad(p, base, extra, 1)
	defer l.close()
	req, err := p.request(base, extra)
	if err != nil {
		return 0, "", nil, err
	}
	resp, err := l.clients[0].Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", nil, err
	}
	if resp.StatusCode != p.want {
		return 0, "", nil, fmt.Errorf("serve answered %d, want %d: %s", resp.StatusCode, p.want, body)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func perReq(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", median(xs))
}

// machine names the CPU and core count, for the table's caption.
func machine() string {
	model := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s", model, runtime.NumCPU(), runtime.Version())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}
