package template

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// sourceBefore and tagAtBefore are Source and tagAt without tagAt's
// turning away at once a byte that opens no tag: every opener compared. The oracle for
// TestSourceAgreesWithEveryOpenerCompared.
func sourceBefore(s string) bool {
	statements, expressions, markup := 0, 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case lex.IsSpace(c):
			i++
			continue
		case lex.IsAlnum(c):
			return false
		}
		open, close, kind := tagAtBefore(s, i)
		if open == 0 {
			i++ // punctuation between tags (" : ", "|")
			continue
		}
		j := strings.Index(s[i+open:], close)
		if j < 0 {
			return false
		}
		switch kind {
		case tagStatement:
			statements++
		case tagExpression:
			expressions++
		case tagMarkup:
			markup++
		}
		i += open + j + len(close)
	}
	return statements > 0 || expressions > 0 && markup > 0
}

func tagAtBefore(s string, i int) (open int, close string, kind int) {
	at := func(p string) bool { return strings.HasPrefix(s[i:], p) }
	switch {
	case at("{%"):
		return 2, "%}", tagStatement
	case at("{{#"), at("{{/"), at("{{^"):
		return 3, "}}", tagStatement
	case at("{{"):
		return 2, "}}", tagExpression
	case at("<%="), at("<%-"):
		return 3, "%>", tagExpression
	case at("<%"):
		return 2, "%>", tagStatement
	case at("<#"), at("</#"):
		return 2, ">", tagStatement
	case at("${"):
		return 2, "}", tagExpression
	case s[i] == '<' && i+1 < len(s) && (lex.IsAlpha(s[i+1]) || s[i+1] == '/'):
		return 1, ">", tagMarkup
	}
	return 0, "", tagNone
}

// TestSourceAgreesWithEveryOpenerCompared holds Source to the code it
// replaced on the corpora, hostile random strings, texts of template and
// HTML tags, their mutations, and long runs.
func TestSourceAgreesWithEveryOpenerCompared(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := Source(s), sourceBefore(s); got != want {
			t.Fatalf("Source(%d bytes %.80q) = %v, before %v", len(s), s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(59, 61))
	pieces := []string{"{%", "%}", "{{", "}}", "{{#", "{{/", "{{^", "<%", "<%=", "<%-", "%>", "<", ">", "</", "<dt>", "</dt>", "{", "}", " ", "\n", ":", "|", "x", "1", "${", "#", "<#", "</#", "$"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 16)...)
	for _, s := range texts {
		s = strings.ToLower(s)
		check(s)
		for _, m := range difftest.Mutate(r, s) {
			check(m)
		}
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
	}
}
