package serve

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// attack is a SQL injection the production detectors block.
const attack = "/search?q=1'%20OR%20'1'='1"

// TestBlocksThroughStreamingFunctionURL: a Function URL in RESPONSE_STREAM
// invoke mode passes the function's bytes to the client as they are, so
// the agent must block with a streamed response (prelude, eight NULs,
// body). With LAMBDAWAF_RESPONSE_STREAMING=true the client gets a real 403
// with the fixed block body; a buffered Function URL is blocked as before.
func TestBlocksThroughStreamingFunctionURL(t *testing.T) {
	tests := []struct {
		name      string
		streaming bool
		env       map[string]string
	}{
		{"streaming function url", true, map[string]string{"LAMBDAWAF_RESPONSE_STREAMING": "true"}},
		{"buffered function url", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, logs := start(t, local.Config{
				Translator: gateway.Translator{Shape: gateway.FunctionURL},
				Streaming:  tt.streaming,
				Mode:       "block",
				Env:        tt.env,
			})
			resp, body := send(t, "GET", ep.URL()+attack, nil, nil)
			wantBlock(t, resp, body)
			// The agent answered the invocation itself, in the mode asked.
			// It logs so once upstream accepted the answer, which may be
			// after the client has it.
			blocked := func() bool {
				return slices.ContainsFunc(agentLines(logs.String()), func(l string) bool {
					return strings.Contains(l, `"message":"invocation blocked"`) && strings.Contains(l, fmt.Sprintf(`"streamed":%v`, tt.streaming))
				})
			}
			for deadline := time.Now().Add(5 * time.Second); !blocked() && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			if !blocked() {
				t.Errorf("no agent line says the invocation was blocked (streamed %v)", tt.streaming)
			}

			// Benign requests still reach the handler, streamed as before.
			if tt.streaming {
				lines := streamLines(t, ep.URL()+"/stream")
				if !slices.Equal(lines, []string{"chunk-1", "chunk-2", "chunk-3"}) {
					t.Errorf("benign stream: %q", lines)
				}
			} else if resp, _ := send(t, "GET", ep.URL()+"/search?q=fine", nil, nil); resp.StatusCode != 200 || resp.Header.Get("X-Handler") != "serve-test" {
				t.Errorf("benign request: status %d header %v", resp.StatusCode, resp.Header)
			}
		})
	}
}

// TestFailClosedThroughStreamingFunctionURL: a block the proxy decides
// itself (an inspection panicking under LAMBDAWAF_FAILURE_POLICY=closed) is
// streamed too.
func TestFailClosedThroughStreamingFunctionURL(t *testing.T) {
	ep, _ := start(t, local.Config{
		Agent:      bins.agentHooks,
		Translator: gateway.Translator{Shape: gateway.FunctionURL},
		Streaming:  true,
		Mode:       "block",
		Env: map[string]string{
			"LAMBDAWAF_RESPONSE_STREAMING": "function-url",
			"LAMBDAWAF_FAILURE_POLICY":     "closed",
			"LAMBDAWAF_TESTHOOK_PANIC":     "explode-marker",
		},
	})
	resp, body := send(t, "GET", ep.URL()+"/search?q=explode-marker", nil, nil)
	if resp.StatusCode != http.StatusForbidden || string(body) != `{"message":"Forbidden"}` ||
		resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("X-Handler") != "" {
		t.Errorf("fail-closed block: status %d header %v body %q", resp.StatusCode, resp.Header, body)
	}
}

// wantBlock checks the client got the agent's default block response and
// nothing of the handler or of its own input.
func wantBlock(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if resp.StatusCode != policy.DefaultBlockStatus {
		t.Errorf("status %d, want %d (body %q)", resp.StatusCode, policy.DefaultBlockStatus, body)
	}
	if string(body) != policy.DefaultBlockBody {
		t.Errorf("body %q, want %q", body, policy.DefaultBlockBody)
	}
	for name, want := range map[string]string{
		"Content-Type":           policy.DefaultBlockContentType,
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
		"X-Handler":              "",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	if strings.Contains(string(body), "OR") || strings.Contains(string(body), "statusCode") {
		t.Errorf("body %q reflects input or a response object", body)
	}
}

// streamLines reads a streamed response line by line.
func streamLines(t *testing.T, url string) []string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	var lines []string
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			lines = append(lines, strings.TrimSpace(line))
		}
		if err == io.EOF {
			return lines
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
