package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"testing"
)

func TestStreamingBlockResponse(t *testing.T) {
	tests := []struct {
		name        string
		trigger     Trigger
		contentType string
		body        []byte
		wantType    string
	}{
		{"function url json", FunctionURL, "application/json", []byte(`{"message":"Forbidden"}`), "application/json"},
		{"function url default type", FunctionURL, "", []byte("Forbidden"), "text/plain; charset=utf-8"},
		{"binary body is sent as is", FunctionURL, "image/png", []byte{0x89, 'P', 'N', 'G', 0, 0xff, 0}, "image/png"},
		{"empty body", FunctionURL, "text/plain", nil, "text/plain"},
		{"rest api", APIGatewayREST, "text/html", []byte("<h1>Forbidden</h1>"), "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := StreamingBlockResponse(tt.trigger, 403, tt.contentType, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			i := bytes.Index(out, []byte(streamSeparator))
			if i < 0 {
				t.Fatalf("no eight-NUL separator in %q", out)
			}
			prelude, body := out[:i], out[i+len(streamSeparator):]
			if !bytes.Equal(body, tt.body) {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			var p struct {
				StatusCode int               `json:"statusCode"`
				Headers    map[string]string `json:"headers"`
			}
			dec := json.NewDecoder(bytes.NewReader(prelude))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&p); err != nil {
				t.Fatalf("prelude %q: %v", prelude, err)
			}
			want := map[string]string{"Content-Type": tt.wantType, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
			if p.StatusCode != 403 || !maps.Equal(p.Headers, want) {
				t.Errorf("prelude %s", prelude)
			}
			// The streamed and the buffered block responses say the same.
			buffered, err := BlockResponse(tt.trigger, 403, tt.contentType, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			var b proxyResponse
			if err := json.Unmarshal(buffered, &b); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(b.Headers, p.Headers) {
				t.Errorf("headers differ: buffered %v streamed %v", b.Headers, p.Headers)
			}
		})
	}
}

func TestStreamingBlockResponseRefuses(t *testing.T) {
	for _, tr := range []Trigger{APIGatewayHTTP, APIGatewayWS, ALB, VPCLatticeV1, VPCLatticeV2, SQS, Unknown} {
		if tr.StreamsResponses() {
			t.Errorf("%s claims to stream", tr)
		}
		if _, err := StreamingBlockResponse(tr, 403, "", nil); !errors.Is(err, ErrNoStreaming) {
			t.Errorf("%s: err = %v, want ErrNoStreaming", tr, err)
		}
	}
	for _, status := range []int{0, 99, 600} {
		if _, err := StreamingBlockResponse(FunctionURL, status, "", nil); err == nil {
			t.Errorf("status %d accepted", status)
		}
	}
}
