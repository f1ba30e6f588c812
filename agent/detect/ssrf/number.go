package ssrf

// PlainNumber reports whether host, a bare value with no scheme in front
// of it, reads as a number rather than as an address: a form a resolver
// takes as IPv4 (look-alike digits folded) that lands in 0.0.0.0/8, where
// nothing listens ("1", "10", "0x10", "0.00": a page, a count, an amount),
// or on a public address by a short form ("1.5": a version). Such a value
// in a parameter named "next" or "target" is no request for a host; the
// short forms that reach an internal one ("127.1", "2130706433") are not
// plain numbers.
func PlainNumber(host string) bool {
	h, _ := folded(host)
	ip, obfuscated, ok := ParseIPish(h)
	if !ok || !ip.Is4() {
		return false
	}
	if ip.As4()[0] == 0 {
		return true
	}
	k, _, _ := ClassifyHost(h)
	return k == Public && obfuscated
}
