package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// urlEntityBefore is entityScriptURL's first test as it was before
// urlEntityWords: a strings.Contains per reference. The oracle for
// TestURLEntityWordsAgreeWithContainsPerWord.
func urlEntityBefore(s string) bool {
	return strings.Contains(s, "&tab") || strings.Contains(s, "&newline") || strings.Contains(s, "&colon") || strings.Contains(s, "&#")
}

// TestURLEntityWordsAgreeWithContainsPerWord holds the one-pass test for
// the references entityScriptURL decodes to a strings.Contains per
// reference, on the corpora, hostile random strings, texts of the pieces
// of references, their mutations and long runs.
func TestURLEntityWordsAgreeWithContainsPerWord(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(233, 239))
	pieces := []string{"&", "&tab", "&tab;", "&newline", "&newlin", "&colon", "&colo", "&#", "#", "&amp;", "t", "a", "b", "n", "c", ";", " ", "javascript:", "&&"}
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
		have := lex.BytesOf(s)
		got, want := urlEntityWords.Contains(s, &have), urlEntityBefore(s)
		if got != want {
			t.Fatalf("urlEntityWords.Contains(%d bytes %.80q) = %v, a Contains per word %v", len(s), s, got, want)
		}
		if got {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d texts hold a reference: the texts do not exercise the test", found)
	}
}
