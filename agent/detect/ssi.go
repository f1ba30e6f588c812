package detect

import "strings"

// Server-side includes: an SSI directive is an HTML comment whose first
// character is '#' followed by a directive name, "<!--#exec cmd="id" -->".
// A server that parses SSI in pages it builds from input runs it; prose
// has no reason to write "<!--#" before a directive name.

// ssiDirectives are the directives of Apache's mod_include and IIS, with
// the score of what they do: run a command or include a file (8), print
// variables or configure output (7).
var ssiDirectives = map[string]int{
	"exec": 8, "include": 8, "echo": 7, "printenv": 7, "config": 7, "fsize": 7, "flastmod": 7,
	"set": 7, "if": 7, "elif": 7,
}

// ssiDirective returns the offset and score of an SSI directive in s
// (lower-cased), or -1.
func ssiDirective(s string) (int, int) {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<!--#")
		if i < 0 {
			return -1, 0
		}
		i += off
		off = i + 5
		j := off
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		if sc := ssiDirectives[s[off:j]]; sc > 0 && (j == len(s) || s[j] == ' ' || s[j] == '\t' || s[j] == '-') {
			return i, sc
		}
	}
	return -1, 0
}

// esiTags are the Edge Side Includes elements (ESI 1.0 and the vendors'
// extensions) a caching proxy runs when it parses a page: include and
// inline fetch a URL, vars and the others print or evaluate, debug dumps
// the surrogate's state. With score as for ssiDirectives.
var esiTags = map[string]int{
	"include": 8, "inline": 8, "eval": 8, "vars": 7, "choose": 7, "when": 7, "try": 7, "attempt": 7,
	"assign": 7, "debug": 7, "function": 7, "remove": 6, "comment": 6,
}

// esiTag returns the offset and score of an ESI element in s
// (lower-cased), "<esi:include src=...>", or -1. The namespace prefix
// "esi:" is the whole of the grammar: no HTML or XML a user writes uses it.
func esiTag(s string) (int, int) {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<esi:")
		if i < 0 {
			return -1, 0
		}
		i += off
		off = i + 5
		j := off
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		if sc := esiTags[s[off:j]]; sc > 0 && (j == len(s) || isSpace(s[j]) || s[j] == '/' || s[j] == '>') {
			return i, sc
		}
	}
	return -1, 0
}

// detectSSI judges a value holding "<!--#" or "<esi:".
func (in *input) detectSSI() {
	if !in.mask.has(bLT) || !in.e.Enabled(CodeInj) {
		return
	}
	if i, sc := ssiDirective(in.lower()); i >= 0 {
		in.emit(CodeInj, "ssi-directive", sc, i, i+32)
		return
	}
	if i, sc := esiTag(in.lower()); i >= 0 {
		in.emit(CodeInj, "ssi-directive", sc, i, i+32)
	}
}
