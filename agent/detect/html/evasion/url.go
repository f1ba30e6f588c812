package evasion

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// DataMarkup finds a data: URL whose content is markup, "data:,<svg
// onload=...>", "data: text/html , <x>": inline HTML handed to a frame or
// an object, with the blanks evasions add around the parts.
func DataMarkup(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "data:")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("data:")
		if i > 0 && strings.IndexByte("\"'=( <`\t\n\r[{,;", s[i-1]) < 0 {
			continue
		}
		k := lex.SkipSpace(s, off)
		// the media type and its parameters: text/html;charset=utf-8
		for e := k + 128; k < len(s) && k < e && (lex.IsAlnum(s[k]) || strings.IndexByte("/+.;=-_", s[k]) >= 0); k++ {
		}
		k = lex.SkipSpace(s, k)
		if k >= len(s) || s[k] != ',' {
			continue
		}
		k = lex.SkipSpace(s, k+1)
		if k+1 < len(s) && s[k] == '<' && (lex.IsAlpha(s[k+1]) || s[k+1] == '!') {
			return i
		}
	}
	return -1
}

// CSSScriptURL finds a CSS url() whose target is a script URL,
// "background:url(javascript:...)", also cut before the colon
// ("x:url(javascript"): no style sheet loads an image from a script
// scheme.
func CSSScriptURL(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "url(")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("url(")
		k := off
		for k < len(s) && k < off+64 && (lex.IsSpace(s[k]) || s[k] == '"' || s[k] == '\'' || s[k] == '\\') {
			k++
		}
		r := s[k:]
		for _, w := range html.ScriptSchemes {
			// the scheme word, then its colon, padding or the cut end;
			// not a path ("url(javascripts/app.png)")
			if strings.HasPrefix(r, w) && (len(r) == len(w) || r[len(w)] == ':' || r[len(w)] == '&' || r[len(w)] <= ' ') {
				return i
			}
		}
	}
	return -1
}
