package detect

// How much of a value reads as SQL rather than as sentences: the weight a
// libinjection fingerprint deserves. libinjection folds a value into the
// token classes of its first few tokens; a paragraph with one quoted
// character ("a slash character ('/'), it is ...") folds into the same
// "string operator string" as "x'||'". The rest of the value tells them
// apart: an injected fragment is SQL tokens, a paragraph is words.

// sqlProseWords counts the words of lower-cased s (runs of letters,
// digits and underscores: total) and, among them, the prose words: runs of
// two or more letters that SQL neither reserves nor calls as a function.
// Quotes are not honoured: a paragraph with one quoted character would
// otherwise hide its sentences inside a string literal. At most
// maxProseTokens words are read, which bounds the work and is plenty to
// tell the two apart.
func sqlProseWords(s string) (prose, total int) {
	for i := 0; i < len(s) && total < maxProseTokens; {
		if !isWord(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWord(s[j]) {
			j++
		}
		total++
		if w := s[i:j]; len(w) >= 2 && lettersOnly(w) && !sqlReserved[w] && sqlFunc(w) == 0 {
			prose++
		}
		i = j
	}
	return prose, total
}

// maxProseTokens bounds sqlProseWords.
const maxProseTokens = 256

// libinjectionScore scores libinjection's finding on lower-cased s: 8 for
// a value that reads as SQL, 0 for one that reads as sentences, where at
// least five words and half of all words are prose. An attack that pads a
// payload with prose still meets the lexer and the shapes, which read the
// SQL itself.
func libinjectionScore(s string) int {
	prose, total := sqlProseWords(s)
	if prose >= 5 && 2*prose >= total {
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
	"information_schema": true, "sysobjects": true, "shutdown": true, "truncate": true, "grant": true,
}
