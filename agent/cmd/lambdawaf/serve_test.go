package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeUsageErrors(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"serve"}, 2, "usage: lambdawaf serve"},
		{[]string{"serve", "-function", "x", "-trigger", "graphql"}, 2, "unknown trigger shape"},
		{[]string{"serve", "-function", "x", "-env", "NOEQUALS"}, 2, "is not KEY=VALUE"},
		{[]string{"serve", "-function", "x", "-stream"}, 1, "-stream needs -trigger url"},
		{[]string{"serve", "-function", "x", "-mode", "panic"}, 1, "is not block, log or off"},
		{[]string{"serve", "-function", "x", "-addr", "0.0.0.0:0", "-no-agent"}, 1, "not a loopback address"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d stderr %q", tt.args, code, stderr)
		}
	}
}

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

// TestServeRunsAFunction builds the serve test handler and the agent, serves
// them on a free port and makes a request through the real endpoint.
func TestServeRunsAFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-function", "../../../tests/serve/handler",
			"-agent", "../lambdawaf-extension", "-trigger", "rest", "-quiet"}, &stdout, &stderr)
	}()
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var base string
	for deadline := time.Now().Add(90 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		base = url.FindString(stderr.String())
		select {
		case code := <-done:
			t.Fatalf("serve exited %d early\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		default:
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve printed no URL\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	resp, err := http.Get(base + "/hello?name=world")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"resource":"/{proxy+}"`) || !strings.Contains(string(body), `"name":"world"`) {
		t.Errorf("status %d body %.300s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
}

func TestBypassAlarm(t *testing.T) {
	var logs, alarm bytes.Buffer
	b := &bypassAlarm{next: &logs, alarm: &alarm}
	line := `{"level":"warn","message":"LAMBDAWAF IS BEING BYPASSED: an invocation reached the function"}` + "\n"
	// Split across writes, as log pumps may deliver it.
	b.Write([]byte("ordinary line\n" + line[:20]))
	b.Write([]byte(line[20:]))
	b.Write([]byte(line))
	if n := strings.Count(alarm.String(), "UNPROTECTED"); n != 1 {
		t.Errorf("alarm raised %d times: %q", n, alarm.String())
	}
	if logs.String() != "ordinary line\n"+line+line {
		t.Errorf("log output altered: %q", logs.String())
	}
}
