package xpath

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// injectionReference is Injection read plainly: each list in order, each
// word at every offset of s. The oracle for
// TestInjectionAgreesWithSearchPerWord.
func injectionReference(s string) (int, int) {
	for _, a := range axes {
		if i := everyIndex(s, a, func(i int) bool {
			// a node test after the axis: a name, *, or node()/text()
			j := i + len(a)
			return (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') && j < len(s) && (lex.IsAlpha(s[j]) || s[j] == '*')
		}); i >= 0 {
			return i, 7
		}
	}
	// a node function over an absolute location path, the shape of blind
	// extraction: substring(//user[userid=5]/username,2,1), count(/*)
	for _, fn := range funcs {
		if i := everyIndex(s, fn, func(i int) bool {
			a := lex.SkipSpace(s, i+len(fn))
			return (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') && a < len(s) && s[a] == '/' && a+1 < len(s) && (s[a+1] == '/' || s[a+1] == '*' || lex.IsAlpha(s[a+1]))
		}); i >= 0 {
			return i, 7
		}
	}
	if i := fetchReference(s); i >= 0 {
		return i, 8
	}
	for off := 0; off < len(s); {
		// (performance only: the next quote by a byte loop, not
		// strings.IndexAny, which builds its byte set on every call and
		// is called once per quote of a quote run)
		q := off
		for q < len(s) && s[q] != '\'' && s[q] != '"' {
			q++
		}
		if q == len(s) {
			break
		}
		off = q + 1
		r := lex.SkipSpace(s, q+1)
		// the quote may close a call too: "')] | //x", "') and contains("
		for r < len(s) && s[r] == ')' {
			r = lex.SkipSpace(s, r+1)
		}
		// '] | //x or '] /x: the predicate closed, a new path begins
		if r < len(s) && s[r] == ']' {
			if n := lex.SkipSpace(s, r+1); n < len(s) && (s[n] == '|' || s[n] == '/') {
				return q, 7
			}
		}
		var w string
		switch {
		case strings.HasPrefix(s[r:], "or "):
			w = "or "
		case strings.HasPrefix(s[r:], "and "):
			w = "and "
		default:
			continue
		}
		f := lex.SkipSpace(s, r+len(w))
		for _, fn := range funcs {
			if strings.HasPrefix(s[f:], fn) {
				return q, 8
			}
		}
	}
	return -1, 0
}

// fetchReference is fetch read plainly: every occurrence of each fetcher.
func fetchReference(s string) int {
	for _, fn := range fetchers {
		if i := everyIndex(s, fn, func(i int) bool {
			if i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '-') {
				return false
			}
			a := lex.SkipSpace(s, i+len(fn))
			switch {
			case strings.HasPrefix(s[a:], "concat("):
				return true
			case a < len(s) && (s[a] == '\'' || s[a] == '"'):
				j := strings.IndexByte(s[a+1:], s[a])
				return j > 0 && strings.Contains(s[a+1:a+1+j], "://")
			}
			return false
		}); i >= 0 {
			return i
		}
	}
	return -1
}

// everyIndex returns the first offset of w in s, trying each, that ok
// accepts, or -1.
func everyIndex(s, w string, ok func(i int) bool) int {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w && ok(i) {
			return i
		}
	}
	return -1
}

// TestInjectionAgreesWithSearchPerWord holds Injection to a
// strings.Index per word on the corpora, hostile random strings, random
// texts of the words XPath readings are made of, their mutations, and
// long runs of both (the one-pass search reads texts of 256 bytes and
// more).
func TestInjectionAgreesWithSearchPerWord(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(227, 229))
	pieces := append([]string{"'", "\"", " or ", " and ", ")", "]", " | ", "/", "//", "*", "-", ".", "_", "x", "1", " ", "concat(", "http://h/", "'http://h/'", "::", "node()"},
		append(append(axes[:], funcs[:]...), fetchers[:]...)...)
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 10)...)
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
		gi, gs := Injection(s, &have)
		wi, ws := injectionReference(s)
		if gi != wi || gs != ws {
			t.Fatalf("Injection(%d bytes %.80q) = %d, %d; a search per word %d, %d", len(s), s, gi, gs, wi, ws)
		}
		if gs > 0 {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d readings found: the texts do not exercise Injection", found)
	}
}
