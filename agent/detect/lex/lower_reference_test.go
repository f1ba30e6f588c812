package lex

import (
	"math/rand/v2"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// appendLowerReference is AppendLower before it wrote into a buffer grown
// once through a table: an append and a comparison per byte. The oracle
// for TestAppendLowerAgreesByteAtATime.
func appendLowerReference(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// TestAppendLowerAgreesByteAtATime holds AppendLower to the byte-at-a-time
// copy on every byte value, the corpora, hostile random strings and long
// runs, into an empty buffer, after bytes already in it, and into a
// buffer with room to spare.
func TestAppendLowerAgreesByteAtATime(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(277, 281))
	all := make([]byte, 256)
	for c := range all {
		all[c] = byte(c)
	}
	texts := append(difftest.Corpus(t), string(all), "")
	texts = append(texts, difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Long(r, append([]string{"ABC", "Z@[`az{"}, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		for _, dst := range [][]byte{nil, []byte("Xy;"), make([]byte, 2, 64)} {
			want := string(appendLowerReference(append([]byte(nil), dst...), s))
			if got := string(AppendLower(dst, s)); got != want {
				t.Fatalf("AppendLower(%q, %.80q) = %.120q, a byte at a time %.120q", dst, s, got, want)
			}
		}
	}
}
