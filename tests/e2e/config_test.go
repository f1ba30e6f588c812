package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// TestBrokenConfigurationKeepsProtecting starts the agent with
// configurations it cannot use. It must run the built-in defaults — still
// blocking attacks, still letting the function run — and say loudly and
// precisely what was wrong, naming the field and the line.
func TestBrokenConfigurationKeepsProtecting(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path string
		want       []string // in the agent's log
	}{
		{"unknown field", write("unknown.yaml", "version: 1\nmode: block\nrules:\n  - id: r1\n    when: {field: path, prefix: /x}\n    action: block\n    colour: red\n"),
			[]string{"INVALID lambdawaf configuration", "line 7", "rules[0].colour", "unknown field"}},
		{"bad regex", write("regex.yaml", "version: 1\nrules:\n  - id: r1\n    when: {field: path, regex: '['}\n    action: block\n"),
			[]string{"INVALID lambdawaf configuration", "line 4", "rules[0].when.regex"}},
		{"wrong type", write("type.yaml", "version: 1\nmode: 42\n"),
			[]string{"INVALID lambdawaf configuration", "line 2", "mode"}},
		{"duplicate rule ids", write("dup.yaml", "rules:\n  - {id: a, when: {field: path, prefix: /x}, action: block}\n  - {id: a, when: {field: path, prefix: /y}, action: block}\n"),
			[]string{"INVALID lambdawaf configuration", "duplicate rule id"}},
		{"unreadable file", filepath.Join(dir, "missing.yaml"),
			[]string{"INVALID lambdawaf configuration", "missing.yaml"}},
	}
	attack := httpEvent("id=1%27%20OR%20%271%27%3D%271", `{}`)
	benign := httpEvent("page=2", `{"note":"O'Brien's order, drop shipping"}`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := t.TempDir()
			fn, logs := startFunction(t, setup{handler: "echo", env: map[string]string{
				"LAMBDAWAF_CONFIG": tc.path, "HANDLER_SEEN_DIR": seen,
			}})
			res := invoke(t, fn, attack, emulator.InvokeOptions{})
			var resp struct {
				StatusCode int `json:"statusCode"`
			}
			if err := json.Unmarshal(res.Payload, &resp); err != nil || resp.StatusCode != 403 {
				t.Errorf("attack with a broken configuration: %s, want the defaults' 403", res.Payload)
			}
			if _, err := os.Stat(filepath.Join(seen, res.RequestID+".json")); err == nil {
				t.Error("the handler saw the attack")
			}
			res = invoke(t, fn, benign, emulator.InvokeOptions{})
			if res.FunctionError != "" {
				t.Errorf("benign event failed: %s", res.Payload)
			}
			if _, err := os.Stat(filepath.Join(seen, res.RequestID+".json")); err != nil {
				t.Error("the handler did not run for a benign event")
			}
			out := logs.String()
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("agent log lacks %q", w)
				}
			}
		})
	}
}

// httpEvent is an HTTP API v2 POST /orders event with the given raw query
// and JSON body.
func httpEvent(query, body string) string {
	ev, _ := json.Marshal(map[string]any{
		"version": "2.0", "routeKey": "$default", "rawPath": "/orders", "rawQueryString": query, "body": body,
		"headers": map[string]string{"content-type": "application/json", "host": "api.example.com", "user-agent": "Mozilla/5.0"},
		"requestContext": map[string]any{"http": map[string]string{"method": "POST", "path": "/orders", "sourceIp": "203.0.113.9"},
			"requestId": "r1", "stage": "$default"},
		"isBase64Encoded": false,
	})
	return string(ev)
}

// TestParanoiaFromTheConfigurationFile runs the real agent with and
// without detection.paranoia: 2. An attack fragment that also occurs in
// free text (a dangling HAVING condition) passes the default level
// and is blocked at level 2; a structured attack is blocked at both.
func TestParanoiaFromTheConfigurationFile(t *testing.T) {
	dir := t.TempDir()
	strict := filepath.Join(dir, "strict.yaml")
	if err := os.WriteFile(strict, []byte("version: 1\ndetection:\n  paranoia: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fragment := httpEvent("q=HAVING%201%3D", `{}`)
	attack := httpEvent("id=1%27%20OR%20%271%27%3D%271", `{}`)
	for _, tc := range []struct {
		name          string
		env           map[string]string
		blockFragment bool
	}{
		{"default level", map[string]string{}, false},
		{"paranoia 2", map[string]string{"LAMBDAWAF_CONFIG": strict}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fn, _ := startFunction(t, setup{handler: "echo", env: tc.env})
			status := func(ev string) int {
				var resp struct {
					StatusCode int `json:"statusCode"`
				}
				res := invoke(t, fn, ev, emulator.InvokeOptions{})
				if err := json.Unmarshal(res.Payload, &resp); err != nil {
					t.Fatalf("response %s: %v", res.Payload, err)
				}
				return resp.StatusCode
			}
			if got := status(fragment) == 403; got != tc.blockFragment {
				t.Errorf("SQL fragment blocked = %v, want %v", got, tc.blockFragment)
			}
			if status(attack) != 403 {
				t.Error("structured SQL injection not blocked")
			}
		})
	}
}
