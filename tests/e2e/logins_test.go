package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// loginEvent is an HTTP API v2 POST /login event.
func loginEvent(src, user string) string {
	body, _ := json.Marshal(map[string]string{"username": user, "password": "guess"})
	ev, _ := json.Marshal(map[string]any{
		"version": "2.0", "routeKey": "POST /login", "rawPath": "/login", "rawQueryString": "",
		"headers": map[string]string{"content-type": "application/json", "user-agent": "Mozilla/5.0"},
		"requestContext": map[string]any{"http": map[string]string{"method": "POST", "path": "/login", "sourceIp": src},
			"requestId": "r1", "routeKey": "POST /login", "stage": "$default"},
		"body": string(body), "isBase64Encoded": false,
	})
	return string(ev)
}

// TestLoginStuffingThroughTheAgent runs the real agent binary, without
// shared state, under a logins policy whose failure is read from a JSON
// member of the handler's answer: the outcome reaches the counters through
// the proxy's response path, the fourth user name failing from one address
// is answered 429 with Retry-After without reaching the handler, another
// address is not, and no record holds a user name.
func TestLoginStuffingThroughTheAgent(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "logins.yaml")
	doc := "version: 1\nmode: block\nlogins:\n  routes:\n    - route: POST /login\n      username: body.username\n" +
		"      failure: {json: {field: requestId}}\n  stuffing: {users: 3, within: 1m, action: block, for: 10m}\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := t.TempDir()
	fn, logs := startFunction(t, setup{handler: "echo", env: map[string]string{"LAMBDAWAF_CONFIG": cfg, "HANDLER_SEEN_DIR": seen}})
	type answer struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		RequestID  string            `json:"requestId"`
	}
	login := func(src, user string) (answer, bool) {
		res := invoke(t, fn, loginEvent(src, user), emulator.InvokeOptions{})
		var a answer
		if err := json.Unmarshal(res.Payload, &a); err != nil {
			t.Fatalf("response %s: %v", res.Payload, err)
		}
		_, err := os.Stat(filepath.Join(seen, res.RequestID+".json"))
		return a, err == nil
	}
	for i := range 3 {
		if a, reached := login("203.0.113.9", fmt.Sprintf("stuffed-user-%d", i)); !reached || a.StatusCode != 0 {
			t.Fatalf("attempt %d: reached %v, status %d; want the handler's answer", i+1, reached, a.StatusCode)
		}
	}
	a, reached := login("203.0.113.9", "stuffed-user-3")
	if reached || a.StatusCode != 429 {
		t.Fatalf("fourth user name: reached %v, status %d; want the agent's 429", reached, a.StatusCode)
	}
	if ra := a.Headers["Retry-After"]; ra != "600" && ra != "599" {
		t.Errorf("Retry-After %q, want the hold's 600 seconds", ra)
	}
	if _, reached := login("198.51.100.7", "stuffed-user-3"); !reached {
		t.Error("another address was refused")
	}
	const want = `"login:stuffing:block:count=3/3:window=1m0s:retry=`
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), want) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), want) {
		t.Errorf("no decision record with reason %s", want)
	}
	if strings.Contains(logs.String(), "stuffed-user") {
		t.Error("a user name reached the agent's output")
	}
}
