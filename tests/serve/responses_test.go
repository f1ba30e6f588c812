package serve

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

// TestResponsesAsTheFrontDoorsReturnThem checks the handler's response
// objects come out of each shape as the real front door would send them.
func TestResponsesAsTheFrontDoorsReturnThem(t *testing.T) {
	wantBinary := bytes.Repeat(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}(), 3)
	type check struct {
		path       string
		accept     string
		method     string
		body       []byte
		status     int
		wantBody   []byte
		header     map[string][]string
		bodyPrefix string
	}
	common := func(shape gateway.Shape) []check {
		errBody := map[gateway.Shape]string{
			gateway.HTTPAPI: `{"message":"Internal Server Error"}`, gateway.FunctionURL: `{"message":"Internal Server Error"}`,
			gateway.REST: `{"message": "Internal server error"}`,
		}[shape]
		cookies := []string{"session=abc123; Path=/; HttpOnly", "theme=dark"}
		if shape == gateway.ALB {
			cookies = []string{"theme=dark"} // single-value headers carry one Set-Cookie
		}
		checks := []check{
			{path: "/binary?n=3", accept: "application/octet-stream", status: 200, wantBody: wantBinary, header: map[string][]string{"Content-Type": {"application/octet-stream"}}},
			{path: "/cookies", status: 200, wantBody: []byte(`{"cookies":2}`), header: map[string][]string{"Set-Cookie": cookies}},
			{path: "/status/404", status: 404, wantBody: []byte{}},
			{path: "/status/204", method: "DELETE", status: 204, wantBody: []byte{}},
			{path: "/error", status: 502},
			{path: "/huge", status: 502},
			{path: "/size", method: "POST", body: bytes.Repeat([]byte("a"), gateway.MaxPayload+1), status: 413},
		}
		if errBody != "" {
			for i := range checks {
				if checks[i].status == 502 {
					checks[i].wantBody = []byte(errBody)
				}
			}
		} else {
			for i := range checks {
				if checks[i].status == 502 {
					checks[i].bodyPrefix = "<html>"
				}
			}
		}
		if shape == gateway.REST {
			// Without an Accept header matching a binary media type, REST
			// APIs send the base64 text itself.
			checks = append(checks, check{path: "/binary?n=3", accept: "application/json", status: 200,
				wantBody: []byte(base64.StdEncoding.EncodeToString(wantBinary))})
		}
		if shape == gateway.HTTPAPI || shape == gateway.FunctionURL {
			checks = append(checks, check{path: "/plain", status: 200, wantBody: []byte(`{"hello":"world"}`),
				header: map[string][]string{"Content-Type": {"application/json"}}})
		}
		return checks
	}
	for _, shape := range []gateway.Shape{gateway.HTTPAPI, gateway.FunctionURL, gateway.REST, gateway.ALB, gateway.ALBMultiValue} {
		t.Run(string(shape), func(t *testing.T) {
			ep, _ := start(t, local.Config{Translator: gateway.Translator{Shape: shape, BinaryMediaTypes: []string{"application/octet-stream"}}})
			for _, c := range common(shape) {
				var h http.Header
				if c.accept != "" {
					h = http.Header{"Accept": {c.accept}}
				}
				resp, body := send(t, cmpOr(c.method, "GET"), ep.URL()+c.path, h, c.body)
				if resp.StatusCode != c.status {
					t.Errorf("%s: status %d, want %d (%.100s)", c.path, resp.StatusCode, c.status, body)
					continue
				}
				if c.wantBody != nil && !bytes.Equal(body, c.wantBody) {
					t.Errorf("%s: body %.100q, want %.100q", c.path, body, c.wantBody)
				}
				if c.bodyPrefix != "" && !strings.HasPrefix(string(body), c.bodyPrefix) {
					t.Errorf("%s: body %.100q", c.path, body)
				}
				for name, want := range c.header {
					got := resp.Header.Values(name)
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("%s: %s = %q, want %q", c.path, name, got, want)
					}
				}
			}
		})
	}
}

func cmpOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// TestTimeoutThenRecovery: a function that outlives its timeout gets 504,
// the environment is reset and the next request is served by a fresh one.
func TestTimeoutThenRecovery(t *testing.T) {
	ep, logs := start(t, local.Config{Timeout: time.Second})
	resp, body := send(t, "GET", ep.URL()+"/sleep?ms=3000", nil, nil)
	if resp.StatusCode != 504 || string(body) != `{"message":"Endpoint request timed out"}` {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	resp, body = send(t, "GET", ep.URL()+"/sleep?ms=10", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"slept":10`) {
		t.Fatalf("after reset: status %d body %s", resp.StatusCode, body)
	}
	if n := strings.Count(logs.String(), "lambdawaf agent running"); n < 2 {
		t.Errorf("agent started %d times, want a fresh start after the reset", n)
	}
}

// TestThrottling: with one environment busy and no room to queue, the
// next request gets 429 like Lambda throttling; once free, requests pass.
func TestThrottling(t *testing.T) {
	ep, _ := start(t, local.Config{Concurrency: 1, QueueTimeout: 50 * time.Millisecond})
	var wg sync.WaitGroup
	wg.Go(func() {
		resp, _ := send(t, "GET", ep.URL()+"/sleep?ms=800", nil, nil)
		if resp.StatusCode != 200 {
			t.Errorf("slow request: %d", resp.StatusCode)
		}
	})
	time.Sleep(200 * time.Millisecond)
	resp, body := send(t, "GET", ep.URL()+"/", nil, nil)
	if resp.StatusCode != 429 || string(body) != `{"message":"Too Many Requests"}` {
		t.Errorf("status %d body %s, want 429", resp.StatusCode, body)
	}
	wg.Wait()
	if resp, _ := send(t, "GET", ep.URL()+"/", nil, nil); resp.StatusCode != 200 {
		t.Errorf("after the slow request: %d", resp.StatusCode)
	}
}

// TestFunctionURLStreaming: a streaming handler's chunks reach the client
// as they are written, with the prelude's status, headers and cookies.
func TestFunctionURLStreaming(t *testing.T) {
	ep, _ := start(t, local.Config{Translator: gateway.Translator{Shape: gateway.FunctionURL}, Streaming: true})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", ep.URL()+"/stream", nil)
	begin := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Streamed") != "yes" || resp.Header.Get("Set-Cookie") != "s=1" ||
		resp.Header.Get("Content-Type") != "text/plain" {
		t.Fatalf("status %d header %v", resp.StatusCode, resp.Header)
	}
	br := bufio.NewReader(resp.Body)
	var arrivals []time.Duration
	var lines []string
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			lines = append(lines, strings.TrimSpace(line))
			arrivals = append(arrivals, time.Since(begin))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(lines, []string{"chunk-1", "chunk-2", "chunk-3"}) {
		t.Fatalf("lines %q", lines)
	}
	// Written 50 ms apart: a buffered response would deliver all at once.
	if spread := arrivals[2] - arrivals[0]; spread < 60*time.Millisecond {
		t.Errorf("chunks arrived within %v of each other: the response was buffered", spread)
	}
}

// TestAgentBlocksThroughServe uses the extension's test hook to block one
// request: the client gets the agent's block response, never the handler's.
func TestAgentBlocksThroughServe(t *testing.T) {
	ep, _ := start(t, local.Config{Agent: bins.agentHooks, Mode: "block", Env: map[string]string{"LAMBDAWAF_TESTHOOK_BLOCK": "evil-marker"}})
	resp, body := send(t, "GET", ep.URL()+"/search?q=evil-marker", nil, nil)
	if resp.StatusCode != 403 || resp.Header.Get("X-Handler") != "" || strings.Contains(string(body), "evil-marker") {
		t.Errorf("blocked request: status %d header %v body %s", resp.StatusCode, resp.Header, body)
	}
	resp, _ = send(t, "GET", ep.URL()+"/search?q=fine", nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("X-Handler") != "serve-test" {
		t.Errorf("benign request: status %d", resp.StatusCode)
	}
}
