package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/nosql"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

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
			if op, sc := nosql.Operator(k, i); sc > 0 {
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
	// an operator among the location's keys, at any depth: a key that
	// only starts with '$' before it must not hide it
	loc := in.v.Location
	for _, sep := range [...]string{"[$", ".$"} {
		sc := 0
		if lex.IndexWhere(loc, sep, func(i int) bool {
			_, sc = nosql.Operator(loc, i+1)
			return sc > 0
		}) >= 0 {
			in.emit(NoSQLi, "nosql-operator", sc, 0, 16)
			return
		}
	}
	m := in.mask
	// Mongo shell statements chained after a value: db.c.insert(...);
	if m.has(bSemi) && m.has(bParen) {
		if i := nosql.ShellCall(in.lower()); i >= 0 {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
			return
		}
	}
	if m.has(bSemi) && !m.has(bNewline) {
		// a statement ended and a constant returned, the $where
		// function's answer fixed: "0;return true", "\";return(true);var x='a"
		if i := nosql.ReturnConstant(in.lower()); i >= 0 {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
			return
		}
	}
	if m.has(bEq) && m.has(bPipe|bAmp) && m.has(bQuote|bDQuote) {
		// a condition true for every document joined to the $where
		// string the value breaks out of: "' || '1'=='1"
		if i := nosql.JSTautology(in.lower()); i >= 0 {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
			return
		}
	}
	s0 := in.lower()
	if strings.HasPrefix(s0, "this.") && m.has(bParen) {
		// a $where expression whole: "this.password.match(/.*/)"
		if i := strings.Index(s0, ".match("); i >= 0 {
			in.emit(NoSQLi, "nosql-js", 7, 0, i+32)
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
			off = i + 1
			op, sc := nosql.Operator(s, i)
			if sc == 0 {
				continue
			}
			if sc >= 7 && i > 0 && (s[i-1] == '"' || s[i-1] == '\'' || s[i-1] == '[' || s[i-1] == '{') {
				e := i + 1 + len(op)
				if e < len(s) && (s[e] == '"' || s[e] == '\'' || s[e] == ']') {
					in.emit(NoSQLi, "nosql-operator", sc, i, e+16)
					return
				}
			}
			if sc >= 6 && nosql.ObjectKeyAt(s, i, i+1+len(op)) {
				in.emit(NoSQLi, "nosql-operator", sc, i, i+len(op)+16)
				return
			}
			if k := lex.SkipSpace(s, i+1+len(op)); k < len(s) && s[k] == ':' && nosql.ClosesObjectBefore(s, i) {
				in.emit(NoSQLi, "nosql-operator", max(sc, 7), i, i+len(op)+16)
				return
			}
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
		if i := lex.Index(s, "return "); i >= 0 && (strings.Contains(s, "'=='") || strings.Contains(s, "\"==\"") || strings.Contains(s, "return true") || strings.Contains(s, "sleep(")) {
			in.emit(NoSQLi, "nosql-js", 7, i, i+32)
		}
	}
}
