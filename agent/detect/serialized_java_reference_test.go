package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// serializedJavaBefore is a brute-force reading of the same property:
// at every offset, in magic order, a magic that starts a base64 token.
// The oracle for TestSerializedJavaAgreesWithSearchPerMagic.
func serializedJavaBefore(text string) int {
	for _, magic := range [...]string{"rO0AB", "KztAAU", "Cs7QAF", "H4sIA"} {
		if magic == "H4sIA" && !strings.Contains(text, "rO0") {
			continue
		}
		for i := 0; i+len(magic) <= len(text); i++ {
			// '=' pads the end of a token: "session=rO0AB..." starts one
			if text[i:i+len(magic)] == magic && (i == 0 || !isB64URL(text[i-1]) || text[i-1] == '=') {
				return i
			}
		}
	}
	return -1
}

// TestSerializedJavaAgreesWithSearchPerMagic holds serializedJava to a
// strings.Index per magic on the corpora (as written: the test is
// case-sensitive), hostile random strings, random texts of the magics and
// of base64 and other bytes around them, their mutations and long runs.
func TestSerializedJavaAgreesWithSearchPerMagic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(307, 311))
	pieces := []string{"rO0AB", "rO0", "KztAAU", "Cs7QAF", "H4sIA", "r", "K", "C", "H", "A", "=", "/", "+", "-", "_", " ", ":", "\"", ".", "%"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 10)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(4) == 0 {
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	found := 0
	for _, s := range texts {
		got, want := serializedJava(s), serializedJavaBefore(s)
		if got != want {
			t.Fatalf("serializedJava(%d bytes %.80q) = %d, a search per magic %d", len(s), s, got, want)
		}
		if got >= 0 {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d streams found: the texts do not exercise serializedJava", found)
	}
}
