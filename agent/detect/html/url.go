package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// ScriptSchemes are the names of the URL schemes whose URLs run script
// in some browser: "mocha" and "livescript" were Netscape's names for
// JavaScript, still in filter-evasion lists.
var ScriptSchemes = [...]string{"javascript", "vbscript", "livescript", "mocha"}

// scriptData are the media types a data: URL runs script as.
var scriptData = [...]string{"text/html", "image/svg+xml", "application/x-javascript", "text/javascript", "application/xhtml"}

// isScriptScheme reports whether name (lower case) is one of
// ScriptSchemes.
func isScriptScheme(name string) bool {
	for _, n := range ScriptSchemes {
		if name == n {
			return true
		}
	}
	return false
}

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
		var at [24]int // where each letter of buf is in s
		n := 0
		for j > 0 && n < len(buf) {
			c := s[j-1]
			if lex.IsAlpha(c) {
				buf[len(buf)-1-n] = c
				at[len(buf)-1-n] = j - 1
				n++
			} else if !(c <= ' ' || c == 0x7f) {
				break
			}
			j--
		}
		scheme := string(buf[len(buf)-n:])
		if k := blankSeparatedScheme(s, scheme, at[len(buf)-n:]); k >= 0 && callFollows(s[i+1:]) {
			// a word, a blank, then the scheme (x" -new-window
			// javascript:alert(1)): the walk took the word for padding
			return k, true
		}
		switch {
		case isScriptScheme(scheme):
			// must be at the start of the value or after a URL-ish
			// delimiter, or double a script scheme: a filter that strips
			// one "javascript:" leaves the one behind it
			if j == 0 || strings.IndexByte("\"'=( <`[{,;", s[j-1]) >= 0 || s[j-1] == ':' && scriptSchemeEnds(s[:j-1]) {
				rest := s[i+1:]
				if !needCode || len(strings.TrimSpace(rest)) > 0 {
					return j, true
				}
			}
		case scheme == "data":
			rest := s[i+1:]
			for _, d := range scriptData {
				if strings.HasPrefix(rest, d) && (j == 0 || strings.IndexByte("\"'=( <`", s[j-1]) >= 0) {
					return j, true
				}
			}
		}
		off = i + 1
	}
	return 0, false
}

// blankSeparatedScheme returns where in s a script scheme's name starts
// when letters is a word, then blanks, then that name, as ScriptURLAt's
// walk back collects them (at holds each letter's offset in s), or -1.
func blankSeparatedScheme(s, letters string, at []int) int {
	for _, name := range ScriptSchemes {
		k := len(letters) - len(name)
		if k > 0 && letters[k:] == name && at[k] > 0 && s[at[k]-1] <= ' ' {
			return at[k]
		}
	}
	return -1
}

// callFollows reports whether s, what follows a script scheme's colon,
// opens with a call at once: a name or a member chain, then '(' or '`'
// (alert(1), document.write(x), top.alert`1`); prose after a colon goes on
// after a blank ("javascript: fetch(url) is great").
func callFollows(s string) bool {
	i := 0
	for i < len(s) && (lex.IsWord(s[i]) || s[i] == '.' && i > 0) {
		i++
	}
	return i > 0 && i < len(s) && (s[i] == '(' || s[i] == '`')
}

// scriptSchemeEnds reports whether s ends with the name of a script
// scheme, in any case.
func scriptSchemeEnds(s string) bool {
	for _, n := range ScriptSchemes {
		if len(s) >= len(n) && strings.EqualFold(s[len(s)-len(n):], n) {
			return true
		}
	}
	return false
}
