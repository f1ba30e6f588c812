package gateway

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// BenchmarkEvent measures building a 1 KB HTTP API event, the front door's
// own cost per request before the function is invoked.
func BenchmarkEvent(b *testing.B) {
	body := bytes.Repeat([]byte(`{"sku":"A-1","qty":2},`), 45)
	for _, shape := range Shapes() {
		b.Run(string(shape), func(b *testing.B) {
			r := httptest.NewRequest("POST", "/orders/42?expand=items&expand=customer&page=2", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")
			r.Header.Set("Cookie", "session=abc; theme=dark")
			r.Header.Set("Accept", "application/json")
			req := NewRequest(r, body)
			tr := &Translator{Shape: shape}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tr.Event(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResponse(b *testing.B) {
	payload := []byte(`{"statusCode":200,"headers":{"Content-Type":"application/json"},"cookies":["a=1"],"body":"{\"id\":\"ord-000001\",\"sku\":\"A-1\",\"quantity\":2}"}`)
	tr := &Translator{Shape: HTTPAPI}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Response(payload, "application/json"); err != nil {
			b.Fatal(err)
		}
	}
}
