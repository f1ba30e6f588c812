package php

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// TestSkipRemembersWhereSkipsEnded: a Text's skip answers as
// lex.SkipCodeSpace for every offset, asked in any order and many times
// (the memory of earlier skips starts after a few calls), on random texts
// of blanks, comments and code bytes.
func TestSkipRemembersWhereSkipsEnded(t *testing.T) {
	pieces := []string{" ", "\n", "\t", "#", "//", "/*", "*/", "/", "*", "(", "[", ")", "x", "|", "#)"}
	r := rand.New(rand.NewPCG(17, 4))
	for range 20000 {
		var b strings.Builder
		for n := r.IntN(30); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		c := NewText(s)
		for range 40 {
			j := r.IntN(len(s) + 1)
			if got, want := c.skip(j), lex.SkipCodeSpace(s, j); got != want {
				t.Fatalf("skip(%d) on %q = %d, lex.SkipCodeSpace says %d", j, s, got, want)
			}
		}
	}
}
