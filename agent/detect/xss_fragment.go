package detect

import "strings"

// Paranoia-2 XSS fragments: pieces of markup that break out of or into a
// page context but also occur in legitimate text ("A --> B" in notes,
// "<style>" in a CMS field).

// legacyTags are elements that change how the rest of a page parses or
// that run script-capable content, as filters' deny lists name them: a
// tag name glued to a non-letter ("<noscript#", "<svg/") is how bypasses
// open them.
var legacyTags = map[string]bool{
	"noscript": true, "xmp": true, "plaintext": true, "listing": true, "isindex": true, "frameset": true,
	"frame": true, "marquee": true, "svg": true, "math": true, "template": true, "style": true, "link": true,
	"meta": true, "base": true, "embed": true, "object": true, "applet": true, "iframe": true, "script": true,
	"noembed": true, "noframes": true, "bgsound": true, "layer": true, "ilayer": true, "blink": true,
	"form": true, "details": true, "dialog": true, "portal": true,
}

// legacyTag finds "<" + a legacyTags name followed by a byte that is not
// a letter or digit (or the end).
func legacyTag(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		if j > i+1 && legacyTags[s[i+1:j]] && (j == len(s) || !isAlnum(s[j])) {
			return i
		}
	}
	return -1
}

// detectXSSFragments runs the paranoia-2 markup checks; s is lower-cased.
func (in *input) detectXSSFragments() {
	if !in.paranoid() {
		return
	}
	s := in.lower()
	// the end of an HTML comment: input that closes one the page opened
	if i := strings.Index(s, "-->"); i >= 0 {
		in.emit(XSS, "xss-comment-close", 5, i, i+16)
		return
	}
	if !in.mask.has(bLT) {
		return
	}
	// markup in a parameter name: the page may echo names too
	if (in.isKey || in.sink == sinkKey) && htmlElementOpen(s) {
		in.emit(XSS, "xss-tag", 6, strings.IndexByte(s, '<'), len(s))
		return
	}
	if i := legacyTag(s); i >= 0 {
		in.emit(XSS, "xss-tag", 5, i, i+24)
	}
}

// detectXSSScriptFragments runs the paranoia-2 script checks: pieces of
// JavaScript that break out of a string, which code snippets and
// configuration text can also hold. It reports whether it emitted.
func (in *input) detectXSSScriptFragments() bool {
	if !in.paranoid() {
		return false
	}
	m := in.mask
	if m.has(bBackslash) {
		if i := escapedIdentifier(in.text); i >= 0 {
			in.emit(XSS, "xss-js-escape", 5, i, i+32)
			return true
		}
	}
	if m.has(bEq) && m.has(bDot) && m.has(bQuote|bDQuote) {
		if i := breakoutAssign(in.lower()); i >= 0 {
			in.emit(XSS, "xss-breakout-assign", 5, i, i+32)
			return true
		}
	}
	return false
}

// escapedIdentifier finds a JavaScript identifier that spells ASCII
// letters with escapes, at least two of them: "\u0076\u0061l\u0075e",
// "c\x6f\x6esole". Engines read it as the plain name (valueOf,
// console); no encoder escapes plain letters (JSON escapes quotes,
// controls, non-ASCII and sometimes <>&), so only a filter bypass writes
// them. Windows paths ("C:\xampp\apps") are not hex escapes.
func escapedIdentifier(s string) int {
	start, escaped := -1, 0
	for i := 0; i < len(s); {
		n, c := jsEscapeAt(s, i)
		switch {
		case n > 0 && isAlpha(c):
			if start < 0 {
				start = i
			}
			escaped++
			if escaped >= 2 {
				return start
			}
			i += n
		case n == 0 && (isWord(s[i]) || s[i] == '$'):
			if start < 0 {
				start = i
			}
			i++
		default:
			start, escaped = -1, 0
			i += max(n, 1)
		}
	}
	return -1
}

// jsEscapeAt decodes a \u00XX or \xXX escape of an ASCII byte at s[i:];
// n is its length, 0 when there is none.
func jsEscapeAt(s string, i int) (n int, c byte) {
	if s[i] != '\\' || i+3 >= len(s) {
		return 0, 0
	}
	switch {
	case s[i+1] == 'x':
		if b, ok := unhex2(s[i+2], s[i+3]); ok && b < 0x80 {
			return 4, b
		}
	case s[i+1] == 'u' && i+5 < len(s) && s[i+2] == '0' && s[i+3] == '0':
		if b, ok := unhex2(s[i+4], s[i+5]); ok && b < 0x80 {
			return 6, b
		}
	}
	return 0, 0
}

// breakoutAssign finds a string break-out followed by an assignment to
// a property: "'  infoo.bar=", "\" in x.y=", "';document.domain=", the
// shape of the Internet Explorer XSS filter bypasses. The value must hold
// an odd number of that quote (a balanced pair quotes text:
// "set 'name' user.name=bob" is configuration); s is lower-cased.
func breakoutAssign(s string) int {
	odd := [2]int8{-1, -1} // per quote: -1 unknown, else count%2
	for off := 0; off < len(s); {
		i := strings.IndexAny(s[off:], "'\"")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		k := skipSpace(s, i+1)
		if k < len(s) && strings.IndexByte(";+-,|&", s[k]) >= 0 {
			k = skipSpace(s, k+1)
		}
		// a dotted name: foo.bar, document.location.href ("in" may be
		// glued to it, as an IE-filter evasion writes "infoo.bar")
		e, dots := k, 0
		for e < len(s) && e-k < 64 && (isWord(s[e]) || s[e] == '$' || s[e] == '.' && e > k && isWord(s[e-1])) {
			if s[e] == '.' {
				dots++
			}
			e++
		}
		if dots == 0 || s[e-1] == '.' {
			continue
		}
		if a := skipSpace(s, e); a < len(s) && s[a] == '=' && (a+1 == len(s) || s[a+1] != '=') {
			q := 0
			if s[i] == '"' {
				q = 1
			}
			if odd[q] < 0 {
				odd[q] = int8(strings.Count(s, s[i:i+1]) % 2)
			}
			if odd[q] == 1 {
				return i
			}
		}
	}
	return -1
}
