package rie

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Event describes one API Gateway HTTP API (payload v2) event for the
// handler: what it should do (tests/rie/handler reads the rie* fields) and
// how large and how hostile it is.
type Event struct {
	Action  string // "", "error", "panic", "sleep", "stream"
	Nonce   string // unique per invocation; the handler's answer names it
	SleepMs int
	Chunks  int
	// Size is the event's approximate size in bytes: the JSON body grows
	// with realistic order lines until the event reaches it.
	Size int
	// Attack puts a SQL injection in the query string, which lambdawaf
	// blocks in block mode.
	Attack bool
	// Binary makes the body Size bytes of a base64-encoded upload
	// (application/octet-stream) instead of JSON order lines: the shape of
	// the largest events real APIs receive, and one that stays under the
	// policy's bound on the number of decoded values.
	Binary bool
}

// orderLine is one benign line of an order body. Its note is long enough
// that a 1 MB body stays well under the policy's bound on decoded values
// (50,000), as real large bodies do.
const orderLine = `{"sku":"SKU-4417","quantity":3,"gift":false,"note":"Please leave the parcel at the front desk ` +
	`if nobody answers; ring twice and wait a minute, the office is large. Deliveries after six go to the side ` +
	`entrance on the left, next to the bicycle racks. Thank you for packing the glasses carefully last time."}`

// JSON renders the event.
func (e Event) JSON() []byte {
	query, params := "expand=items&page=2", map[string]string{"expand": "items", "page": "2"}
	if e.Attack {
		query, params = "id=1%27%20OR%20%271%27%3D%271", map[string]string{"id": "1' OR '1'='1"}
	}
	// The fixed part of the event is about 900 bytes; the body brings it
	// to Size. Inside the body string each line's quotes are escaped.
	lines := 1
	if extra := e.Size - 900; extra > 0 {
		lines = max(1, extra/(len(orderLine)+strings.Count(orderLine, `"`)+1))
	}
	var body strings.Builder
	contentType := "application/json"
	if e.Binary {
		contentType = "application/octet-stream"
		// Letters, digits and spaces (a scanned text, say): arbitrary
		// bytes happen to contain "{{" or "<s", and the detectors rightly
		// look at decoded uploads.
		const alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
		raw := make([]byte, (e.Size-900)/4*3)
		var x uint32 = 2463534242
		for i := range raw { // xorshift: deterministic
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			raw[i] = alphabet[x%uint32(len(alphabet))]
		}
		body.WriteString(base64.StdEncoding.EncodeToString(raw))
	} else {
		body.WriteString(`{"customer":"c-1029","lines":[`)
		for i := range lines {
			if i > 0 {
				body.WriteByte(',')
			}
			body.WriteString(orderLine)
		}
		body.WriteString(`]}`)
	}
	ev := map[string]any{
		"version":               "2.0",
		"routeKey":              "POST /orders",
		"rawPath":               "/orders",
		"rawQueryString":        query,
		"cookies":               []string{"session=7f0c2a9e", "theme=dark"},
		"queryStringParameters": params,
		"headers": map[string]string{
			"accept": "application/json", "content-type": contentType, "host": "api.example.com",
			"user-agent":      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
			"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https",
		},
		"requestContext": map[string]any{
			"accountId": "123456789012", "apiId": "a1b2c3", "domainName": "api.example.com",
			"http": map[string]string{"method": "POST", "path": "/orders", "protocol": "HTTP/1.1",
				"sourceIp": "203.0.113.9", "userAgent": "Mozilla/5.0"},
			"requestId": "rie-" + e.Nonce, "routeKey": "POST /orders", "stage": "$default",
			"time": "21/Nov/2026:23:00:00 +0000", "timeEpoch": 1795302000000,
		},
		"body":            body.String(),
		"isBase64Encoded": e.Binary,
		"rieAction":       e.Action,
		"rieNonce":        e.Nonce,
	}
	if e.SleepMs > 0 {
		ev["rieSleepMs"] = e.SleepMs
	}
	if e.Chunks > 0 {
		ev["rieChunks"] = e.Chunks
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(fmt.Sprintf("marshal event: %v", err)) // static shapes: cannot fail
	}
	return b
}
