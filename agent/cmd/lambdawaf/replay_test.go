package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeReplay writes a recorded sequence: real users logging in, a
// credential-stuffing run from one address, then a scan of 404s.
func writeReplay(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	line := func(route, path, src, body string, status int) {
		method, _, _ := strings.Cut(route, " ")
		ev := map[string]any{
			"version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": "",
			"headers": map[string]string{"content-type": "application/json", "host": "api.example.com", "user-agent": "Mozilla/5.0"},
			"requestContext": map[string]any{
				"http":      map[string]string{"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": src, "userAgent": "Mozilla/5.0"},
				"requestId": "r", "routeKey": route, "stage": "$default",
			},
			"body": body, "isBase64Encoded": false,
		}
		resp := map[string]any{"statusCode": status, "body": "{}"}
		l, _ := json.Marshal(map[string]any{"at": at.Format(time.RFC3339Nano), "event": ev, "response": resp})
		b.Write(l)
		b.WriteByte('\n')
		at = at.Add(100 * time.Millisecond)
	}
	login := func(user string) string { return fmt.Sprintf(`{"username":%q,"password":"x"}`, user) }
	for i := range 5 {
		line("POST /login", "/login", fmt.Sprintf("198.51.100.%d", i+1), login(fmt.Sprintf("member%d", i)), 200)
	}
	for i := range 30 {
		line("POST /login", "/login", "203.0.113.66", login(fmt.Sprintf("victim%d", i)), 401)
	}
	for i := range 60 {
		line("GET /files/{name}", fmt.Sprintf("/files/f%d", i), "192.0.2.99", "", 404)
	}
	// A route broken by one source's orders, among real users' orders.
	for i := range 20 {
		line("POST /orders", "/orders", "192.0.2.50", `{"quantity":-1}`, 500)
		line("POST /orders", "/orders", fmt.Sprintf("198.51.100.%d", i+1), `{"quantity":1}`, 201)
	}
	p := filepath.Join(t.TempDir(), "sequence.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckReplayShowsWhenThresholdsFire(t *testing.T) {
	seq := writeReplay(t)
	code, out, errOut := runCLI(t, "check", "-config", "testdata/abuse.yaml", "-replay", seq)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		// The 20 users failed by line 25; the 21st attempt is refused.
		"line 26 +2.5s POST /login: BLOCK 429 Retry-After 900s",
		"block login stuffing count 20/20 in 10m0s",
		// 50 404s by line 85; the next request of the scanner is refused.
		"line 86 +8.5s GET /files/{name}: BLOCK 403 Retry-After 600s",
		// The ratio is judged as errors are counted: 11 errors of 21
		// requests by line 116. The next order records the crossing, and
		// the source that broke the route is refused from its next order.
		"line 117 +11.6s POST /orders: LOG",
		"log error-ratio orders-5xx count 11/10 in 1m0s",
		"line 118 +11.7s POST /orders: BLOCK 429 Retry-After 599s",
		"block error-ratio orders-5xx count 11/5 in 1m0s",
		"135 requests replayed over 13.4s: 29 blocked, 1 logged, 105 allowed",
		"error-ratio:orders-5xx:log           line 117, +11.6s; applied to 1 request",
		"error-ratio:orders-5xx:block         line 118, +11.7s; applied to 9 requests",
		"login:stuffing:block                 line 26, +2.5s; applied to 10 requests",
		"flagged:responses.scanning:block     line 86, +8.5s; applied to 10 requests",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "victim") || strings.Contains(out, "member") {
		t.Errorf("a user name in the output:\n%s", out)
	}
}

func TestCheckReplayRefusesBadLines(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"not JSON", "{\n", "sequence.jsonl:1: not a replay line"},
		{"no event", `{"at":"2026-12-06T10:00:00Z"}` + "\n", "sequence.jsonl:1: no event"},
		{"time going back", `{"at":"2026-12-06T10:00:01Z","event":{}}` + "\n" + `{"at":"2026-12-06T10:00:00Z","event":{}}` + "\n", "sequence.jsonl:2: at 2026-12-06T10:00:00Z is earlier than the line before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "sequence.jsonl")
			if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := runCLI(t, "check", "-replay", p)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestValidateLocatesAbuseSectionProblems(t *testing.T) {
	code, _, errOut := runCLI(t, "validate", "testdata/badabuse.yaml")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		`testdata/badabuse.yaml:3:7: logins.routes[0].route: route "POST login": expected "[METHOD] /path"`,
		`testdata/badabuse.yaml:4:7: logins.routes[0].username: expected body.<field>`,
		`testdata/badabuse.yaml:5:14: logins.stuffing.sources: sources does not apply to stuffing; it counts users (users: N)`,
		`testdata/badabuse.yaml:6:40: logins.spraying.action: flag applies to sources`,
		`testdata/badabuse.yaml:8:39: responses[0].count:`,
		`testdata/badabuse.yaml:10:13: errorRatios[0].ratio: maximum: got 2, want 1`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate output lacks %q:\n%s", want, errOut)
		}
	}
}
