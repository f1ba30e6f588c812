package detect

import "strings"

// How much of a value reads as SQL rather than as sentences: the weight a
// libinjection fingerprint deserves. libinjection folds a value into the
// token classes of its first few tokens; a paragraph with one quoted
// character ("a slash character ('/'), it is ...") folds into the same
// "string operator string" as "x'||'". The rest of the value tells them
// apart: an injected fragment is SQL tokens, a paragraph is words.

// sqlProseWords counts the blank-separated fields of lower-cased s
// (total) and, among them, the prose words: fields that, stripped of the
// punctuation prose puts around words, are two or more letters that SQL
// neither reserves nor calls as a function. A URL or a dotted name is one
// field and no prose word. Comments (/* */) and string literals are
// skipped, as SQL skips them, but only with literals set and where a quote
// character pairs up across the whole value: a paragraph with one stray
// apostrophe would otherwise hide its sentences inside a literal. At most maxProseTokens
// fields are read, which bounds the work and is plenty to tell the two
// apart.
func sqlProseWords(s string, literals bool) (prose, total int) {
	paired := [2]bool{literals && strings.Count(s, "'")%2 == 0, literals && strings.Count(s, "\"")%2 == 0}
	field := -1 // start of the current field, -1 between fields
	end := func(j int) {
		if field < 0 {
			return
		}
		total++
		w := strings.Trim(s[field:j], "([{\"'`)]}\",.;:!?")
		if len(w) >= 2 && lettersOnly(w) && !sqlReserved[w] && sqlFunc(w) == 0 {
			prose++
		}
		field = -1
	}
	for i := 0; i < len(s) && total < maxProseTokens; {
		c := s[i]
		if k := strings.IndexByte("'\"", c); k >= 0 && paired[k] {
			if e := strings.IndexByte(s[i+1:], c); e >= 0 {
				end(i)
				i += e + 2
				continue
			}
		}
		if c == '/' && strings.HasPrefix(s[i:], "/*") {
			if e := strings.Index(s[i+2:], "*/"); e >= 0 {
				end(i)
				i += e + 4
				continue
			}
		}
		if isSpace(c) {
			end(i)
		} else if field < 0 {
			field = i
		}
		i++
	}
	end(len(s))
	return prose, total
}

// maxProseTokens bounds sqlProseWords.
const maxProseTokens = 256

// sqlReadsAsProse reports whether lower-cased s reads as sentences rather
// than SQL: at least five prose words, and prose is half of all fields or
// more. literals says whether the words inside string literals are SQL's
// data, skipped (see sqlProseWords).
func sqlReadsAsProse(s string, literals bool) bool {
	prose, total := sqlProseWords(s, literals)
	return prose >= 5 && 2*prose >= total
}

// libinjectionScore scores libinjection's finding on lower-cased s: 8 for
// a value that reads as SQL, 0 for one that reads as sentences. The words
// in quotes count: libinjection reads a value in three quote contexts, and
// in the one that matched, what looks like a literal may be the injected
// code, or a paragraph's quoted phrase. An attack that pads a payload with
// prose still meets the lexer, which reads the SQL itself.
func libinjectionScore(s string) int {
	// A fragment libinjection recognises is SQL tokens with at most a
	// word or two of data around them ("foo' OR 'bar"); four words of
	// prose making a third of the value are sentences or program text.
	if prose, total := sqlProseWords(s, false); prose >= 4 && 3*prose >= total {
		return 0
	}
	if scriptText(s) {
		return 0
	}
	return 8
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

// sqlReserved are the SQL words an injected fragment is made of: clauses,
// logic, literals and the statements injection runs.
var sqlReserved = map[string]bool{
	"select": true, "union": true, "all": true, "distinct": true, "from": true, "where": true, "and": true, "or": true,
	"xor": true, "not": true, "null": true, "is": true, "like": true, "rlike": true, "regexp": true, "in": true,
	"between": true, "order": true, "group": true, "by": true, "having": true, "limit": true, "offset": true,
	"insert": true, "into": true, "values": true, "update": true, "set": true, "delete": true, "drop": true,
	"table": true, "create": true, "alter": true, "exec": true, "execute": true, "declare": true, "begin": true,
	"end": true, "case": true, "when": true, "then": true, "else": true, "as": true, "on": true, "join": true,
	"true": true, "false": true, "waitfor": true, "delay": true, "procedure": true, "into_outfile": true,
	"outfile": true, "dumpfile": true, "exists": true, "asc": true, "desc": true, "top": true, "dual": true,
	"information_schema": true, "replace": true, "change": true, "modify": true, "rename": true, "add": true,
	"column": true, "enum": true, "character": true, "charset": true, "collate": true, "primary": true, "key": true,
	"default": true, "constraint": true, "references": true, "index": true, "unique": true, "engine": true,
	"int": true, "varchar": true, "text": true, "unsigned": true, "view": true, "database": true, "schema": true, "merge": true, "call": true, "with": true, "sysobjects": true, "shutdown": true, "truncate": true, "grant": true,
}
