package gateway

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// FuzzEvent builds events from arbitrary query strings, header values and
// bodies: every event must be valid JSON that the agent's parser accepts as
// the right trigger with the body intact (go test -fuzz FuzzEvent).
func FuzzEvent(f *testing.F) {
	f.Add("id=1&id=2&q=a%20b", "session=abc; x=y", "text/plain", []byte("hello"), uint8(0))
	f.Add("%zz=%&&=", "", "application/octet-stream", []byte{0, 0xff, 0xfe}, uint8(2))
	f.Add("a=%u0041", "=;;", "", []byte("\xc3\x28"), uint8(4))
	f.Fuzz(func(t *testing.T, rawQuery, cookie, contentType string, body []byte, shapeIndex uint8) {
		shape := Shapes()[int(shapeIndex)%len(Shapes())]
		r := httptest.NewRequest("POST", "/p", bytes.NewReader(body))
		r.URL.RawQuery = rawQuery
		for _, kv := range [][2]string{{"Cookie", cookie}, {"Content-Type", contentType}} {
			if kv[1] != "" && validHeaderValue(kv[1]) {
				r.Header.Set(kv[0], kv[1])
			}
		}
		payload, err := (&Translator{Shape: shape}).Event(NewRequest(r, body))
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(payload) {
			t.Fatalf("invalid JSON event: %s", payload)
		}
		req, err := event.Parse(payload)
		if err != nil {
			t.Fatalf("event.Parse: %v\n%s", err, payload)
		}
		if !req.Trigger.IsHTTP() || !bytes.Equal(req.Body, body) {
			t.Fatalf("trigger %s, body %q, want %q", req.Trigger, req.Body, body)
		}
		// JSON cannot carry invalid UTF-8: such bytes arrive as U+FFFD, for
		// the firewall and the handler alike.
		if _, err := url.ParseQuery(rawQuery); err == nil && utf8.ValidString(rawQuery) && shape.isV2() && req.RawQuery != rawQuery {
			t.Fatalf("rawQueryString %q, sent %q", req.RawQuery, rawQuery)
		}
	})
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// FuzzResponse feeds arbitrary function payloads to every shape: each is
// either translated or rejected as malformed, and a translated response
// never carries a header value that would split the HTTP response.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"statusCode":200,"headers":{"a":"b"},"body":"x"}`), uint8(0))
	f.Add([]byte(`{"statusCode":"200"}`), uint8(1))
	f.Add([]byte(`{"statusCode":200,"body":"AAA=","isBase64Encoded":true,"cookies":["a=b"]}`), uint8(2))
	f.Add([]byte(`[1,2]`), uint8(3))
	f.Fuzz(func(t *testing.T, payload []byte, shapeIndex uint8) {
		shape := Shapes()[int(shapeIndex)%len(Shapes())]
		res, err := (&Translator{Shape: shape, BinaryMediaTypes: []string{"*/*"}}).Response(payload, "*/*")
		if err != nil {
			return
		}
		if res.StatusCode < 100 || res.StatusCode > 599 {
			t.Fatalf("status %d", res.StatusCode)
		}
		rec := httptest.NewRecorder()
		res.Write(rec)
		for name, vs := range rec.Header() {
			for _, v := range vs {
				if bytes.ContainsAny([]byte(name+v), "\r\n") {
					t.Fatalf("header %q: %q", name, v)
				}
			}
		}
		_ = http.StatusText(res.StatusCode)
	})
}
