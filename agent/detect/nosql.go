package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

var mongoOperators = map[string]int{
	"ne": 8, "eq": 6, "gt": 8, "gte": 8, "lt": 8, "lte": 8, "in": 6, "nin": 8, "regex": 8, "where": 9,
	"exists": 7, "expr": 8, "or": 7, "and": 6, "not": 7, "nor": 8, "elemmatch": 7, "all": 6, "size": 6,
	"type": 6, "mod": 6, "text": 6, "function": 9, "accumulator": 9, "lookup": 8, "jsonschema": 6,
	"options": 6, "comment": 5, "where:": 9, "merge": 7, "out": 7, "unionwith": 8, "graphlookup": 8,
}

// operatorAt returns the MongoDB operator starting with '$' at i and its score.
func operatorAt(s string, i int) (string, int) {
	j := i + 1
	for j < len(s) && isAlpha(s[j]) {
		j++
	}
	op := strings.ToLower(s[i+1 : j])
	if sc, ok := mongoOperators[op]; ok {
		return op, sc
	}
	return "", 0
}

// detectNoSQLKey judges a parameter name: "$ne" in a JSON body, "user[$ne]"
// in a query string or form.
func (in *input) detectNoSQLKey() {
	if !in.e.Enabled(NoSQLi) || !in.mask.has(bDollar) {
		return
	}
	k := in.text
	for off := 0; off < len(k); {
		i := strings.IndexByte(k[off:], '$')
		if i < 0 {
			return
		}
		i += off
		if i == 0 || k[i-1] == '[' || k[i-1] == '.' {
			if op, sc := operatorAt(k, i); sc > 0 {
				if i == 0 && in.v.Part != event.PartBody && in.v.Part != event.PartRecord && !strings.Contains(in.v.Location, "[$") && sc < 8 {
					sc = 5
				}
				in.emit(NoSQLi, "nosql-operator", sc, i, i+len(op)+1)
				return
			}
		}
		off = i + 1
	}
}

// detectNoSQL judges a value: operators in a location ("body.user.$ne"),
// JSON operator objects embedded in strings, and $where JavaScript.
func (in *input) detectNoSQL() {
	if !in.e.Enabled(NoSQLi) {
		return
	}
	loc := in.v.Location
	if i := strings.Index(loc, "[$"); i >= 0 {
		if op, sc := operatorAt(loc, i+1); sc > 0 {
			in.emit(NoSQLi, "nosql-operator", sc, 0, len(op))
			return
		}
	}
	if i := strings.Index(loc, ".$"); i >= 0 {
		if _, sc := operatorAt(loc, i+1); sc > 0 {
			in.emit(NoSQLi, "nosql-operator", sc, 0, 16)
			return
		}
	}
	m := in.mask
	// Mongo shell statements chained after a value: db.c.insert(...);
	if m.has(bSemi) && m.has(bParen) {
		if i := mongoShellCall(in.lower()); i >= 0 {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
			return
		}
	}
	if !m.has(bDollar) && !m.has(bQuote|bDQuote) {
		return
	}
	s := in.lower()
	if m.has(bDollar) {
		for off := 0; off < len(s); {
			i := strings.IndexByte(s[off:], '$')
			if i < 0 {
				break
			}
			i += off
			if i > 0 && (s[i-1] == '"' || s[i-1] == '\'' || s[i-1] == '[' || s[i-1] == '{') {
				if op, sc := operatorAt(s, i); sc >= 7 {
					e := i + 1 + len(op)
					if e < len(s) && (s[e] == '"' || s[e] == '\'' || s[e] == ']') {
						in.emit(NoSQLi, "nosql-operator", sc, i, e+16)
						return
					}
				}
			}
			if op, sc := operatorAt(s, i); sc >= 6 && objectKeyAt(s, i, i+1+len(op)) {
				in.emit(NoSQLi, "nosql-operator", sc, i, i+len(op)+16)
				return
			}
			off = i + 1
		}
	}
	// $where / mapReduce JavaScript injection: quote breakout into JS.
	if m.has(bQuote|bDQuote) && (strings.Contains(s, "this.") || strings.Contains(s, "db.")) {
		for _, w := range [...]string{"return true", "return 1", "sleep(", "||", "&&", "while(true)", ".match(", "tojson(", "db.getcollection", "version()"} {
			if i := strings.Index(s, w); i >= 0 {
				in.emit(NoSQLi, "nosql-js", 7, i, i+32)
				return
			}
		}
	}
	if m.has(bQuote|bDQuote) && m.has(bSemi) {
		if i := strings.Index(s, "return "); i >= 0 && (strings.Contains(s, "'=='") || strings.Contains(s, "\"==\"") || strings.Contains(s, "return true") || strings.Contains(s, "sleep(")) {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
		}
	}
}

// objectKeyAt reports whether the operator s[i:e] ("$where") stands as an
// unquoted key of a JavaScript object literal, the way the Mongo shell and
// a $where clause write queries: at the start of the value or after "{",
// "," or a blank, and followed by ':' ("{$gt: ”}", "1, $where: '1 == 1'").
// A price ("$5: the total") names no operator.
func objectKeyAt(s string, i, e int) bool {
	if i > 0 && s[i-1] != '{' && s[i-1] != ',' && !isSpace(s[i-1]) {
		return false
	}
	k := skipSpace(s, e)
	if k >= len(s) || s[k] != ':' {
		return false
	}
	// a key opens the object or follows another member
	b := i
	for b > 0 && isSpace(s[b-1]) {
		b--
	}
	return b == 0 || s[b-1] == '{' || s[b-1] == ','
}

// mongoShellMethods are collection methods of the Mongo shell that read or
// change data.
var mongoShellMethods = [...]string{"find", "findone", "insert", "insertone", "insertmany", "update", "updateone", "updatemany", "remove", "deleteone", "deletemany", "drop", "mapreduce", "aggregate", "count", "distinct"}

// mongoShellCall finds a Mongo shell statement, db.<collection>.<method>(,
// in a value that chains statements (the caller checks for ';'); it
// returns its offset or -1.
func mongoShellCall(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "db.")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 3
		if i > 0 && isWord(s[i-1]) {
			continue
		}
		j := i + 3
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j == i+3 || j >= len(s) || s[j] != '.' {
			continue
		}
		k := j + 1
		for k < len(s) && isWord(s[k]) {
			k++
		}
		if k < len(s) && s[k] == '(' {
			for _, m := range mongoShellMethods {
				if s[j+1:k] == m {
					return i
				}
			}
		}
	}
	return -1
}
