package gateway

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestEventParseAcceptsGeneratedEvents cross-checks the translator with the
// agent's own event parser: every generated event must be recognised as its
// trigger and yield the request that was sent.
func TestEventParseAcceptsGeneratedEvents(t *testing.T) {
	binary := bytes.Repeat([]byte{0, 0xff, 0x10, 'a'}, 1000)
	tests := []struct {
		shape   Shape
		trigger event.Trigger
	}{
		{HTTPAPI, event.APIGatewayHTTP},
		{FunctionURL, event.FunctionURL},
		{REST, event.APIGatewayREST},
		{ALB, event.ALB},
		{ALBMultiValue, event.ALB},
	}
	for _, tc := range tests {
		for _, body := range [][]byte{nil, []byte(`{"sku":"A-1","qty":2}`), binary} {
			r := httptest.NewRequest(http.MethodPost, "/orders/42?id=7&id=8&q=a%20b", bytes.NewReader(body))
			r.Header.Add("X-Multi", "one")
			r.Header.Add("X-Multi", "two")
			r.Header.Set("Cookie", "session=abc; theme=dark")
			r.Header.Set("User-Agent", "lambdawaf-test")
			if body != nil && body[0] == '{' {
				r.Header.Set("Content-Type", "application/json")
			} else if body != nil {
				r.Header.Set("Content-Type", "application/octet-stream")
			}
			r.RemoteAddr = "198.51.100.7:5555"
			tr := fixedTranslator(tc.shape)
			tr.BinaryMediaTypes = []string{"application/octet-stream"}
			payload, err := tr.Event(NewRequest(r, body))
			if err != nil {
				t.Fatal(err)
			}
			req, err := event.Parse(payload)
			if err != nil {
				t.Fatalf("%s: event.Parse: %v\n%s", tc.shape, err, payload)
			}
			name := fmt.Sprintf("%s/body=%d", tc.shape, len(body))
			if req.Trigger != tc.trigger {
				t.Errorf("%s: trigger %s, want %s", name, req.Trigger, tc.trigger)
			}
			if req.Method != "POST" || !strings.HasPrefix(req.Path, "/orders/42") {
				t.Errorf("%s: method %q path %q", name, req.Method, req.Path)
			}
			if req.SourceIP != "198.51.100.7" {
				t.Errorf("%s: source ip %q", name, req.SourceIP)
			}
			if !bytes.Equal(req.Body, body) {
				t.Errorf("%s: body %d bytes, want %d", name, len(req.Body), len(body))
			}
			if got := req.Cookies["session"]; !slices.Equal(got, []string{"abc"}) {
				t.Errorf("%s: cookie session = %q", name, got)
			}
			wantMulti := "one,two"
			if tc.shape == ALB {
				wantMulti = "two" // single-value ALB keeps the last of repeated headers
			}
			if got := strings.Join(req.Headers["x-multi"], ","); got != wantMulti {
				t.Errorf("%s: x-multi = %q", name, got)
			}
			if got := req.Headers["user-agent"]; len(got) != 1 || got[0] != "lambdawaf-test" {
				t.Errorf("%s: user-agent = %q", name, got)
			}
			if len(req.Query["id"]) == 0 {
				t.Errorf("%s: query id missing: %v", name, req.Query)
			}
		}
	}
}
