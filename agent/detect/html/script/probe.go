package script

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// consoleMethods are the console methods evaluation probes call.
var consoleMethods = map[string]bool{
	"log": true, "info": true, "warn": true, "error": true, "debug": true, "trace": true, "dir": true,
	"dirxml": true, "table": true,
}

// ConsoleProbe finds a probe for server-side JavaScript evaluation (Node's
// eval, vm, template engines): a console method called with only number
// literals or `this` as arguments, "console.info(1)", console["log"](1),
// "console.info.call(this,1)", as the whole value or after a string
// breakout or a statement separator, and nothing after it but closing
// punctuation or a comment. It is the server-side alert(1): the attacker
// looks for the 1 in the logs or the response. Code that logs something
// real ("console.log(JSON.stringify(x))", "console.log(total)") or
// prose that mentions the call ("run console.log(1) in the devtools")
// does not match.
func ConsoleProbe(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "console")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("console")
		b := i
		b = lex.SkipSpaceBack(s, b)
		if b > 0 && strings.IndexByte("'\";)}(|&`,={", s[b-1]) < 0 {
			continue
		}
		k := lex.SkipSpace(s, off)
		if k >= len(s) {
			return -1
		}
		var method string
		switch s[k] {
		case '.':
			k = lex.SkipSpace(s, k+1)
			e := k
			for e < len(s) && e-k < 16 && lex.IsWord(s[e]) {
				e++
			}
			method, k = s[k:e], e
		case '[':
			k = lex.SkipSpace(s, k+1)
			if k >= len(s) || (s[k] != '"' && s[k] != '\'' && s[k] != '`') {
				continue
			}
			e := k + 1
			for e < len(s) && e-k < 16 && lex.IsWord(s[e]) {
				e++
			}
			if e >= len(s) || s[e] != s[k] {
				continue
			}
			method = s[k+1 : e]
			if k = lex.SkipSpace(s, e+1); k >= len(s) || s[k] != ']' {
				continue
			}
			k++
		default:
			continue
		}
		if !consoleMethods[method] {
			continue
		}
		k = lex.SkipSpace(s, k)
		for _, w := range [...]string{".call", ".apply"} {
			if strings.HasPrefix(s[k:], w) {
				k = lex.SkipSpace(s, k+len(w))
				break
			}
		}
		if k >= len(s) || s[k] != '(' {
			continue
		}
		if e, ok := literalArgs(s, k+1); ok && probeTail(s, e) {
			return i
		}
	}
	return -1
}

// literalArgs reads a call's arguments from s[k:] up to its ')': one or
// more number literals or `this`, comma separated. It returns the index
// after the ')'.
func literalArgs(s string, k int) (int, bool) {
	n := 0
	for {
		k = lex.SkipSpace(s, k)
		switch {
		case strings.HasPrefix(s[k:], "this"):
			k += len("this")
		case k < len(s) && lex.IsDigit(s[k]):
			e := k
			for e < len(s) && e-k < 24 && (lex.IsDigit(s[e]) || s[e] == '.') {
				e++
			}
			k = e
		default:
			return 0, false
		}
		n++
		k = lex.SkipSpace(s, k)
		if k >= len(s) || n > 4 {
			return 0, false
		}
		switch s[k] {
		case ')':
			return k + 1, true
		case ',':
			k++
		default:
			return 0, false
		}
	}
}

// probeTail reports whether s[e:] closes the injected statement: blanks,
// separators, closing brackets, quotes or a comment, no more words.
func probeTail(s string, e int) bool {
	for e < len(s) {
		c := s[e]
		switch {
		case lex.IsSpace(c) || strings.IndexByte(";)}'\"`+-,|&", c) >= 0:
			e++
		case c == '/' && e+1 < len(s) && (s[e+1] == '/' || s[e+1] == '*'):
			return true
		case c == '<' && strings.HasPrefix(s[e:], "<!--"):
			return true
		default:
			return false
		}
	}
	return true
}
