package detect

import "strings"

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

// detectLDAP judges text as a fragment spliced into an LDAP filter: closing
// a filter and opening another, always-true filters, wildcard attribute
// probes.
func (in *input) detectLDAP() {
	if !in.e.Enabled(LDAPi) {
		return
	}
	m := in.mask
	if !m.has(bParen) || !m.has(bEq|bStar|bAmp|bPipe) {
		return
	}
	s := in.lower()
	// A whole, balanced filter "(&(objectCategory=computer)(...))" is an
	// application feature (an LDAP search box), not a fragment breaking
	// out of one.
	if t := strings.TrimSpace(s); len(t) > 0 && t[0] == '(' && strings.Count(t, "(") == strings.Count(t, ")") && !strings.Contains(t, "*)") && balancedPrefix(t) {
		return
	}
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ")(")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && (s[j] == '|' || s[j] == '&' || s[j] == '!' || s[j] == '(' || isSpace(s[j])) {
			j++
		}
		if j < len(s) && s[j] == ')' && j > i+2 { // )(&) / )(|) always-true / false filter
			in.emit(LDAPi, "ldap-filter", 8, i, j+8)
			return
		}
		k := j
		for k < len(s) && (isWord(s[k]) || s[k] == '-' || s[k] == '.' || s[k] == ';') {
			k++
		}
		if k > j && k < len(s) && (s[k] == '=' || (s[k] == '~' || s[k] == '<' || s[k] == '>') && k+1 < len(s) && s[k+1] == '=') {
			in.emit(LDAPi, "ldap-filter", 8, i, k+16)
			return
		}
		off = i + 2
	}
	for _, p := range [...]string{"*)(", "*))", "(|(", "(&(", "(!("} {
		if i := strings.Index(s, p); i >= 0 && (strings.IndexByte(s, '=') >= 0 || p[0] == '*' && (i == 0 || strings.Contains(s, "%00") || strings.IndexByte(s, 0) >= 0)) {
			in.emit(LDAPi, "ldap-filter", 7, i, i+24)
			return
		}
	}
}
