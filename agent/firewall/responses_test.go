package firewall

import (
	"bytes"
	"io"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func TestReadResponseReadsStatusHeadersAndBody(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		wantBody bool
		status   int
		header   string // x-login value wanted
		body     string
	}{
		{"status only, fast path", `{"headers":{"X-Login":"failed"},"body":"{}","statusCode":404}`, false, 404, "", ""},
		{"status as a string", `{"statusCode":"401","body":""}`, false, 401, "", ""},
		{"headers and body", `{"statusCode":200,"headers":{"X-Login":"failed"},"body":"{\"error\":\"bad\"}"}`, true, 200, "failed", `{"error":"bad"}`},
		{"multi-value headers (ALB)", `{"statusCode":401,"multiValueHeaders":{"X-Login":["failed","x"]},"body":""}`, true, 401, "failed", ""},
		{"base64 body", `{"statusCode":200,"body":"eyJvayI6ZmFsc2V9","isBase64Encoded":true}`, true, 200, "", `{"ok":false}`},
		{"no statusCode: a 200 whose body is the document", `{"ok":true}`, true, 200, "", `{"ok":true}`},
		{"not an object", `"hello"`, true, 200, "", `"hello"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := readResponse([]byte(tt.payload), tt.wantBody)
			if !ok {
				t.Fatal("not read")
			}
			if r.Status != tt.status || r.Headers["x-login"] != tt.header || string(r.Body) != tt.body {
				t.Errorf("got status %d, x-login %q, body %q; want %d, %q, %q", r.Status, r.Headers["x-login"], r.Body, tt.status, tt.header, tt.body)
			}
		})
	}
}

func TestPreludeReaderObservesStatusAndPassesTheStreamUnchanged(t *testing.T) {
	stream := `{"statusCode":401,"headers":{"X-Login":"failed"}}` + "\x00\x00\x00\x00\x00\x00\x00\x00" + "body bytes"
	var got *policy.Response
	pr := &preludeReader{r: &oneByteReader{r: bytes.NewReader([]byte(stream))}, done: func(r *policy.Response) { got = r }}
	out, err := io.ReadAll(pr)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != stream {
		t.Errorf("stream changed: %q", out)
	}
	if got == nil || got.Status != 401 || got.Headers["x-login"] != "failed" {
		t.Errorf("observed %+v, want status 401 with x-login failed", got)
	}
}

// oneByteReader hands out one byte per Read, as a slow stream would.
type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1)]) }
