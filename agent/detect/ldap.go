package detect

import "strings"

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
