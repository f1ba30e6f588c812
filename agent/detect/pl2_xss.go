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
