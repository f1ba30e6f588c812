package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// blanksBefore is detectPath's prose test as it was before blanksAtLeast:
// every space, "%20" and '+' counted. The oracle for TestBlanksAtLeastAgreesWithCount.
func blanksBefore(s string) int {
	return strings.Count(s, " ") + strings.Count(s, "%20") + strings.Count(s, "+")
}

// TestBlanksAtLeastAgreesWithCount holds blanksAtLeast to the full count
// for every threshold up to 6, on the corpora, hostile random strings,
// random texts of blanks and escapes, and long runs.
func TestBlanksAtLeastAgreesWithCount(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(257, 263))
	pieces := []string{" ", "%20", "%2", "%", "2", "0", "%%20", "%2020", "+", "%2B", "a", "/", "../"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 8)...)
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		c := blanksBefore(s)
		for n := 0; n <= 6; n++ {
			if got := blanksAtLeast(s, n); got != (c >= n) {
				t.Fatalf("blanksAtLeast(%.80q, %d) = %v, count %d", s, n, got, c)
			}
		}
	}
}
