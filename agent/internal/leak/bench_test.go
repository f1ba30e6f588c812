package leak

import (
	"strings"
	"testing"
)

// BenchmarkFind measures the scan of a benign 1 MiB JSON body, the common
// case for outbound inspection.
func BenchmarkFind(b *testing.B) {
	item := `{"id":12345,"name":"Widget deluxe","price":"19.99","sku":"ABC-123-XYZ","tags":["a","b"],"updated":"2026-11-21T23:45:00Z"},`
	body := []byte(`{"items":[` + strings.Repeat(item, (1<<20)/len(item)) + `{}]}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Find(body, All, true)
	}
}
