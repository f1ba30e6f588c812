package php

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// skipBefore is Text.skip before it answered at once for a byte that
// opens no blank or comment: every call went through the memo and
// skipStep. The oracle for TestSkipAgreesWithEveryStep.
func (c *Text) skipBefore(j int) int {
	s := c.s
	var buf [16]int32
	visited := buf[:0]
	end := j
	for end < len(s) {
		if c.skipped != nil {
			if e := c.skipped[end]; e != 0 {
				end = int(e) - 1
				break
			}
		}
		visited = append(visited, int32(end))
		next := c.skipStep(end)
		if next == end {
			break
		}
		end = next
	}
	if c.skipped == nil && len(visited) > longSkip {
		c.skipped = make([]int32, len(s)+1)
	}
	if c.skipped != nil {
		for _, v := range visited {
			c.skipped[v] = int32(end) + 1
		}
	}
	return end
}

// TestSkipAgreesWithEveryStep holds skip to the code it replaced, asked
// about every offset of each text in a random order (what it remembers
// depends on the order), on the corpora, hostile random strings, random
// texts of blanks and comments, and long runs of comment lines.
func TestSkipAgreesWithEveryStep(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(331, 337))
	pieces := []string{" ", "\t", "\n", "\v", "/*", "*/", "//", "#", "/", "*", "(", "[", "x", "'a'", ".", "\n#", "/**/"}
	texts := difftest.Hostile(r, 3000, 24)
	for _, l := range difftest.Corpus(t) {
		if r.IntN(8) == 0 {
			texts = append(texts, l)
		}
	}
	texts = append(texts, difftest.Joined(r, pieces, 5000, 40)...)
	texts = append(texts, strings.Repeat("[\n#)", 300), strings.Repeat(" ", 200)+"x"+strings.Repeat("/**/ ", 100), strings.Repeat("((|[\n#)", 200))
	for _, s := range texts {
		got, want := NewText(s), NewText(s)
		for _, j := range r.Perm(len(s) + 1) {
			if g, w := got.skip(j), want.skipBefore(j); g != w {
				t.Fatalf("skip(%d) in %.80q = %d, every step %d", j, s, g, w)
			}
		}
	}
}
