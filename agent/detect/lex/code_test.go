package lex

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// callAfterSearching is CallAfter as it was first written, a search for
// "*/" after every "/*": the oracle Code's remembered searches are held
// to.
func callAfterSearching(s string, j int) bool {
	for j < len(s) {
		switch {
		case IsSpace(s[j]):
			j++
		case strings.HasPrefix(s[j:], "/*"):
			k := strings.Index(s[j+2:], "*/")
			if k < 0 {
				return false
			}
			j += k + 4
		case s[j] == '(':
			return true
		default:
			return false
		}
	}
	return false
}

// TestCodeAnswersAsASearchFromEachOffset: one Code asked at random offsets,
// in random order and left to right, answers CloseAfter as strings.Index
// and CallAfter as a fresh search would, on random texts of comment,
// blank, bracket and word pieces.
func TestCodeAnswersAsASearchFromEachOffset(t *testing.T) {
	pieces := []string{"/*", "*/", "/", "*", " ", "\n", "(", ")", "x", "sleep", "*/(", "/**/"}
	r := rand.New(rand.NewPCG(23, 2))
	for range 20000 {
		var b strings.Builder
		for n := r.IntN(24); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		c := NewCode(s)
		offsets := make([]int, 0, 2*len(s)+2)
		for range 30 {
			offsets = append(offsets, r.IntN(len(s)+3))
		}
		for j := 0; j <= len(s)+2; j++ {
			offsets = append(offsets, j)
		}
		for _, j := range offsets {
			want := -1
			if j <= len(s) {
				if k := strings.Index(s[j:], "*/"); k >= 0 {
					want = j + k
				}
			}
			if got := c.CloseAfter(j); got != want {
				t.Fatalf("CloseAfter(%d) on %q = %d, want %d", j, s, got, want)
			}
			if j <= len(s) {
				if got, want := c.CallAfter(j), callAfterSearching(s, j); got != want {
					t.Fatalf("CallAfter(%d) on %q = %v, a fresh search says %v", j, s, got, want)
				}
			}
		}
	}
}
