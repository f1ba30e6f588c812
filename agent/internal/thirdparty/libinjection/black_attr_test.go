package libinjection

import (
	"math/rand/v2"
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// isBlackAttrBefore is isBlackAttr as it was before mayBeBlackAttr turned
// names away: every name copied, upper-cased, and looked up. The oracle for
// TestBlackAttrAgreesWithEveryLookup.
func isBlackAttrBefore(s string) int {
	var buf [maxNormalizedTokenLen]byte
	n, truncated := upperRemoveNulls(buf[:], s)
	if truncated {
		// Input is longer than any blacklisted attribute name; cannot match.
		return attributeTypeNone
	}

	if n < 2 {
		return attributeTypeNone
	}
	normalized := buf[:n]

	if n >= 5 {
		if string(normalized) == "XMLNS" || string(normalized) == "XLINK" {
			// got xmlns or xlink tags
			return attributeTypeBlack
		}
		// JavaScript on.* event handlers — O(1) map lookup replaces O(432) scan.
		// Go elides the string([]byte) allocation when used solely as a map key.
		if buf[0] == 'O' && buf[1] == 'N' {
			if typ, ok := blackEventsMap[string(buf[2:n])]; ok {
				return typ
			}
		}
	}

	// O(1) map lookup replaces O(20) scan.
	if typ, ok := blacksMap[string(normalized)]; ok {
		return typ
	}
	return attributeTypeNone
}

// TestBlackAttrAgreesWithEveryLookup holds isBlackAttr to the lookup of
// every name on each blacklisted name and event handler, in upper, lower
// and mixed case, with a null byte, a byte more or less at either end, and
// on random names of every length up to past maxNormalizedTokenLen.
func TestBlackAttrAgreesWithEveryLookup(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := isBlackAttr(s), isBlackAttrBefore(s); got != want {
			t.Fatalf("isBlackAttr(%q) = %d, every lookup %d", s, got, want)
		}
	}
	var names []string
	for _, b := range blacks {
		names = append(names, b.name)
	}
	for _, e := range blackEvents {
		names = append(names, "ON"+e.name)
	}
	names = append(names, "XMLNS", "XLINK", "ON", "O", "")
	found := 0
	for _, n := range names {
		for _, v := range []string{n, strings.ToLower(n), n + "\x00", "\x00" + n, n + "X", "X" + n, n + "s", "a" + n, strings.ToLower(n) + "e"} {
			check(v)
			if len(v) > 1 {
				check(v[1:])
				check(v[:len(v)-1])
				check(v[:1] + "\x00" + v[1:])
				mixed := []byte(v)
				mixed[len(mixed)/2] ^= 0x20
				check(string(mixed))
			}
		}
		if isBlackAttr(n) != attributeTypeNone {
			found++
		}
	}
	if found < len(blacks)+len(blackEvents) {
		t.Fatalf("only %d of %d blacklisted names found", found, len(blacks)+len(blackEvents))
	}
	r := rand.New(rand.NewPCG(31, 37))
	const alphabet = "onxlinkmsrcefhtabdywpONXLINKMSRCEFHTABDYWP:-\x00\xc0é"
	for range 200000 {
		b := make([]byte, r.IntN(maxNormalizedTokenLen+8))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
}

// TestAttributeNamesMatchUpstream holds IsXSS to upstream on tags whose
// attribute names end at each byte that ends one (HTML5 white space, '/',
// '=', '>') or run to the end of the input, with blacklisted and ordinary
// names, and on every window of the every-byte text.
func TestAttributeNamesMatchUpstream(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 43))
	pieces := []string{"<a ", "<img ", "<svg/", "onerror", "onload", "src", "href", "style", "xmlns", "xlink:href", "data", "x",
		"\n", "\t", "\v", "\f", "\r", " ", "/", "=", ">", "'", "\"", "\x00", "alert(1)", "javascript:", "\xc0", "é"}
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(14) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := IsXSS(s), upstream.IsXSS(s); got != want {
			t.Fatalf("IsXSS(%q) = %v, upstream %v", s, got, want)
		}
	}
	text := everyByte(4096)
	for range 2000 {
		i := r.IntN(len(text))
		s := text[i:min(len(text), i+r.IntN(600))]
		if got, want := IsXSS(s), upstream.IsXSS(s); got != want {
			t.Fatalf("IsXSS(every byte [%d:%d]) = %v, upstream %v", i, i+len(s), got, want)
		}
	}
}
