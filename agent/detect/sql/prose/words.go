package prose

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// How much of a value reads as SQL rather than as sentences: the weight a
// libinjection fingerprint deserves. libinjection folds a value into the
// token classes of its first few tokens; a paragraph with one quoted
// character ("a slash character ('/'), it is ...") folds into the same
// "string operator string" as "x'||'". The rest of the value tells them
// apart: an injected fragment is SQL tokens, a paragraph is words.

// Words counts the blank-separated fields of lower-cased s
// (total) and, among them, the prose words: fields that, stripped of the
// punctuation prose puts around words, are two or more letters that SQL
// neither reserves nor calls as a function. A URL or a dotted name is one
// field and no prose word. Comments (/* */) and string literals are
// skipped, as SQL skips them, but only with literals set and where a quote
// character pairs up across the whole value: a paragraph with one stray
// apostrophe would otherwise hide its sentences inside a literal. At most maxTokens
// fields are read, which bounds the work and is plenty to tell the two
// apart.
func Words(s string, literals bool) (prose, total int) {
	paired := [2]bool{literals && strings.Count(s, "'")%2 == 0, literals && strings.Count(s, "\"")%2 == 0}
	field := -1 // start of the current field, -1 between fields
	end := func(j int) {
		if field < 0 {
			return
		}
		total++
		w := strings.Trim(s[field:j], "([{\"'`)]}\",.;:!?")
		if len(w) >= 2 && lettersOnly(w) && !sql.Reserved[w] && sql.Func(w) == 0 {
			prose++
		}
		field = -1
	}
	unclosed := false // a "/*" found no "*/" after it: none later will
	for i := 0; i < len(s) && total < maxTokens; {
		c := s[i]
		if k := strings.IndexByte("'\"", c); k >= 0 && paired[k] {
			if e := strings.IndexByte(s[i+1:], c); e >= 0 {
				end(i)
				i += e + 2
				continue
			}
		}
		if c == '/' && !unclosed && strings.HasPrefix(s[i:], "/*") {
			if e := strings.Index(s[i+2:], "*/"); e >= 0 {
				end(i)
				i += e + 4
				continue
			}
			unclosed = true
		}
		if lex.IsSpace(c) {
			end(i)
		} else if field < 0 {
			field = i
		}
		i++
	}
	end(len(s))
	return prose, total
}

// maxTokens bounds Words.
const maxTokens = 256

// Reads reports whether lower-cased s reads as sentences rather
// than SQL: at least five prose words, and prose is half of all fields or
// more. literals says whether the words inside string literals are SQL's
// data, skipped (see Words).
func Reads(s string, literals bool) bool {
	prose, total := Words(s, literals)
	return prose >= 5 && 2*prose >= total
}

// lettersOnly reports whether w is made of ASCII letters alone.
func lettersOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
