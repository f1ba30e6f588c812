package php

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// maxCodeNesting bounds how deeply the PHP readers follow nested brackets
// and concatenations around a callee: real code nests a few levels, and
// the bound keeps a value of "((((..." linear.
const maxCodeNesting = 8

// Text is a value being read as code, with what the readers learn
// about it on the way, so that skipping comments and matching brackets
// stay linear in the value however often they are asked: where a block
// comment ends is remembered for every "/*" before that end (lex.Code),
// a long skip for every offset it passed, and brackets matched in one
// scan for the brackets nested in them.
type Text struct {
	s       string
	code    lex.Code // where block comments end
	noEOL   int      // offset from which no newline follows; len(s)+1 while unknown
	matches []int32  // per offset of a scanned bracket: its match+1, -1 unclosed, 0 unknown
	calls   int      // match calls so far; memoising starts after a few
	skipped []int32  // per offset a long skip passed through: where it ended+1, 0 unknown
}

// NewText returns s ready for the code readings.
func NewText(s string) *Text {
	return &Text{s: s, code: lex.NewCode(s), noEOL: len(s) + 1}
}

// longSkip is the number of blanks and comments in a row from which a
// skip is remembered: a shorter one costs little to read again.
const longSkip = 64

// skip is lex.SkipCodeSpace on c.s. Where it ends depends only on where
// it starts, so once a skip has passed many blanks and comments, every
// offset it passed through remembers where it ended, and a later skip
// stops at the first such offset: a run of comment lines
// ("[\n#)(((|[\n#)…", each line a comment to the next) is read once, not
// once for every bracket before it. Texts without long runs allocate
// nothing for it.
func (c *Text) skip(j int) int {
	s := c.s
	if j >= len(s) || !skipOpeners[s[j]] {
		// nothing to skip: what skipStep and any remembered skip
		// through j would answer, without the bookkeeping
		return j
	}
	var buf [16]int32
	visited := buf[:0] // the offsets this skip passes through
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

// skipOpeners marks the bytes skipStep can pass over from: blanks and the
// first bytes of comments.
var skipOpeners = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true, '/': true, '#': true}

// skipStep passes over the blank or the comment at s[j] and returns the
// offset after it, len(s) for a comment that does not end, or j when
// s[j] starts neither.
func (c *Text) skipStep(j int) int {
	s := c.s
	switch {
	case lex.IsSpace(s[j]):
		return j + 1
	case strings.HasPrefix(s[j:], "/*"):
		k := c.code.CloseAfter(j + 2)
		if k < 0 {
			return len(s)
		}
		return k + 2
	case strings.HasPrefix(s[j:], "//") || s[j] == '#':
		if j >= c.noEOL {
			return len(s)
		}
		k := strings.IndexByte(s[j:], '\n')
		if k < 0 {
			c.noEOL = j
			return len(s)
		}
		return j + k + 1
	}
	return j
}

// match is matchClose on c.s. The first calls scan as matchClose does;
// after that one scan also records the match of every bracket it passes
// (a fresh scan from one of them would read the rest of the value the
// same way), so later calls for those brackets cost nothing.
func (c *Text) match(i int, open, close byte) int {
	if c.calls++; c.calls <= 8 {
		return matchClose(c.s, i, open, close)
	}
	if c.matches == nil {
		c.matches = make([]int32, len(c.s))
	}
	if m := c.matches[i]; m != 0 {
		if m < 0 {
			return -1
		}
		return int(m) - 1
	}
	s := c.s
	stack := make([]int, 0, 8)
	for j := i; j < len(s); j++ {
		switch ch := s[j]; ch {
		case '\'', '"', '`':
			k := strings.IndexByte(s[j+1:], ch)
			if k < 0 {
				j = len(s)
				continue
			}
			j += k + 1
		case open:
			stack = append(stack, j)
		case close:
			if len(stack) == 0 {
				continue
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			c.matches[o] = int32(j) + 1
			if o == i {
				return j
			}
		}
	}
	for _, o := range stack {
		c.matches[o] = -1
	}
	return -1
}
