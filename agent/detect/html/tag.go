package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Tag finds a tag that executes script: <script>, or any tag carrying an
// on* event handler or a script URL attribute.
func Tag(s string) (int, int) {
	for off := 0; off < len(s); {
		i := off
		if s[i] != '<' { // in a run of tags the next one starts where this ended
			i = strings.IndexByte(s[off:], '<')
			if i < 0 {
				return 0, 0
			}
			i += off
		}
		j := i + 1
		if j < len(s) && s[j] == '/' {
			// an end tag runs nothing, and browsers ignore attributes on
			// one: "</script>" in a sentence is a mention, and the markup
			// a breakout puts after it is read at its own '<'
			off = i + 2
			continue
		}
		k := j
		for k < len(s) && (lex.IsAlnum(s[k]) || s[k] == ':' || s[k] == '-') {
			k++
		}
		name := s[j:k]
		if name == "" {
			off = i + 1
			continue
		}
		// The tag's attributes: up to '>', the next tag, or 2 KiB, so
		// that the attribute windows of a value do not overlap and a
		// value of "<a<a<a..." is read in linear time. A later tag's
		// window covers what is cut ("<a x='<b onclick=...").
		attrs := s[k:min(len(s), k+2048)]
		if end := tagAttrsEnd(attrs); end >= 0 {
			attrs = attrs[:end]
		}
		if attrs == "" && !scriptElement(name) {
			// no attribute: only the element's name can count ("<a<a<a")
			off = max(i+1, k)
			continue
		}
		if scriptElement(name) || name == "meta" && strings.Contains(attrs, "http-equiv") || name == "base" && strings.Contains(attrs, "href") {
			return i, 9
		}
		if eventHandler(attrs) {
			return i, 8
		}
		if name == "form" && externalAction(attrs) {
			// a form injected into the page that posts what the user
			// types (a password, asked for by the page itself) to
			// another site: credential theft without any script
			return i, 7
		}
		if strings.Contains(attrs, "src") || strings.Contains(attrs, "href") || strings.Contains(attrs, "action") || strings.Contains(attrs, "style") {
			if _, ok := ScriptURL(attrs); ok {
				return i, 8
			}
			if strings.Contains(attrs, "expression(") || strings.Contains(attrs, "-moz-binding") {
				return i, 7
			}
		}
		off = max(i+1, k+len(attrs))
	}
	return 0, 0
}

// externalAction reports whether a form's attributes (lower case) send it
// to another site: an action of an absolute or protocol-relative URL.
func externalAction(attrs string) bool {
	value := -1 // where the action attribute's value starts
	lex.IndexWhere(attrs, "action", func(i int) bool {
		if i > 0 && (lex.IsAlnum(attrs[i-1]) || attrs[i-1] == '-') {
			return false // formaction, data-action
		}
		j := lex.SkipSpace(attrs, i+len("action"))
		if j >= len(attrs) || attrs[j] != '=' {
			return false
		}
		value = lex.SkipSpace(attrs, j+1)
		return true
	})
	if value < 0 {
		return false
	}
	if value < len(attrs) && (attrs[value] == '"' || attrs[value] == '\'') {
		value++
	}
	v := attrs[value:]
	return strings.HasPrefix(v, "//") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")
}

// scriptElement reports whether an element of this name runs or loads
// script whatever its attributes.
func scriptElement(name string) bool {
	switch name {
	case "script", "iframe", "object", "embed", "applet":
		return true
	}
	return false
}

// tagAttrsEnd returns where a tag's attribute text ends: at '>' or at the
// next '<' that opens a tag, or -1.
func tagAttrsEnd(attrs string) int {
	for i := 0; i < len(attrs); i++ {
		switch attrs[i] {
		case '>':
			return i
		case '<':
			if n := i + 1; n < len(attrs) && (lex.IsAlnum(attrs[n]) || attrs[n] == ':' || attrs[n] == '-' || attrs[n] == '/') {
				return i
			}
		}
	}
	return -1
}

// ElementOpen reports whether s opens an HTML element: "<" directly
// followed by a tag name and then a blank, "/" or ">" ("<img src=...",
// "<svg/onload=...", "<script>"), not a comparison such as "a <b".
func ElementOpen(s string) bool {
	for off := 0; off < len(s); {
		i := off
		if s[i] != '<' { // "<a<a<a": the next '<' is where the name ended
			i = strings.IndexByte(s[off:], '<')
			if i < 0 {
				return false
			}
			i += off
		}
		j := i + 1
		for j < len(s) && lex.IsAlnum(s[j]) {
			j++
		}
		if j > i+1 && lex.IsAlpha(s[i+1]) && j < len(s) && (lex.IsSpace(s[j]) || s[j] == '/' || s[j] == '>') {
			return true
		}
		off = max(i+1, j) // s[i+1:j] holds no '<'
	}
	return false
}

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

// LegacyTag finds "<" + a legacyTags name followed by a byte that is not
// a letter or digit (or the end).
func LegacyTag(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && lex.IsAlpha(s[j]) {
			j++
		}
		if j > i+1 && legacyTags[s[i+1:j]] && (j == len(s) || !lex.IsAlnum(s[j])) {
			return i
		}
	}
	return -1
}
