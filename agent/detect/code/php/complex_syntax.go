package php

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// SilencedCall finds a call inside PHP's complex variable syntax with its
// error-control operator, "${@print(md5(1))}": a string PHP evaluates
// ("eval", a double-quoted string built from input) runs the call, and
// '@' keeps the failure of a probe quiet. No other language writes "${@"
// before a name and '('. It returns the offset of "${" or -1. s is
// lower-cased.
func SilencedCall(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "${@")
		if i < 0 {
			return -1
		}
		i += off
		n := lex.SkipSpace(s, i+3)
		if n < len(s) && s[n] == '\\' { // a name from the global namespace
			n++
		}
		j := n
		for j < len(s) && (lex.IsWord(s[j]) || s[j] == '\\') {
			j++
		}
		if j > n && (lex.IsAlpha(s[n]) || s[n] == '_') {
			if k := lex.SkipSpace(s, j); k < len(s) && s[k] == '(' {
				return i
			}
		}
		off = i + 3
	}
	return -1
}
