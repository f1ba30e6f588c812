package ssi

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// directiveReference, esiTagReference and namedAfterReference are
// Directive, ESITag and namedAfter as they were before Include read the
// text once for both openers: detectSSI asked Directive, then ESITag. The
// oracle for TestIncludeAgreesWithDirectiveThenESITag.
func directiveReference(s string) (off, score int) {
	return namedAfterReference(s, "<!--#", directives, func(c byte) bool { return c == ' ' || c == '\t' || c == '-' })
}

func esiTagReference(s string) (off, score int) {
	return namedAfterReference(s, "<esi:", esiTags, func(c byte) bool { return lex.IsSpace(c) || c == '/' || c == '>' })
}

func namedAfterReference(s, opener string, names map[string]int, ends func(byte) bool) (off, score int) {
	for o := 0; o < len(s); {
		i := strings.Index(s[o:], opener)
		if i < 0 {
			return -1, 0
		}
		i += o
		o = i + len(opener)
		j := o
		for j < len(s) && lex.IsAlpha(s[j]) {
			j++
		}
		if sc := names[s[o:j]]; sc > 0 && (j == len(s) || ends(s[j])) {
			return i, sc
		}
	}
	return -1, 0
}

// includeReference is what detectSSI asked before Include.
func includeReference(s string) (int, int) {
	if i, sc := directiveReference(s); i >= 0 {
		return i, sc
	}
	return esiTagReference(s)
}

// TestIncludeAgreesWithDirectiveThenESITag holds Include to a search per
// opener on the corpora, hostile random strings, random texts of openers,
// names and what may follow them, their mutations and long runs.
func TestIncludeAgreesWithDirectiveThenESITag(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(283, 293))
	pieces := []string{"<", "<!--#", "<!--", "#", "<esi:", "<esi", ":", "exec", "include", "echo", "if", "inline", "vars", "debug", "comment", "x", " ", "\t", "-", "/", ">", "-->", "<<!--#", "<<esi:"}
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
		gi, gs := Include(s)
		wi, ws := includeReference(s)
		if gi != wi || gs != ws {
			t.Fatalf("Include(%d bytes %.80q) = %d, %d; Directive then ESITag %d, %d", len(s), s, gi, gs, wi, ws)
		}
		if gs > 0 {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d includes found: the texts do not exercise Include", found)
	}
}
