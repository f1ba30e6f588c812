package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// botEvent is an HTTP API v2 GET / event carrying the given headers.
func botEvent(headers map[string][]string) string {
	h := map[string]string{}
	for k, vs := range headers {
		h[k] = strings.Join(vs, ",")
	}
	ev, _ := json.Marshal(map[string]any{
		"version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
		"headers": h,
		"requestContext": map[string]any{"http": map[string]string{"method": "GET", "path": "/", "sourceIp": "203.0.113.9"},
			"requestId": "r1", "stage": "$default"},
		"isBase64Encoded": false,
	})
	return string(ev)
}

// TestBotsPolicyThroughTheAgent runs the real agent under a policy that
// blocks headless browsers and impersonators: they get the 403 block
// response and never reach the handler, the decision record names the
// class, and every recorded browser header set of tests/corpus/bots
// reaches the handler (0 false positives).
func TestBotsPolicyThroughTheAgent(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bots.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\nmode: block\nbots:\n  classes:\n    headless: block\n    impersonator: block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := t.TempDir()
	fn, logs := startFunction(t, setup{handler: "echo", env: map[string]string{"LAMBDAWAF_CONFIG": cfg, "HANDLER_SEEN_DIR": seen}})
	status := func(ev string) (int, string) {
		res := invoke(t, fn, ev, emulator.InvokeOptions{})
		var resp struct {
			StatusCode int `json:"statusCode"`
		}
		if err := json.Unmarshal(res.Payload, &resp); err != nil {
			t.Fatalf("response %s: %v", res.Payload, err)
		}
		return resp.StatusCode, res.RequestID
	}
	const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36"
	blocked := []struct {
		name, class string
		headers     map[string][]string
	}{
		{"headless chrome", "headless", map[string][]string{"user-agent": {strings.Replace(chrome, "Chrome/", "HeadlessChrome/", 1)}, "accept": {"*/*"}}},
		{"library claiming chrome", "impersonator", map[string][]string{"user-agent": {chrome}, "accept": {"*/*"}, "accept-encoding": {"identity"}}},
	}
	for _, tc := range blocked {
		code, id := status(botEvent(tc.headers))
		if code != 403 {
			t.Errorf("%s: status %d, want 403", tc.name, code)
		}
		if _, err := os.Stat(filepath.Join(seen, id+".json")); err == nil {
			t.Errorf("%s: the handler saw it", tc.name)
		}
		want := `"bot:` + tc.class + `:block"`
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(logs.String(), want) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(logs.String(), want) {
			t.Errorf("%s: no decision record with reason %s", tc.name, want)
		}
	}

	f, err := os.Open(filepath.Join(testenv.ModuleRoot(), "tests/corpus/bots/browsers.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, fp := 0, 0
	for sc.Scan() {
		var rec struct {
			Client  string              `json:"client"`
			Headers map[string][]string `json:"headers"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		n++
		code, id := status(botEvent(rec.Headers))
		if _, err := os.Stat(filepath.Join(seen, id+".json")); err != nil || code == 403 {
			fp++
			t.Errorf("browser %s: status %d, handler ran: %v", rec.Client, code, err == nil)
		}
	}
	if n < 10 {
		t.Fatalf("only %d browser header sets", n)
	}
	t.Logf("%d recorded browser header sets through the agent, %d blocked", n, fp)
}
