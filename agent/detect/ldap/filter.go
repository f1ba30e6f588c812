// Package ldap reads a value as a fragment spliced into an LDAP search
// filter ("(&(uid=" + v + ")(objectClass=person))"): a fragment that closes
// the application's filter and opens another, always-true or always-false
// filters, wildcard probes. It reads lower-cased text.
package ldap

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// probes are the filter openers and wildcard closes of a fragment that
// starts a filter of its own, "*)(uid=*", "(|(uid=*))", searched for in
// one pass over a long text.
var probes = lex.NewWordList("*)(", "*))", "(|(", "(&(", "(!(")

// Filter returns the span and score of an LDAP filter injection in s
// (lower-cased; have is its ByteSet or a superset); start is -1 when there
// is none.
func Filter(s string, have *lex.ByteSet) (start, end, score int) {
	// A whole, balanced filter "(&(objectCategory=computer)(...))" is an
	// application feature (an LDAP search box), not a fragment breaking
	// out of one, unless it holds a filter whose answer is fixed, which
	// a search box has no use for.
	if t := strings.TrimSpace(s); len(t) > 0 && t[0] == '(' && strings.Count(t, "(") == strings.Count(t, ")") && !strings.Contains(t, "*)") && balancedPrefix(t) {
		if i := constantFilter(t); i >= 0 {
			return i, i + 16, 7
		}
		return -1, 0, 0
	}
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], ")(")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && (s[j] == '|' || s[j] == '&' || s[j] == '!' || s[j] == '(' || lex.IsSpace(s[j])) {
			j++
		}
		if j < len(s) && s[j] == ')' && j > i+2 { // )(&) / )(|) always-true / false filter
			return i, j + 8, 8
		}
		k := j
		for k < len(s) && (lex.IsWord(s[k]) || s[k] == '-' || s[k] == '.' || s[k] == ';') {
			k++
		}
		if k > j && k < len(s) && (s[k] == '=' || (s[k] == '~' || s[k] == '<' || s[k] == '>') && k+1 < len(s) && s[k+1] == '=') {
			return i, k + 16, 8
		}
		off = i + 2
	}
	// asked once, not per occurrence of a probe
	eq := strings.IndexByte(s, '=') >= 0
	nul := strings.Contains(s, "%00") || strings.IndexByte(s, 0) >= 0
	if _, i := probes.Index(s, have, func(i int, p string) bool {
		return eq || p[0] == '*' && (i == 0 || nul)
	}); i >= 0 {
		return i, i + 24, 7
	}

	return -1, 0, 0
}

// balancedPrefix reports whether no prefix of s closes more parentheses
// than it opened.
func balancedPrefix(s string) bool {
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			d++
		case ')':
			d--
			if d < 0 {
				return false
			}
		}
	}
	return d == 0
}

// constantFilter finds a filter whose answer does not depend on the entry:
// the absolute true and false filters of RFC 4526, "(&)" and "(|)", and
// a numeric attribute compared with a number, "(1=0)", which names no
// attribute a directory holds. It returns the offset or -1.
func constantFilter(s string) int {
	for _, p := range [...]string{"(&)", "(|)"} {
		if i := strings.Index(s, p); i >= 0 {
			return i
		}
	}
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '(')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && lex.IsDigit(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != '=' {
			continue
		}
		k := j + 1
		for k < len(s) && lex.IsDigit(s[k]) {
			k++
		}
		if k > j+1 && k < len(s) && s[k] == ')' {
			return i
		}
	}
	return -1
}
