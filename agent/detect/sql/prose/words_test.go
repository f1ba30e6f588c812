package prose

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// wordsSearchingEachComment is Words as it was first written, a search
// for "*/" after every "/*" (quadratic on a run of unclosed openers):
// the oracle the version that remembers a failed search is held to.
func wordsSearchingEachComment(s string, literals bool) (prose, total int) {
	paired := [2]bool{literals && strings.Count(s, "'")%2 == 0, literals && strings.Count(s, "\"")%2 == 0}
	field := -1
	end := func(j int) {
		if field < 0 {
			return
		}
		total++
		w := strings.Trim(s[field:j], "([{\"'`)]}\",.;:!?")
		if len(w) >= 2 && lettersOnly(w) && !sql.Reserved[w] && sql.Func(w) == 0 {
			prose++
		}
		field = -1
	}
	for i := 0; i < len(s) && total < maxTokens; {
		c := s[i]
		if k := strings.IndexByte("'\"", c); k >= 0 && paired[k] {
			if e := strings.IndexByte(s[i+1:], c); e >= 0 {
				end(i)
				i += e + 2
				continue
			}
		}
		if c == '/' && strings.HasPrefix(s[i:], "/*") {
			if e := strings.Index(s[i+2:], "*/"); e >= 0 {
				end(i)
				i += e + 4
				continue
			}
		}
		if lex.IsSpace(c) {
			end(i)
		} else if field < 0 {
			field = i
		}
		i++
	}
	end(len(s))
	return prose, total
}

// TestWordsAgreesWithASearchAfterEachComment: the same counts on random
// texts over comment, quote and word pieces, with and without literals,
// and linear time on a run of unclosed comment openers.
func TestWordsAgreesWithASearchAfterEachComment(t *testing.T) {
	pieces := []string{"/*", "*/", "/", "*", "'", "\"", " ", "\\n", "select", "the", "word", "x", "(", ")", ";", "1"}
	r := rand.New(rand.NewPCG(3, 11))
	texts := []string{"", "/*'", "/* a */ b c d", "a /* b", "/*/*/*", "'a /* b' */ c"}
	for range 200000 {
		var b strings.Builder
		for n := r.IntN(16); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		for _, literals := range []bool{false, true} {
			p, n := Words(s, literals)
			wp, wn := wordsSearchingEachComment(s, literals)
			if p != wp || n != wn {
				t.Fatalf("Words(%q, %v) = %d, %d; the search after each comment says %d, %d", s, literals, p, n, wp, wn)
			}
		}
	}
	if _, n := Words(strings.Repeat("/*'", 400000), false); n != 1 {
		t.Fatalf("a run of unclosed comments: %d fields", n)
	}
}
