package e2e

// Outbound inspection end to end: the real extension binary, a real
// aws-lambda-go handler in the strict emulation returning responses that
// hold card numbers, national ids and AWS keys; what reaches the caller is
// masked or withheld (LAMBDAWAF_OUTBOUND).

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// startTelemetryFunction starts handler behind the real agent (wired with
// redirect.Start) with the given environment.
func startTelemetryFunction(t testing.TB, handler string, env map[string]string, cfg emulator.Config) (*emulator.Function, *emulator.LogBuffer) {
	t.Helper()
	return startFunction(t, setup{handler: handler, env: env, cfg: cfg})
}

// apiEvent is an HTTP API (payload v2) event whose body the echo handler
// returns inside its response.
func apiEvent(body string) string {
	b, _ := json.Marshal(body)
	return `{"version":"2.0","routeKey":"POST /orders","rawPath":"/orders","rawQueryString":"",` +
		`"headers":{"content-type":"application/json","host":"api.example.com","user-agent":"e2e"},` +
		`"requestContext":{"accountId":"123456789012","apiId":"a1b2c3","domainName":"api.example.com",` +
		`"http":{"method":"POST","path":"/orders","protocol":"HTTP/1.1","sourceIp":"198.51.100.23","userAgent":"e2e"},` +
		`"requestId":"e2e","routeKey":"POST /orders","stage":"$default","time":"21/Nov/2026:23:45:00 +0000","timeEpoch":1795218300000},` +
		`"body":` + string(b) + `,"isBase64Encoded":false}`
}

const leakyBody = `{"card":"4111 1111 1111 1111","ssn":"536-90-4399","key":"AKIAIOSFODNN7EXAMPLE","note":"ok"}`

var leakedValues = []string{"4111 1111 1111 1111", "4111111111111111", "536-90-4399", "IOSFODNN7EXAMPLE"}

// responseRecords returns the response records the agent logged.
func responseRecords(t *testing.T, logs *emulator.LogBuffer) []telemetry.Record {
	t.Helper()
	var out []telemetry.Record
	for _, l := range logs.Lines(`"kind":"response"`) {
		i := strings.IndexByte(l, '{')
		var r telemetry.Record
		if i < 0 || json.Unmarshal([]byte(l[i:]), &r) != nil {
			t.Fatalf("unparsable response record %q", l)
		}
		out = append(out, r)
	}
	return out
}

func TestOutboundMasksTheHandlersResponse(t *testing.T) {
	fn, logs := startTelemetryFunction(t, "echo", map[string]string{contract.EnvOutbound: "mask"}, emulator.Config{})
	res := invoke(t, fn, apiEvent(leakyBody), emulator.InvokeOptions{})
	s := decodeSeen(t, res)
	for _, v := range leakedValues {
		if strings.Contains(string(res.Payload), v) {
			t.Errorf("response leaks %q: %s", v, res.Payload)
		}
	}
	// Still the handler's response, still valid JSON, masked in place.
	if s.RequestID != res.RequestID || !strings.Contains(string(res.Payload), "**** **** **** 1111") ||
		!strings.Contains(string(res.Payload), "AKIA****") || !strings.Contains(string(res.Payload), `\"note\":\"ok\"`) {
		t.Errorf("masked response: %s", res.Payload)
	}
	waitForLine(t, logs, `"kind":"response"`)
	recs := responseRecords(t, logs)
	if len(recs) != 1 || recs[0].Action != "mask" || recs[0].RequestID != res.RequestID || len(recs[0].Leaks) != 3 {
		t.Errorf("response records: %+v", recs)
	}
}

func TestOutboundBlocksWithAGeneric500(t *testing.T) {
	fn, logs := startTelemetryFunction(t, "echo", map[string]string{contract.EnvOutbound: "block"}, emulator.Config{})
	res := invoke(t, fn, apiEvent(leakyBody), emulator.InvokeOptions{})
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal(res.Payload, &resp); err != nil || resp.StatusCode != 500 || resp.Body != `{"message":"Internal Server Error"}` {
		t.Fatalf("blocked response %s (%v)", res.Payload, err)
	}
	if res.FunctionError != "" {
		t.Errorf("the invocation itself must succeed: %s", res.ErrorType)
	}
	waitForLine(t, logs, `"kind":"response"`)
	if recs := responseRecords(t, logs); len(recs) != 1 || recs[0].Action != "block" {
		t.Errorf("response records: %+v", recs)
	}
}

func TestOutboundLeavesCleanResponsesAlone(t *testing.T) {
	fn, logs := startTelemetryFunction(t, "echo", map[string]string{contract.EnvOutbound: "mask"}, emulator.Config{})
	res := invoke(t, fn, apiEvent(`{"sku":"ABC-123","qty":2,"price":"19.99"}`), emulator.InvokeOptions{})
	s := decodeSeen(t, res)
	if !strings.Contains(string(s.Event), `ABC-123`) {
		t.Errorf("clean response changed: %s", res.Payload)
	}
	waitForLine(t, logs, `"kind":"decision"`)
	if recs := responseRecords(t, logs); len(recs) != 0 {
		t.Errorf("clean response reported: %+v", recs)
	}
}

