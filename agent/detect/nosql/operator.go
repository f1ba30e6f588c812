// Package nosql recognises MongoDB query operators and Mongo shell code
// where a value or a parameter name should hold data: "$ne" keys in JSON,
// "user[$ne]=" in forms, unquoted operator keys of the shell's object
// literals, and shell statements chained after a value. It reads
// lower-cased text.
package nosql

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// operators are MongoDB's query and aggregation operators, with the score
// of what each does to a query that takes user input: widening a match
// ($ne, $gt, $regex) or running JavaScript ($where, $function) score
// highest; those that are also everyday words ($in, $and, $comment) less.
var operators = map[string]int{
	"ne": 8, "eq": 6, "gt": 8, "gte": 8, "lt": 8, "lte": 8, "in": 6, "nin": 8, "regex": 8, "where": 9,
	"exists": 7, "expr": 8, "or": 7, "and": 6, "not": 7, "nor": 8, "elemmatch": 7, "all": 6, "size": 6,
	"type": 6, "mod": 6, "text": 6, "function": 9, "accumulator": 9, "lookup": 8, "jsonschema": 6,
	"options": 6, "comment": 5, "where:": 9, "merge": 7, "out": 7, "unionwith": 8, "graphlookup": 8,
}

// Operator returns the MongoDB operator starting with '$' at s[i] and its
// score, or "" and 0.
func Operator(s string, i int) (string, int) {
	j := i + 1
	for j < len(s) && lex.IsAlpha(s[j]) {
		j++
	}
	if j == i+1 {
		return "", 0 // "${", "$5", a '$' alone: no name to look up
	}
	op := strings.ToLower(s[i+1 : j])
	if sc, ok := operators[op]; ok {
		return op, sc
	}
	return "", 0
}

// ObjectKeyAt reports whether the operator s[i:e] ("$where") stands as an
// unquoted key of a JavaScript object literal, the way the Mongo shell and
// a $where clause write queries: at the start of the value or after "{",
// "," or a blank, and followed by ':' ("{$gt: ”}", "1, $where: '1 == 1'").
// A price ("$5: the total") names no operator.
func ObjectKeyAt(s string, i, e int) bool {
	if i > 0 && s[i-1] != '{' && s[i-1] != ',' && !lex.IsSpace(s[i-1]) {
		return false
	}
	k := lex.SkipSpace(s, e)
	if k >= len(s) || s[k] != ':' {
		return false
	}
	// a key opens the object or follows another member
	b := i
	b = lex.SkipSpaceBack(s, b)
	return b == 0 || s[b-1] == '{' || s[b-1] == ','
}

// ClosesObjectBefore reports whether the operator key at s[i] follows a
// breakout of the object the value was written into: a quote, then
// closing braces or brackets, then the comma before the key ("' } ],
// $comment:'x'", "\"}, $where: '1'"). Any operator is an injection there,
// also those that are everyday words: the value left its string and its
// object to add a member of its own.
func ClosesObjectBefore(s string, i int) bool {
	b := lex.SkipSpaceBack(s, i)
	if b == 0 || s[b-1] != ',' {
		return false
	}
	b = lex.SkipSpaceBack(s, b-1)
	closers := 0
	for b > 0 && (s[b-1] == '}' || s[b-1] == ']' || lex.IsSpace(s[b-1])) {
		if s[b-1] != ' ' && s[b-1] != '\t' {
			closers++
		}
		b--
	}
	return closers > 0 && b > 0 && (s[b-1] == '\'' || s[b-1] == '"')
}

// shellMethods are collection methods of the Mongo shell that read or
// change data.
var shellMethods = [...]string{"find", "findone", "insert", "insertone", "insertmany", "update", "updateone", "updatemany", "remove", "deleteone", "deletemany", "drop", "mapreduce", "aggregate", "count", "distinct"}

// ShellCall finds a Mongo shell statement, db.<collection>.<method>(,
// in a value that chains statements (the caller checks for ';'); it
// returns its offset or -1.
func ShellCall(s string) int {
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], "db.")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 3
		if i > 0 && lex.IsWord(s[i-1]) {
			continue
		}
		j := i + 3
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j == i+3 || j >= len(s) || s[j] != '.' {
			continue
		}
		k := j + 1
		for k < len(s) && lex.IsWord(s[k]) {
			k++
		}
		if k < len(s) && s[k] == '(' {
			for _, m := range shellMethods {
				if s[j+1:k] == m {
					return i
				}
			}
		}
	}
	return -1
}

