package script

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// BreakoutAssign finds a string break-out followed by an assignment to
// a property: "'  infoo.bar=", "\" in x.y=", "';document.domain=", the
// shape of the Internet Explorer XSS filter bypasses. The value must hold
// an odd number of that quote (a balanced pair quotes text:
// "set 'name' user.name=bob" is configuration); s is lower-cased.
func BreakoutAssign(s string) int {
	odd := [2]int8{-1, -1} // per quote: -1 unknown, else count%2
	for off := 0; off < len(s); {
		i := strings.IndexAny(s[off:], "'\"")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		k := lex.SkipSpace(s, i+1)
		if k < len(s) && strings.IndexByte(";+-,|&", s[k]) >= 0 {
			k = lex.SkipSpace(s, k+1)
		}
		// a dotted name: foo.bar, document.location.href ("in" may be
		// glued to it, as an IE-filter evasion writes "infoo.bar")
		e, dots := k, 0
		for e < len(s) && e-k < 64 && (lex.IsWord(s[e]) || s[e] == '$' || s[e] == '.' && e > k && lex.IsWord(s[e-1])) {
			if s[e] == '.' {
				dots++
			}
			e++
		}
		if dots == 0 || s[e-1] == '.' {
			continue
		}
		if a := lex.SkipSpace(s, e); a < len(s) && s[a] == '=' && (a+1 == len(s) || s[a+1] != '=') {
			q := 0
			if s[i] == '"' {
				q = 1
			}
			if odd[q] < 0 {
				odd[q] = int8(strings.Count(s, s[i:i+1]) % 2)
			}
			if odd[q] == 1 {
				return i
			}
		}
	}
	return -1
}
