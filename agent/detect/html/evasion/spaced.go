package evasion

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// spacedTags are the elements whose names filter-evasion payloads write
// letter by letter ("<f o r m", "<s c r i p t"), for sanitisers that
// collapse blanks before they render or store the text.
var spacedTags = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"svg": true, "math": true, "img": true, "image": true, "form": true, "dialog": true, "details": true,
	"body": true, "base": true, "meta": true, "link": true, "style": true, "video": true, "audio": true,
	"source": true, "input": true, "button": true, "textarea": true, "select": true, "keygen": true,
	"template": true, "marquee": true, "isindex": true, "xmp": true, "plaintext": true, "noscript": true,
	"portal": true, "animate": true, "set": true,
}

// SpacedTag finds '<' followed by a tag name written as single letters
// separated by blanks, at least three of them: "<f o r m", "< d i a l o g".
// Prose puts words after '<', not a dangerous element spelled out.
//
// Such a '<' has a blank one or two bytes after it (before its first
// letter, or after it), so where '<' come densely the search leaps
// between the next '<' and the next blank: a run of '<' without blanks
// ("<a<a<a") costs a search, not a look at every '<'.
func SpacedTag(s string) int {
	next := nextBlank{space: -1, tab: -1}
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		if i += off; !blankAt(s, i+1) && !blankAt(s, i+2) {
			// no spaced tag opens here; where '<' come densely, leap to
			// the first one that a blank follows closely enough
			if i-off >= 16 {
				off = i + 1
				continue
			}
			b := next.from(s, i+3)
			if b == len(s) {
				return -1
			}
			off = b - 2
			continue
		}
		k := skipBlank(s, i+1)
		var name [16]byte
		n := 0
		for k < len(s) && lex.IsAlpha(s[k]) && n < len(name) && (k+1 == len(s) || !lex.IsAlnum(s[k+1])) {
			name[n] = s[k]
			n++
			e := skipBlank(s, k+1)
			if e == k+1 || e >= len(s) || !lex.IsAlpha(s[e]) {
				k++
				break
			}
			k = e
		}
		if n >= 3 && spacedTags[string(name[:n])] {
			return i
		}
		off = max(i+1, k)
	}
	return -1
}

// nextBlank finds the next space or tab of a text, remembering the next
// of each so that a search forward only repeats past the one it passed.
type nextBlank struct {
	space, tab int // indexes of the next ' ' and '\t', len(s) when none; -1 before the first search
}

// from returns the index of the first space or tab of s at or after i,
// len(s) when there is none; i never decreases from one call to the next.
func (n *nextBlank) from(s string, i int) int {
	if n.space < i {
		n.space = indexByteFrom(s, i, ' ')
	}
	if n.tab < i {
		n.tab = indexByteFrom(s, i, '\t')
	}
	return min(n.space, n.tab)
}

// blankAt reports whether s has a space or tab at i.
func blankAt(s string, i int) bool {
	return i < len(s) && (s[i] == ' ' || s[i] == '\t')
}

// indexByteFrom returns the index of the first c in s at or after i,
// len(s) when there is none.
func indexByteFrom(s string, i int, c byte) int {
	if i >= len(s) {
		return len(s)
	}
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return len(s)
}

// skipBlank returns the index of the first byte at or after i that is not
// a space or tab.
func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// NamespacedScript finds a script element under an XML namespace prefix,
// "<x:script" (XHTML documents run it), also with the blanks an evasion
// puts around the colon ("< x: script"). score is 8 for the plain form,
// 7 with blanks.
func NamespacedScript(s string) (int, int) {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return 0, 0
		}
		i += off
		j := skipBlank(s, i+1)
		p := j
		for p < len(s) && (lex.IsAlnum(s[p]) || s[p] == '-' || s[p] == '_') {
			p++
		}
		off = max(i+1, p)
		if p == j || p-j > 32 {
			continue
		}
		q := skipBlank(s, p)
		if q >= len(s) || s[q] != ':' {
			continue
		}
		r := skipBlank(s, q+1)
		if strings.HasPrefix(s[r:], "script") && (r+6 == len(s) || !lex.IsAlnum(s[r+6])) {
			if j == i+1 && q == p && r == q+1 {
				return i, 8
			}
			return i, 7
		}
	}
	return 0, 0
}
