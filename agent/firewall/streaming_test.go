package firewall

import (
	"bytes"
	"encoding/json"
	"maps"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// functionURL edits an HTTP API fixture into a Function URL event (the
// domain name is what tells them apart) with query parameter q.
func functionURL(q string) map[string]any {
	e := v2Query(q)
	e["requestContext.domainName"] = "abcdefghij.lambda-url.eu-west-1.on.aws"
	return e
}

// TestStreamedBlocks checks which blocks are streamed: only events of the
// triggers named in StreamingTriggers that can stream, and those carry the
// prelude, the eight NULs and the fixed block body.
func TestStreamedBlocks(t *testing.T) {
	const customRule = `
version: 1
rules:
  - id: no-admin
    when: {field: path, prefix: /admin}
    action: {type: block, status: 404, contentType: text/plain, body: Not Found}
`
	tests := []struct {
		name       string
		config     string
		streaming  []event.Trigger
		edits      map[string]any
		wantStream bool
		wantStatus int
		wantType   string
		wantBody   string
	}{
		{
			name: "function url streamed", streaming: []event.Trigger{event.FunctionURL},
			edits: functionURL(sqli), wantStream: true, wantStatus: 403,
		},
		{
			name: "function url custom rule streamed", config: customRule, streaming: []event.Trigger{event.FunctionURL},
			edits:      map[string]any{"requestContext.domainName": "abcdefghij.lambda-url.eu-west-1.on.aws", "rawPath": "/admin/users"},
			wantStream: true, wantStatus: 404, wantType: "text/plain", wantBody: "Not Found",
		},
		{
			name:  "function url without the setting stays buffered",
			edits: functionURL(sqli), wantStatus: 403,
		},
		{
			name: "http api is not the function url", streaming: []event.Trigger{event.FunctionURL},
			edits: v2Query(sqli), wantStatus: 403,
		},
		{
			name: "a trigger that cannot stream is ignored", streaming: []event.Trigger{event.APIGatewayHTTP},
			edits: v2Query(sqli), wantStatus: 403,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, rec := newTestFirewall(t, tt.config, Options{StreamingTriggers: tt.streaming})
			v := inspect(t, f, fixture(t, "apigw-v2.json", tt.edits))
			if !v.Block {
				t.Fatalf("not blocked: %+v", rec.ds[0])
			}
			d := rec.ds[0]
			if bytes.Contains(v.BlockResponse, []byte("OR 1=1")) {
				t.Errorf("block response reflects input: %q", v.BlockResponse)
			}
			if v.BlockStreaming != tt.wantStream {
				t.Fatalf("BlockStreaming = %v, want %v", v.BlockStreaming, tt.wantStream)
			}
			if !tt.wantStream {
				var r struct {
					StatusCode int `json:"statusCode"`
				}
				if err := json.Unmarshal(v.BlockResponse, &r); err != nil || r.StatusCode != tt.wantStatus || v.BlockContentType != "" {
					t.Errorf("buffered block %q (content type %q): %v", v.BlockResponse, v.BlockContentType, err)
				}
				return
			}
			if v.BlockContentType != event.StreamingContentType {
				t.Errorf("BlockContentType = %q", v.BlockContentType)
			}
			prelude, body, ok := bytes.Cut(v.BlockResponse, []byte("\x00\x00\x00\x00\x00\x00\x00\x00"))
			if !ok {
				t.Fatalf("no prelude separator in %q", v.BlockResponse)
			}
			wantBody, wantType := tt.wantBody, tt.wantType
			if wantBody == "" {
				wantBody, wantType = string(d.Body), d.ContentType
			}
			if string(body) != wantBody {
				t.Errorf("body %q, want %q", body, wantBody)
			}
			var p struct {
				StatusCode int               `json:"statusCode"`
				Headers    map[string]string `json:"headers"`
			}
			if err := json.Unmarshal(prelude, &p); err != nil {
				t.Fatalf("prelude %q: %v", prelude, err)
			}
			// The request id is the Runtime API's, never the event's.
			want := map[string]string{"Content-Type": wantType, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
				contract.RequestIDHeader: "req-1"}
			if p.StatusCode != tt.wantStatus || !maps.Equal(p.Headers, want) {
				t.Errorf("prelude %s", prelude)
			}
		})
	}
}

// TestStreamingLeavesBatchesAlone: record-list blocks are not HTTP
// responses and never streamed, whatever the setting names.
func TestStreamingLeavesBatchesAlone(t *testing.T) {
	f, _, _ := newTestFirewall(t, "", Options{StreamingTriggers: []event.Trigger{event.FunctionURL, event.SQS}})
	raw := fixture(t, "sqs.json", nil)
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc["Records"].([]any) {
		r.(map[string]any)["body"] = sqli
	}
	payload, _ := json.Marshal(doc)
	v := inspect(t, f, payload)
	if !v.Block || v.BlockStreaming || v.BlockContentType != "" || !bytes.Contains(v.BlockResponse, []byte("batchItemFailures")) {
		t.Errorf("all-bad batch: %+v", v)
	}
}

func TestStreamedInvocations(t *testing.T) {
	check := StreamedInvocations([]event.Trigger{event.FunctionURL})
	tests := []struct {
		name    string
		payload []byte
		want    bool
	}{
		{"function url", fixture(t, "apigw-v2.json", functionURL("x")), true},
		{"http api", fixture(t, "apigw-v2.json", nil), false},
		{"rest api not listed", fixture(t, "apigw-v1.json", nil), false},
		{"malformed", []byte(`{"requestContext":`), false},
	}
	for _, tt := range tests {
		if got := check(&proxy.Invocation{Event: tt.payload}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if StreamedInvocations(nil)(&proxy.Invocation{Event: fixture(t, "apigw-v2.json", functionURL("x"))}) {
		t.Error("no streaming triggers, yet streamed")
	}
}

// TestBlockResponsesNameTheRuntimeAPIRequestID: every HTTP block response
// carries the invocation's request id from the Runtime API, in both header
// modes, and never an id the event claims.
func TestBlockResponsesNameTheRuntimeAPIRequestID(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		edits   map[string]any
	}{
		{"http api, forged requestContext.requestId", "apigw-v2.json", merge(v2Query(sqli), map[string]any{"requestContext.requestId": "forged"})},
		{"rest api, forged x-amzn-requestid header", "apigw-v1.json", map[string]any{"body": `{"c":"<script>alert(1)</script>"}`, "headers.x-amzn-requestid": "forged"}},
		{"alb", "alb.json", map[string]any{"headers.x-search": sqli}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := newTestFirewall(t, "", Options{})
			v := inspect(t, f, fixture(t, tt.fixture, tt.edits))
			if !v.Block {
				t.Fatal("not blocked")
			}
			var resp struct {
				Headers           map[string]string   `json:"headers"`
				MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			}
			if err := json.Unmarshal(v.BlockResponse, &resp); err != nil {
				t.Fatal(err)
			}
			got := resp.Headers[contract.RequestIDHeader]
			if vs := resp.MultiValueHeaders[contract.RequestIDHeader]; len(vs) == 1 {
				got = vs[0]
			}
			if got != "req-1" || bytes.Contains(v.BlockResponse, []byte("forged")) {
				t.Errorf("block response %s: want %s req-1 and nothing forged", v.BlockResponse, contract.RequestIDHeader)
			}
		})
	}
}

func merge(a, b map[string]any) map[string]any {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}
