package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
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

// TestServeRunsAFunction builds the serve test handler (a Go package that
// calls redirect.Start), serves it behind the agent and makes a request
// through the real endpoint.
func TestServeRunsAFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	s := startServe(t, "-function", "../../../tests/serve/handler", "-agent", agentBinary(t), "-trigger", "rest", "-quiet")
	resp, err := http.Get(s.base + "/hello?name=world")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"resource":"/{proxy+}"`) || !strings.Contains(string(body), `"name":"world"`) {
		t.Errorf("status %d body %.300s", resp.StatusCode, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d\nstderr:\n%s", code, s.stderr)
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
