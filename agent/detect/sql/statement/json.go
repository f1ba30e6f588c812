package statement

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// jsonOperator finds JSON queried inside SQL, which lets an injection
// build a tautology that no numeric or string comparison shows: a string
// literal holding a JSON document followed by a JSON operator (->, ->>, #>,
// @>, <@, ?, ?|, ?&, or a comparison with a '$.path') and a literal or
// ARRAY[...] operand ('{"a":2}' -> '$.a' = 2), or a JSON function called
// right after OR/AND (OR json_extract('{...}', '$.name') = 'x').
func jsonOperator(s string) (off, end int, ok bool) {
	for p := indexByteFrom(s, 0, '\''); p >= 0; p = indexByteFrom(s, p+1, '\'') {
		if p+1 >= len(s) || s[p+1] != '{' && s[p+1] != '[' {
			continue
		}
		q := strings.IndexByte(s[p+1:], '\'')
		if q < 0 {
			return 0, 0, false
		}
		q += p + 1
		if c := s[q-1]; c != '}' && c != ']' {
			p = q
			continue
		}
		j := lex.SkipSpace(s, q+1)
		op := ""
		for _, o := range [...]string{"->>", "->", "#>>", "#>", "@>", "<@", "?|", "?&", "?", "<", ">"} {
			if strings.HasPrefix(s[j:], o) {
				op = o
				break
			}
		}
		if op == "" {
			p = q
			continue
		}
		k := lex.SkipSpace(s, j+len(op))
		switch {
		case op == "<" || op == ">":
			if strings.HasPrefix(s[k:], "'$") {
				return p, k + 2, true
			}
		case strings.HasPrefix(s[k:], "'") || strings.HasPrefix(s[k:], "array["):
			return p, k + 1, true
		}
		p = q
	}
	if !strings.Contains(s, "json") {
		return 0, 0, false
	}
	for _, w := range [...]string{"or", "and"} {
		for off := 0; off < len(s); {
			i := lex.IndexWord(s[off:], w)
			if i < 0 {
				break
			}
			i += off
			a := lex.SkipSpace(s, i+len(w))
			b := a
			for b < len(s) && lex.IsWord(s[b]) {
				b++
			}
			if b > a && b < len(s) && s[b] == '(' && sql.JSONFunc(s[a:b]) && a > i+len(w) {
				if c := lex.SkipSpace(s, b+1); c < len(s) && (s[c] == '\'' || s[c] == '"' || lex.IsWord(s[c])) {
					return i, b + 1, true
				}
			}
			off = i + len(w)
		}
	}
	return 0, 0, false
}
