package decode

// The count of control characters as textLike and textSoFar made it
// before controlBytes: the oracle TestControlBytesMatchesReference holds
// the new count to.

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func refControlBytes(b []byte) int {
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			ctl++
		}
	}
	return ctl
}

// TestControlBytesMatchesReference: every byte value at every position
// of a word, among plain, high and near-control neighbours, in texts of
// every length around the eight-byte words, is counted as the reference
// counts it.
func TestControlBytesMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	fills := []byte{'a', ' ', 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xff, '\t', '\n', '\r', 0}
	for n := range 20 {
		for pos := range n {
			for c := range 256 {
				b := make([]byte, n)
				for i := range b {
					b[i] = fills[r.IntN(len(fills))]
				}
				b[pos] = byte(c)
				if got, want := controlBytes(b), refControlBytes(b); got != want {
					t.Fatalf("controlBytes(%q) = %d, want %d", b, got, want)
				}
			}
		}
	}
	for _, s := range []string{strings.Repeat("plain text, no control ", 100), strings.Repeat("\x01a\x7fb\tc", 200), strings.Repeat("é\x00", 300)} {
		if got, want := controlBytes([]byte(s)), refControlBytes([]byte(s)); got != want {
			t.Fatalf("controlBytes of %d bytes = %d, want %d", len(s), got, want)
		}
	}
}

// BenchmarkControlBytes compares the count with its reference on 1 MiB
// of decoded text, the length textLike judges in the nested-encodings
// event.
func BenchmarkControlBytes(b *testing.B) {
	text := []byte(strings.Repeat("%253Cscript%253E", (1<<20)/16))
	b.Run("text", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			controlBytes(text)
		}
	})
	b.Run("text/reference", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			refControlBytes(text)
		}
	})
}
