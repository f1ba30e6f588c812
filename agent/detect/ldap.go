package detect

import "github.com/lambdawaf/lambdawaf/agent/detect/ldap"

// detectLDAP judges text as a fragment spliced into an LDAP filter (see
// package ldap).
func (in *input) detectLDAP() {
	if !in.e.Enabled(LDAPi) {
		return
	}
	m := in.mask
	if !m.has(bParen) || !m.has(bEq|bStar|bAmp|bPipe) {
		return
	}
	if off, end, sc := ldap.Filter(in.lower(), in.lowerBytes()); off >= 0 {
		in.emit(LDAPi, "ldap-filter", sc, off, end)
	} else if ldap.MetaProbe(in.text) {
		in.emit(LDAPi, "ldap-filter", 7, 0, len(in.text))
	}
}