// ReturnConstant finds a JavaScript statement that returns a constant
// boolean right after a semicolon, ";return true", ";return(true)":
// injected into a $where function it fixes the function's answer for
// every document. C, which man pages and READMEs quote, returns integers
// ("; return 1;"), and those are not read. It returns the offset of the
// semicolon or -1.
func ReturnConstant(s string) int {
	// Found by the word, not by each ';': a value of many semicolons
	// would otherwise be looked at after every one of them. A ';' is
	// followed by a return (blanks between) exactly when a "return" is
	// preceded by blanks and that ';', and the order is the same.
	for off := 0; off < len(s); {
		r := lex.Index(s[off:], "return")
		if r < 0 {
			return -1
		}
		r += off
		off = r + 1
		i := r
		i = lex.SkipSpaceBack(s, i)
		if i == 0 || s[i-1] != ';' {
			continue
		}
		i--
		r += len("return")
		if r < len(s) && s[r] != ' ' && s[r] != '(' {
			continue // returned, returnValue
		}
		for r < len(s) && (s[r] == ' ' || s[r] == '(') {
			r++
		}
		for _, c := range [...]string{"true", "!0", "this"} {
			if !strings.HasPrefix(s[r:], c) {
				continue
			}
			if c == "this" && (i == 0 || s[i-1] != '\'' && s[i-1] != '"') {
				// the document itself, truthy: returned after a quote
				// that closes the $where's string ("t'; return this;"),
				// not at the end of a fluent method ("x = v; return this;")
				continue
			}
			// the statement ends there: a sentence goes on ("; return 1
			// if the call fails")
			if e := lex.SkipSpace(s, r+len(c)); e == len(s) || strings.IndexByte(";)}'\"", s[e]) >= 0 {
				return i
			}
		}
	}
	return -1
}

// JSTautology finds a JavaScript condition that holds for every document,
// joined to a $where string the value breaks out of: "' || 'a'=='a",
// "' || this || '1'=='1", "' && '1'==='1". The equality is JavaScript's
// (== or ===, where SQL writes =) between two equal literals, and a
// boolean operator joins it; s is lower-cased. It returns the offset of
// the operator before the equality, or -1.
func JSTautology(s string) int {
	at := -1
	lex.IndexWhere(s, "==", func(i int) bool {
		if i > 0 && (s[i-1] == '=' || s[i-1] == '!') {
			return false // !== or the tail of ===
		}
		r := i + 2
		if r < len(s) && s[r] == '=' {
			r++
		}
		a, aOK := literalBefore(s, i)
		b, bOK := literalAfter(s, r)
		if !aOK || !bOK || a != b {
			return false
		}
		// the boolean operator that joins the comparison to the rest,
		// and a quote before it that broke out of the string (each looked
		// for in a bounded window: a value of many comparisons is read in
		// linear time)
		w := max(0, i-128)
		head := s[w:i]
		if j := max(strings.LastIndex(head, "||"), strings.LastIndex(head, "&&")); j >= 0 && strings.ContainsAny(s[max(0, w+j-128):w+j], "'\"") {
			at = w + j
			return true
		}
		return false
	})
	return at
}

// literalBefore reads the quoted string (of at most 64 bytes) or number
// that ends at s[i] (blanks between), without its quotes.
func literalBefore(s string, i int) (string, bool) {
	e := lex.SkipSpaceBack(s, i)
	if e == 0 {
		return "", false
	}
	if q := s[e-1]; q == '\'' || q == '"' {
		b := strings.LastIndexByte(s[max(0, e-1-64):e-1], q)
		if b < 0 {
			return "", false
		}
		b += max(0, e-1-64)
		return s[b+1 : e-1], true
	}
	b := e
	for b > 0 && lex.IsDigit(s[b-1]) {
		b--
	}
	return s[b:e], b < e && (b == 0 || !lex.IsWord(s[b-1]))
}

// literalAfter reads the quoted string (of at most 64 bytes; its closing
// quote may be left to the query, "'1'=='1") or number that starts at
// s[j] (blanks between).
func literalAfter(s string, j int) (string, bool) {
	j = lex.SkipSpace(s, j)
	if j >= len(s) {
		return "", false
	}
	if q := s[j]; q == '\'' || q == '"' {
		e := strings.IndexByte(s[j+1:min(len(s), j+1+64)], q)
		if e < 0 {
			return s[j+1 : min(len(s), j+1+64)], true
		}
		return s[j+1 : j+1+e], true
	}
	e := j
	for e < len(s) && lex.IsDigit(s[e]) {
		e++
	}
	return s[j:e], e > j && (e == len(s) || !lex.IsWord(s[e]))
}