// TestOutboundStreamingKeepsChunksAndTrailers streams through the outbound
// filter: the first chunk arrives before the handler finishes (nothing is
// buffered), and the mid-stream error trailers arrive intact.
func TestOutboundStreamingKeepsChunksAndTrailers(t *testing.T) {
	fn, _ := startTelemetryFunction(t, "stream", map[string]string{contract.EnvOutbound: "mask"}, emulator.Config{Timeout: 10 * time.Second})
	res := invoke(t, fn, `{"chunks":3,"intervalMs":300,"failAfter":2}`, emulator.InvokeOptions{Streaming: true})
	if res.Stream == nil {
		t.Fatalf("not streamed: %s %s", res.ErrorType, res.Payload)
	}
	br := bufio.NewReader(res.Stream)
	prelude, err := br.ReadBytes(0)
	if err != nil || !strings.Contains(string(prelude), `"statusCode":200`) {
		t.Fatalf("prelude %q: %v", prelude, err)
	}
	if _, err := br.Discard(7); err != nil {
		t.Fatal(err)
	}
	first, err := br.ReadString('\n')
	if err != nil || first != "chunk-1\n" {
		t.Fatalf("first chunk %q: %v", first, err)
	}
	if n := len(emulator.CallsTo(fn.Calls(), "/response")); n != 0 {
		t.Errorf("first chunk arrived only after the whole response")
	}
	rest, err := io.ReadAll(br)
	var se *emulator.StreamError
	if !errors.As(err, &se) || se.Type != "StreamBrokenError" {
		t.Fatalf("want the StreamBrokenError trailers intact, got %v", err)
	}
	if string(rest) != "chunk-2\n" {
		t.Errorf("rest of the stream %q", rest)
	}
}

func waitForLine(t *testing.T, logs *emulator.LogBuffer, substr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.Lines(substr)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %s:\n%s", substr, logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestOutboundMasksEveryLeakKindInAStream streams a response holding one
// value of every leak kind, cut into small chunks so that values straddle
// chunk boundaries, and checks that none reaches the caller while the
// surrounding text does. Streams cannot be recalled once bytes are sent,
// so block mode masks them too, and says so in the response record.
func TestOutboundMasksEveryLeakKindInAStream(t *testing.T) {
	leaks := map[string]string{
		"card":           "4111 1111 1111 1111",
		"ssn":            "536-90-4399",
		"aws-access-key": "AKIAIOSFODNN7EXAMPLE",
		"aws-secret-key": "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"private-key":    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c2f3vKq8Vn0mJ7wH0kR9m\n-----END RSA PRIVATE KEY-----",
		"db-error":       "ERROR: syntax error at or near \"FROM\" at character 15",
		"stack-trace":    "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 12, in handler",
	}
	secrets := map[string]string{ // the part of each leak that must not survive
		"card": "4111 1111 1111 1111", "ssn": "536-90-4399", "aws-access-key": "IOSFODNN7EXAMPLE",
		"aws-secret-key": "wJalrXUtnFEMI/K7MDENG", "private-key": "MIIEowIBAAKCAQEA1c2f3vKq8Vn0mJ7wH0kR9m",
		"db-error": "syntax error at or near", "stack-trace": "/var/task/app.py",
	}
	var text strings.Builder
	for _, kind := range []string{"card", "ssn", "aws-access-key", "aws-secret-key", "private-key", "db-error", "stack-trace"} {
		text.WriteString("order summary for " + kind + ": " + leaks[kind] + "\nthank you for shopping\n")
	}
	// The handler is told what to stream by a direct invoke, an event of no
	// known trigger, which the agent inspects like any other (and the leak
	// samples in it read as code): this test is about the response, so the
	// function's policy lets unknown triggers through uninspected.
	cfgPath := filepath.Join(t.TempDir(), "lambdawaf.yaml")
	if err := os.WriteFile(cfgPath, []byte("unknownTrigger: allow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"mask", "block"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			fn, logs := startTelemetryFunction(t, "stream", map[string]string{contract.EnvOutbound: mode, contract.EnvConfig: cfgPath}, emulator.Config{Timeout: 10 * time.Second})
			ev, _ := json.Marshal(map[string]any{"text": text.String(), "chunkBytes": 7, "intervalMs": 1})
			res := invoke(t, fn, string(ev), emulator.InvokeOptions{Streaming: true})
			if res.Stream == nil {
				t.Fatalf("not streamed: %s %s", res.ErrorType, res.Payload)
			}
			body, err := io.ReadAll(res.Stream)
			if err != nil {
				t.Fatalf("read stream: %v", err)
			}
			got := string(body)
			for kind, secret := range secrets {
				if strings.Contains(got, secret) {
					t.Errorf("%s leaked through the stream: %q", kind, secret)
				}
			}
			if strings.Count(got, "thank you for shopping") != len(leaks) {
				t.Errorf("the clean text did not survive masking:\n%s", got)
			}
			waitForLine(t, logs, `"kind":"response"`)
			recs := responseRecords(t, logs)
			if len(recs) == 0 || recs[0].Action != "mask" || recs[0].Leaks == nil {
				t.Errorf("response record %+v, want a mask with its leaks", recs)
			}
			for _, secret := range secrets {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("the agent's log carries %q", secret)
				}
			}
		})
	}
}
