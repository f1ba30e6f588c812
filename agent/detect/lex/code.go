package lex

import "strings"

// CallAfter reports whether s[j:] opens a call: blanks and /* */ comments,
// then "(". Asked about many offsets of one text, Code.CallAfter stays
// linear where this would not.
func CallAfter(s string, j int) bool {
	c := NewCode(s)
	return c.CallAfter(j)
}

// Code is a text read as source code that remembers where its last search
// for the end of a block comment started and what it found, so that
// asking at many offsets, left to right, reads the text once: a run of
// "sleep(x/*" would otherwise search for a "*/" to the end of the text
// after every one of them.
type Code struct {
	s                  string
	closeFrom, closeAt int // a search for "*/" from closeFrom found it at closeAt (-1: none); closeFrom -1 before any
}

// NewCode returns s ready to be asked about.
func NewCode(s string) Code { return Code{s: s, closeFrom: -1} }

// CloseAfter returns the offset of the first "*/" at or after j, or -1.
// A search that found the first at a answers for every start between its
// own and a (and one that found none, for every later start) without
// reading again.
func (c *Code) CloseAfter(j int) int {
	if c.closeFrom < 0 || j < c.closeFrom || c.closeAt >= 0 && j > c.closeAt {
		c.closeFrom, c.closeAt = j, -1
		if k := Index(c.s[min(j, len(c.s)):], "*/"); k >= 0 {
			c.closeAt = j + k
		}
	}
	return c.closeAt
}

// CallAfter reports whether s[j:] opens a call: blanks and /* */ comments,
// then "(".
func (c *Code) CallAfter(j int) bool {
	s := c.s
	for j < len(s) {
		switch {
		case IsSpace(s[j]):
			j++
		case strings.HasPrefix(s[j:], "/*"):
			k := c.CloseAfter(j + 2)
			if k < 0 {
				return false
			}
			j = k + 2
		case s[j] == '(':
			return true
		default:
			return false
		}
	}
	return false
}

// CallAfterWord reports whether s[a:] is a word followed by a call.
func (c *Code) CallAfterWord(a int) bool {
	s := c.s
	j := a
	for j < len(s) && IsWord(s[j]) {
		j++
	}
	return j > a && c.CallAfter(j)
}

// SkipCodeSpace skips blanks (vertical tab included) and C, C++ and shell
// comments.
func SkipCodeSpace(s string, j int) int {
	for j < len(s) {
		switch {
		case IsSpace(s[j]):
			j++
		case strings.HasPrefix(s[j:], "/*"):
			k := Index(s[j+2:], "*/")
			if k < 0 {
				return len(s)
			}
			j += k + 4
		case strings.HasPrefix(s[j:], "//") || s[j] == '#':
			k := strings.IndexByte(s[j:], '\n')
			if k < 0 {
				return len(s)
			}
			j += k + 1
		default:
			return j
		}
	}
	return j
}

// CallAfterWord reports whether s[a:] is a word followed by a call.
func CallAfterWord(s string, a int) bool {
	c := NewCode(s)
	return c.CallAfterWord(a)
}
