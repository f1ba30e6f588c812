// Package ssi recognises server-side includes and edge-side includes:
// the directives a web server (Apache mod_include, IIS) or a caching proxy
// (Varnish, Akamai, Fastly) runs when it parses a page it builds from
// input. Both read lower-cased text.
package ssi

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// An SSI directive is an HTML comment whose first character is '#'
// followed by a directive name, "<!--#exec cmd="id" -->". Prose has no
// reason to write "<!--#" before a directive name.

// directives are the directives of Apache's mod_include and IIS, with the
// score of what they do: run a command or include a file (8), print
// variables or configure output (7).
var directives = map[string]int{
	"exec": 8, "include": 8, "echo": 7, "printenv": 7, "config": 7, "fsize": 7, "flastmod": 7,
	"set": 7, "if": 7, "elif": 7,
}

// Directive returns the offset and score of an SSI directive in s
// (lower-cased), or -1.
func Directive(s string) (off, score int) {
	return namedAfter(s, "<!--#", directives, directiveEnd)
}

// directiveEnd reports whether c may follow a directive name.
func directiveEnd(c byte) bool { return c == ' ' || c == '\t' || c == '-' }

// esiTags are the Edge Side Includes elements (ESI 1.0 and the vendors'
// extensions) a caching proxy runs when it parses a page: include and
// inline fetch a URL, vars and the others print or evaluate, debug dumps
// the surrogate's state. Scored as directives are.
var esiTags = map[string]int{
	"include": 8, "inline": 8, "eval": 8, "vars": 7, "choose": 7, "when": 7, "try": 7, "attempt": 7,
	"assign": 7, "debug": 7, "function": 7, "remove": 6, "comment": 6,
}

// ESITag returns the offset and score of an ESI element in s
// (lower-cased), "<esi:include src=...>", or -1. The namespace prefix
// "esi:" is the whole of the grammar: no HTML or XML a user writes uses it.
func ESITag(s string) (off, score int) {
	return namedAfter(s, "<esi:", esiTags, esiTagEnd)
}

// esiTagEnd reports whether c may follow an ESI element name.
func esiTagEnd(c byte) bool { return lex.IsSpace(c) || c == '/' || c == '>' }

// Include returns Directive's answer for s if it has one, else ESITag's,
// reading s once for both openers where the two would read it once each:
// from each '<' to the next (neither opener holds a '<' after its first
// byte, so every occurrence of each is seen). Where the '<' are dense
// (more than one in eight bytes so far, "<a<a<a…") a call per '<' costs
// more than two searches for the openers, and the rest of s is read that
// way, as Directive and ESITag read it.
func Include(s string) (off, score int) {
	esiOff, esiScore := -1, 0
	for o, stops := 0, 0; o < len(s); stops++ {
		if stops > 4+o/8 {
			if i, sc := namedAfter(s[o:], "<!--#", directives, directiveEnd); i >= 0 {
				return o + i, sc
			}
			if esiOff < 0 {
				if i, sc := namedAfter(s[o:], "<esi:", esiTags, esiTagEnd); i >= 0 {
					return o + i, sc
				}
			}
			break
		}
		k := strings.IndexByte(s[o:], '<')
		if k < 0 {
			break
		}
		i := o + k
		o = i + 1
		switch {
		case strings.HasPrefix(s[i:], "<!--#"):
			if sc := nameAt(s, i+len("<!--#"), directives, directiveEnd); sc > 0 {
				return i, sc
			}
		case esiOff < 0 && strings.HasPrefix(s[i:], "<esi:"):
			if sc := nameAt(s, i+len("<esi:"), esiTags, esiTagEnd); sc > 0 {
				esiOff, esiScore = i, sc
			}
		}
	}
	return esiOff, esiScore
}

// namedAfter finds the first opener in s followed by a word of names that
// ends the value or is followed by a byte ends accepts, and returns the
// opener's offset and the word's score, or -1: the grammar SSI directives
// and ESI elements share.
func namedAfter(s, opener string, names map[string]int, ends func(byte) bool) (off, score int) {
	for o := 0; o < len(s); {
		i := lex.Index(s[o:], opener)
		if i < 0 {
			return -1, 0
		}
		i += o
		o = i + len(opener)
		if sc := nameAt(s, o, names, ends); sc > 0 {
			return i, sc
		}
	}
	return -1, 0
}

// nameAt returns the score of the word of names at s[o:] if it ends the
// value or is followed by a byte ends accepts, or 0.
func nameAt(s string, o int, names map[string]int, ends func(byte) bool) int {
	j := o
	for j < len(s) && lex.IsAlpha(s[j]) {
		j++
	}
	if sc := names[s[o:j]]; sc > 0 && (j == len(s) || ends(s[j])) {
		return sc
	}
	return 0
}
