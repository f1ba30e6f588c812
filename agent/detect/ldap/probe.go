package ldap

import "strings"

// MetaProbe reports a value made only of the characters an LDAP filter
// gives meaning to, "*()|&'", with a parenthesis, an operator and a
// wildcard among them: what a scanner sends to see whether the filter
// breaks. Text, an emoticon or a bracketed star, "(*)", has no operator.
func MetaProbe(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 64 {
		return false
	}
	var paren, op, star bool
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', ')':
			paren = true
		case '|', '&', '!':
			op = true
		case '*':
			star = true
		case '\'', '"', '\\', ' ', 0:
		default:
			return false
		}
	}
	return paren && op && star
}
