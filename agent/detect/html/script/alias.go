package script

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// aliasCallAt reports whether the sink w at s[i:] is taken as a value,
// not called, and assigned to a name that s then calls: a=eval;a(b),
// $$$=eval,$$$(x), x=alert;x`1`. Filters that look for the sink's name
// followed by "(" miss it, and the call runs the sink all the same.
func aliasCallAt(s string, i int, w string) bool {
	k := lex.SkipSpace(s, i+len(w))
	if k < len(s) && (lex.IsWord(s[k]) || s[k] == '(' || s[k] == '`' || s[k] == '.' || s[k] == '$' || s[k] == '[') {
		return false // called, a longer name, or a member of it
	}
	b := lex.SkipSpaceBack(s, i)
	if b == 0 || s[b-1] != '=' || b >= 2 && strings.IndexByte("=!<>+-*/%&|^", s[b-2]) >= 0 {
		return false // not a plain assignment
	}
	e := lex.SkipSpaceBack(s, b-1)
	start := e
	for start > 0 && (lex.IsWord(s[start-1]) || s[start-1] == '$' || s[start-1] == '.') {
		start--
	}
	name := s[start:e]
	if name == "" || name[0] == '.' {
		return false
	}
	for off := k; off < len(s); {
		j := strings.Index(s[off:], name)
		if j < 0 {
			return false
		}
		j += off
		off = j + 1
		if j > 0 && (lex.IsWord(s[j-1]) || s[j-1] == '$' || s[j-1] == '.') {
			continue
		}
		if c := lex.SkipSpace(s, j+len(name)); c < len(s) && (s[c] == '(' || s[c] == '`') {
			return true
		}
	}
	return false
}
