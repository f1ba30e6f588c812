package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection"
)

// LooseHandler finds an event handler attribute injected after a quote or
// '<' without a complete tag: "onwebkitanimationend=, ' onabcdef =.
func LooseHandler(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "on")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		b := i
		b = lex.SkipSpaceBack(s, b)
		// After a quote, '<' or '/', or, in an unquoted attribute, after
		// the blanks that open the value ("  onload= ").
		if b == 0 && b == i || b > 0 && !(s[b-1] == '"' || s[b-1] == '\'' || s[b-1] == '<' || s[b-1] == '/' || s[b-1] == '`') {
			continue
		}
		k := i + 2
		for k < len(s) && lex.IsAlpha(s[k]) {
			k++
		}
		if k-i < 6 {
			continue
		}
		e := lex.SkipSpace(s, k)
		if e < len(s) && s[e] == '=' {
			return i
		}
	}
	return -1
}

// eventHandler reports an on*= attribute in a tag's attribute text.
func eventHandler(attrs string) bool {
	for off := 0; off < len(attrs); {
		i := strings.Index(attrs[off:], "on")
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && (lex.IsAlnum(attrs[i-1]) || attrs[i-1] == '-' || attrs[i-1] == '_') {
			off = i + 2
			continue
		}
		k := i + 2
		for k < len(attrs) && lex.IsAlpha(attrs[k]) {
			k++
		}
		if k-i > 3 {
			e := k
			for e < len(attrs) && (lex.IsSpace(attrs[e]) || attrs[e] == 0) {
				e++
			}
			if e < len(attrs) && attrs[e] == '=' {
				return true
			}
		}
		off = i + 2
	}
	return false
}

// OnlyInertStyle reports whether libinjection's finding in s is owed to
// inline CSS alone: every style attribute has a quoted value with no
// construct that runs script or loads anything (expression(), url(),
// behavior, -moz-binding, @import, escapes, comments, entities) and no
// positioning (a fixed or absolute link laid over the whole page sends
// every click to the attacker's site), and s with those attributes
// renamed is no longer XSS. Rich-text editors emit
// style="text-align:center" on every paragraph; paranoia 2 still flags it.
func OnlyInertStyle(s string) bool {
	if !hasStyle(s) {
		return false // without a copy: nearly every text that reads as XSS
	}
	// ASCII only: offsets stay those of s; low is not kept
	low := lex.View(lex.AppendLower(make([]byte, 0, len(s)), s))
	b := []byte(s)
	renamed := false
	for off := 0; off < len(low); {
		i := strings.Index(low[off:], "style")
		if i < 0 {
			break
		}
		i += off
		off = i + 5
		if i == 0 || !(lex.IsSpace(low[i-1]) || low[i-1] == '"' || low[i-1] == '\'' || low[i-1] == '/') {
			continue
		}
		j := lex.SkipSpace(low, i+5)
		if j >= len(low) || low[j] != '=' {
			continue
		}
		j = lex.SkipSpace(low, j+1)
		if j >= len(low) || low[j] != '"' && low[j] != '\'' {
			return false // an unquoted style value: not judged here
		}
		e := strings.IndexByte(low[j+1:], low[j])
		if e < 0 {
			return false
		}
		v := low[j+1 : j+1+e]
		for _, w := range [...]string{"expression", "url(", "script", "behavior", "binding", "import", "position", "\\", "/*", "&", "<", ">"} {
			if strings.Contains(v, w) {
				return false
			}
		}
		if !cssFunctionsInert(v) {
			return false
		}
		b[i] = 'x' // "xtyle" is no attribute libinjection watches
		renamed = true
		off = j + 1 + e
	}
	return renamed && !libinjection.IsXSS(string(b))
}

// hasStyle reports whether s holds "style" with its ASCII letters in any
// case: c|0x20 is a given lower-case letter only for that letter and its
// upper case.
func hasStyle(s string) bool {
	for i := 0; i+5 <= len(s); i++ {
		if s[i]|0x20 == 's' && s[i+1]|0x20 == 't' && s[i+2]|0x20 == 'y' && s[i+3]|0x20 == 'l' && s[i+4]|0x20 == 'e' {
			return true
		}
	}
	return false
}

// cssFunctionsInert reports whether every function call in a CSS value
// is one that computes a color, length or transform.
func cssFunctionsInert(v string) bool {
	for off := 0; off < len(v); {
		i := strings.IndexByte(v[off:], '(')
		if i < 0 {
			return true
		}
		i += off
		b := i
		for b > 0 && (lex.IsAlpha(v[b-1]) || v[b-1] == '-') {
			b--
		}
		switch v[b:i] {
		case "rgb", "rgba", "hsl", "hsla", "calc", "var", "min", "max", "clamp", "linear-gradient", "radial-gradient",
			"translate", "translatex", "translatey", "rotate", "scale", "minmax", "repeat":
		default:
			return false
		}
		off = i + 1
	}
	return true
}
