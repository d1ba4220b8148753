package fakeserver

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingWriter records what reaches the underlying writer and how many
// writes it took; each write is also sent to writes, when set.
type countingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	n      int
	writes chan string
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if c.writes != nil {
		c.writes <- string(p)
	}
	return c.buf.Write(p)
}

func (c *countingWriter) snapshot() (string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String(), c.n
}

func TestRequestLogKeepsEveryLineInOrder(t *testing.T) {
	var out countingWriter
	l := NewRequestLog(&out)
	const writers, lines = 8, 500
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(l, "{\"writer\":%d,\"line\":%d,\"pad\":%q}\n", w, i, strings.Repeat("x", 64))
			}
		}()
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	text, writes := out.snapshot()
	got := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(got) != writers*lines {
		t.Fatalf("%d lines after Close, want %d", len(got), writers*lines)
	}
	next := make([]int, writers)
	for _, line := range got {
		var w, i int
		if _, err := fmt.Sscanf(line, "{\"writer\":%d,\"line\":%d,", &w, &i); err != nil || w < 0 || w >= writers {
			t.Fatalf("a broken line %q (%v)", line, err)
		}
		if i != next[w] {
			t.Fatalf("writer %d: line %d where %d was due", w, i, next[w])
		}
		next[w]++
	}
	// Batched: far fewer writes than lines (a write per 64 KiB, plus one
	// per FlushEvery the test ran).
	if writes > writers*lines/4 {
		t.Errorf("%d writes for %d lines: not batched", writes, writers*lines)
	}
}

func TestRequestLogFlushesALoneLineWithoutClose(t *testing.T) {
	out := countingWriter{writes: make(chan string, 1)}
	l := NewRequestLog(&out)
	defer l.Close()
	if _, err := l.Write([]byte("{\"status\":200}\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-out.writes:
		if got != "{\"status\":200}\n" {
			t.Errorf("flushed %q", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a lone line was not written without Close")
	}
}

func TestRequestLogWritesThroughAfterClose(t *testing.T) {
	var out countingWriter
	l := NewRequestLog(&out)
	_, _ = l.Write([]byte("before\n"))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	_, _ = l.Write([]byte("after\n"))
	if text, _ := out.snapshot(); text != "before\nafter\n" {
		t.Errorf("written %q, want both lines at once", text)
	}
}
