package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// InjectedStatement reads s (lower-cased) as a statement spliced into code
// an evaluator runs (PHP's eval, a JavaScript or Perl eval): a breakout,
// then a call with its arguments, ';', and a comment ('#' or "//") or the
// end of the value, which hides whatever the application's code had after
// it: ";exit(md5('x'));#", "'.exit(md5('x'));//", "a;system('id');".
// The breakout is ';' ending the application's statement, after an
// optional short value and quote, or '.' joining its string, after a
// quote. Sentences do not end a call with ";#": it returns the breakout's
// offset, or -1.
func InjectedStatement(s string) int {
	i := 0
	for i < len(s) && i < 8 && lex.IsWord(s[i]) {
		i++ // the short value the application expected: "a;exit(...)"
	}
	quoted := false
	for i < len(s) && (s[i] == '\'' || s[i] == '"') {
		i, quoted = i+1, true
	}
	if i >= len(s) || !(s[i] == ';' || s[i] == '.' && quoted) {
		return -1
	}
	start := i
	i = lex.SkipSpace(s, i+1)
	j := i
	for j < len(s) && lex.IsWord(s[j]) {
		j++
	}
	if j == i || lex.IsDigit(s[i]) || j >= len(s) || s[j] != '(' {
		return -1
	}
	// the call's arguments: balanced parentheses, literals skipped
	depth, k := 0, j
	for ; k < len(s); k++ {
		c := s[k]
		if c == '\'' || c == '"' {
			e := strings.IndexByte(s[k+1:], c)
			if e < 0 {
				return -1
			}
			k += e + 1
			continue
		}
		if c == '(' {
			depth++
		} else if c == ')' {
			if depth--; depth == 0 {
				break
			}
		}
	}
	if k >= len(s) {
		return -1
	}
	r := lex.SkipSpace(s, k+1)
	if r >= len(s) || s[r] != ';' {
		return -1
	}
	r = lex.SkipSpace(s, r+1)
	if r == len(s) || s[r] == '#' || strings.HasPrefix(s[r:], "//") {
		return start
	}
	return -1
}
