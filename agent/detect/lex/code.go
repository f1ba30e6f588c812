package lex

import "strings"

// CallAfter reports whether s[j:] opens a call: blanks and /* */ comments,
// then "(".
func CallAfter(s string, j int) bool {
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

// SkipCodeSpace skips blanks (vertical tab included) and C, C++ and shell
// comments.
func SkipCodeSpace(s string, j int) int {
	for j < len(s) {
		switch {
		case IsSpace(s[j]):
			j++
		case strings.HasPrefix(s[j:], "/*"):
			k := strings.Index(s[j+2:], "*/")
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
	j := a
	for j < len(s) && IsWord(s[j]) {
		j++
	}
	return j > a && CallAfter(s, j)
}
