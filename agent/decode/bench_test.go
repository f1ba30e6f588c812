package decode

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// BenchmarkParseWalk is the hot path for a realistic ~1 KB HTTP API v2 JSON
// event: event.Parse then Walk with a visitor that only counts.
func BenchmarkParseWalk(b *testing.B) {
	payload, err := os.ReadFile("../event/testdata/apigw-v2-post-json.json")
	if err != nil {
		b.Fatal(err)
	}
	d := New(Limits{})
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		req, err := event.Parse(payload)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		if err := d.Walk(req, func(event.Value) bool { n++; return true }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	payload, err := os.ReadFile("../event/testdata/apigw-v2-post-json.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := event.Parse(payload); err != nil {
			b.Fatal(err)
		}
	}
}

// adversarialBodies are 1 MB bodies built to hurt a naive decoder.
func adversarialBodies() map[string]string {
	const size = 1 << 20
	deep := strings.Repeat(`{"a":[`, size/12) + strings.Repeat(`]}`, size/12)
	var keys strings.Builder
	keys.WriteString("{")
	for i := 0; keys.Len() < size; i++ {
		if i > 0 {
			keys.WriteString(",")
		}
		keys.WriteString(`"k`)
		keys.WriteString(strings.Repeat("x", i%7))
		keys.WriteString(`":"v"`)
	}
	keys.WriteString("}")
	quotes := `{"q":"` + strings.Repeat(`\"'\\\u0027`, size/14) + `"}`
	encoded := `{"e":"` + strings.Repeat("%25252527", size/9) + `"}`
	b64 := `{"b":"` + strings.Repeat("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", size/34) + `"}`
	form := strings.Repeat("a=%27&", size/6)
	longKey := `{"` + strings.Repeat("k", size/2) + `":[` + strings.Repeat(`"v",`, size/8) + `"v"]}`
	mixed := `{"m":"` + strings.Repeat("%26lt%3B&amp;%2525", size/18) + `"}`
	xml := "<r>" + strings.Repeat("<a x='1'>&lt;t&gt;</a>", size/24) + "</r>"
	return map[string]string{
		"deep-nesting":   deep,
		"many-keys":      keys.String(),
		"quote-heavy":    quotes,
		"multi-encoded":  encoded,
		"mixed-encoding": mixed,
		"long-key":       longKey,
		"base64-value":   b64,
		"form-pairs":     form,
		"xml-elements":   xml,
		"truncated-json": keys.String()[:size/2],
	}
}

func adversarialRequest(body string) *event.Request {
	ct := "application/json"
	switch {
	case strings.HasPrefix(body, "a="):
		ct = "application/x-www-form-urlencoded"
	case strings.HasPrefix(body, "<"):
		ct = "application/xml"
	}
	return &event.Request{Trigger: event.APIGatewayHTTP, ContentType: ct, Body: []byte(body)}
}

func BenchmarkWalkAdversarial1MB(b *testing.B) {
	for name, body := range adversarialBodies() {
		b.Run(name, func(b *testing.B) {
			req := adversarialRequest(body)
			d := New(Limits{})
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				d.Walk(req, func(event.Value) bool { return true })
			}
		})
	}
}

// TestAdversarialBounded checks that work on each 1 MB adversarial body is
// bounded: the text yielded is a small multiple of the input, and the walk
// ends in well under 2 s even on a loaded machine (a quadratic path would
// take minutes). BenchmarkWalkAdversarial1MB gives the real timings.
func TestAdversarialBounded(t *testing.T) {
	for name, body := range adversarialBodies() {
		req := adversarialRequest(body)
		d := New(Limits{})
		start := time.Now()
		n, total := 0, 0
		d.Walk(req, func(v event.Value) bool { n++; total += len(v.Text); return true })
		if el := time.Since(start); el > 2*time.Second*raceSlowdown {
			t.Errorf("%s: %v for 1 MB (%d values)", name, el, n)
		}
		if total > 8*len(body) {
			t.Errorf("%s: %d bytes yielded for a %d byte body", name, total, len(body))
		}
	}
}
