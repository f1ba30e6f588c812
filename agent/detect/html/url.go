package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

var scriptSchemes = [...]string{"javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg+xml", "data:application/x-javascript", "data:text/javascript", "data:application/xhtml"}

// ScriptURL finds a script-capable URL scheme, ignoring the whitespace,
// control bytes and entity padding browsers ignore inside schemes, with
// code after the colon.
func ScriptURL(s string) (int, bool) { return ScriptURLAt(s, true) }

// ScriptURLAt is ScriptURL; needCode false accepts a script scheme with
// nothing after the colon.
func ScriptURLAt(s string, needCode bool) (int, bool) {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], ':')
		if i < 0 {
			return 0, false
		}
		i += off
		// walk back over the scheme letters, skipping padding
		j := i
		var buf [24]byte
		n := 0
		for j > 0 && n < len(buf) {
			c := s[j-1]
			if lex.IsAlpha(c) {
				buf[len(buf)-1-n] = c
				n++
			} else if !(c <= ' ' || c == 0x7f) {
				break
			}
			j--
		}
		scheme := string(buf[len(buf)-n:])
		switch scheme {
		case "javascript", "vbscript", "livescript":
			// must be at the start of the value or after a URL-ish
			// delimiter, or double a script scheme: a filter that strips
			// one "javascript:" leaves the one behind it
			if j == 0 || strings.IndexByte("\"'=( <`[{,;", s[j-1]) >= 0 || s[j-1] == ':' && scriptSchemeEnds(s[:j-1]) {
				rest := s[i+1:]
				if !needCode || len(strings.TrimSpace(rest)) > 0 {
					return j, true
				}
			}
		case "data":
			rest := s[i+1:]
			for _, d := range scriptSchemes[3:] {
				if strings.HasPrefix(rest, d[5:]) && (j == 0 || strings.IndexByte("\"'=( <`", s[j-1]) >= 0) {
					return j, true
				}
			}
		}
		off = i + 1
	}
	return 0, false
}

// scriptSchemeEnds reports whether s ends with the name of a script
// scheme, in any case.
func scriptSchemeEnds(s string) bool {
	for _, n := range [...]string{"javascript", "vbscript", "livescript"} {
		if len(s) >= len(n) && strings.EqualFold(s[len(s)-len(n):], n) {
			return true
		}
	}
	return false
}
