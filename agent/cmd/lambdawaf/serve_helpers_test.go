package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testAgent builds the production extension once per test binary.
var testAgent = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "lambdawaf-cli-test-agent-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "lambdawaf-extension")
	cmd := exec.Command("go", "build", "-o", out, "../lambdawaf-extension")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{err: err, output: string(b)}
	}
	return out, nil
})

type buildError struct {
	err    error
	output string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.output }

func agentBinary(t *testing.T) string {
	t.Helper()
	a, err := testAgent()
	if err != nil {
		t.Fatalf("build the agent: %v", err)
	}
	return a
}

// served is one `lambdawaf serve` running in-process.
type served struct {
	base           string
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan int
}

var urlPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// startServe runs serve with args on a free port and waits for its banner.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	s := &served{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), s.stdout, s.stderr)
	}()
	for deadline := time.Now().Add(90 * time.Second); s.base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		s.base = urlPattern.FindString(s.stderr.String())
		select {
		case code := <-s.done:
			cancel()
			t.Fatalf("serve exited %d early\nstdout:\n%s\nstderr:\n%s", code, s.stdout, s.stderr)
		default:
		}
	}
	if s.base == "" {
		cancel()
		t.Fatalf("serve printed no URL\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
	}
	t.Cleanup(func() {
		if code := s.stop(t); code != 0 {
			t.Errorf("serve exited %d\nstderr:\n%s", code, s.stderr)
		}
	})
	return s
}

// stop cancels serve and returns its exit status (once; later calls 0).
func (s *served) stop(t *testing.T) int {
	s.cancel()
	select {
	case code, ok := <-s.done:
		if !ok {
			return 0
		}
		close(s.done)
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after cancel")
		return -1
	}
}
