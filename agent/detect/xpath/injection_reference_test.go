package xpath

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// injectionReference is Injection before it searched its lists of axes,
// functions and fetchers in one pass each: a strings.Index per word. The
// oracle for TestInjectionAgreesWithSearchPerWord.
func injectionReference(s string) (int, int) {
	for _, a := range axes {
		if i := strings.Index(s, a); i >= 0 && (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') {
			// a node test after the axis: a name, *, or node()/text()
			if j := i + len(a); j < len(s) && (lex.IsAlpha(s[j]) || s[j] == '*') {
				return i, 7
			}
		}
	}
	// a node function over an absolute location path, the shape of blind
	// extraction: substring(//user[userid=5]/username,2,1), count(/*)
	for _, fn := range funcs {
		if i := strings.Index(s, fn); i >= 0 && (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') {
			if a := lex.SkipSpace(s, i+len(fn)); a < len(s) && s[a] == '/' && a+1 < len(s) && (s[a+1] == '/' || s[a+1] == '*' || lex.IsAlpha(s[a+1])) {
				return i, 7
			}
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

// fetchReference is fetch before it searched its list in one pass.
func fetchReference(s string) int {
	for _, fn := range fetchers {
		i := strings.Index(s, fn)
		if i < 0 || i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '-') {
			continue
		}
		a := lex.SkipSpace(s, i+len(fn))
		switch {
		case strings.HasPrefix(s[a:], "concat("):
			return i
		case a < len(s) && (s[a] == '\'' || s[a] == '"'):
			if j := strings.IndexByte(s[a+1:], s[a]); j > 0 && strings.Contains(s[a+1:a+1+j], "://") {
				return i
			}
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
