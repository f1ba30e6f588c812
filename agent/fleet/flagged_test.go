package fleet

import (
	"testing"
	"time"
)

// BenchmarkFlagged is the flag check on the request path once the group
// has flags: one HMAC of the source and a map lookup.
func BenchmarkFlagged(b *testing.B) {
	for _, flags := range []int{0, 1000} {
		b.Run(map[int]string{0: "no-flags", 1000: "1000-flags"}[flags], func(b *testing.B) {
			s, err := New(Options{
				Table: &Table{API: &scriptedTable{}, Name: "t", Group: "g"},
				Key:   func() ([]byte, bool) { return []byte("0123456789abcdef0123456789abcdef"), true },
			})
			if err != nil {
				b.Fatal(err)
			}
			s.flags = map[string]time.Time{}
			for i := range flags {
				s.flags["ip_"+string(rune('a'+i%26))+time.Duration(i).String()] = time.Now().Add(time.Hour)
			}
			src := Source{Prefix: "ip_", Value: "192.0.2.44"}
			b.ReportAllocs()
			for b.Loop() {
				if s.Flagged(src) {
					b.Fatal("flagged")
				}
			}
		})
	}
}
