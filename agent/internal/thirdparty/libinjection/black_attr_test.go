package libinjection

import (
	"math/rand/v2"
	"strings"
	"testing"
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
