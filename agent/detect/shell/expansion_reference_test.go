package shell

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// expansionBefore is Expansion as it was before its "${" search ended at
// the last '}'. The oracle for TestExpansionAgreesWithWholeTextSearch.
func expansionBefore(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<(")
		if i < 0 {
			break
		}
		i += off
		if w, _, _ := CommandWordAt(s, lex.SkipSpace(s, i+2)); w != "" {
			if _, ok := strongCommands[w]; ok {
				return i
			}
		}
		off = i + 2
	}
	lastBrace := strings.LastIndexByte(s, '}')
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "${")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j > i+2 && j < len(s) && (s[j] == '#' || s[j] == '%' || strings.HasPrefix(s[j:], "//")) && j < lastBrace {
			return i
		}
		off = i + 2
	}
	return -1
}

// TestExpansionAgreesWithWholeTextSearch holds Expansion to the search of
// the whole text on the corpora, hostile random strings, texts of
// parameter expansions and process substitutions with and without their
// closing braces, their mutations and long runs.
func TestExpansionAgreesWithWholeTextSearch(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := Expansion(s), expansionBefore(s); got != want {
			t.Fatalf("Expansion(%.80q) = %d, whole-text search %d", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(109, 113))
	pieces := []string{"${", "}", "{", "$", "x", "path", "#", "%", "//", "/", "<(", "cat ", "nc ", " ", "${x#y}", "${a%%b}", "${v//a/b}", "${ifs}", ";"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 12)...)
	found := 0
	for _, s := range texts {
		s = strings.ToLower(s)
		for _, m := range append(difftest.Mutate(r, s), s) {
			check(m)
			if Expansion(m) >= 0 {
				found++
			}
		}
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
	}
	if found < 500 {
		t.Errorf("only %d expansions found: the texts do not exercise Expansion", found)
	}
}
