package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/fragment"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/prose"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/shape"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/statement"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection"
)

// detectSQLi judges text as a fragment spliced into a SQL statement: first
// libinjection (fingerprints of token sequences), then a small SQL lexer for
// the shapes libinjection misses (numeric tautologies, quote breakouts into
// comments, stacked statements, UNION with comment padding, blind-timing
// functions).
func (in *input) detectSQLi() {
	if !in.e.Enabled(SQLi) {
		return
	}
	if numericParam(in.v.Key) && shape.NumericTautology(in.lower()) {
		// "1 or 1" where an identifier or a count is expected
		in.emit(SQLi, "sqli-lexer", 7, 0, len(in.text))
		return
	}
	if !in.judgeSQLi() {
		in.sqlRawBodyFields()
	}
}

// numericParam reports whether a parameter's name says it holds an
// identifier or a count, which the application compares with a number:
// id, user_id, userId, uid, count, limit, offset, year.
func numericParam(k string) bool {
	k = innerName(k) // item[id]
	if len(k) < 2 || len(k) > 32 {
		return false
	}
	if strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "ID") {
		return true
	}
	l := strings.ToLower(k)
	if l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "-id") {
		return true
	}
	switch l {
	case "uid", "pid", "gid", "cid", "oid", "sid", "num", "number", "count", "limit", "offset", "year", "month", "day", "qty", "quantity", "amount", "price", "age":
		return true
	}
	return false
}

// judgeSQLi runs the SQL judgement over in.text and reports whether it
// added a signal: libinjection, the lexer, the level-1 shapes
// (shape.Match), the conditions (fragment.Condition), and at paranoia 2 the
// fragments (fragment.Match).
func (in *input) judgeSQLi() bool {
	n := len(in.dst)
	m := in.mask
	if prose.PastedQuery(in.lower()) {
		// a statement pasted into a comment: only the level-2
		// fragments judge it
		if in.paranoid() {
			if off, end, ok := fragment.Match(in.lower(), in.lowerBytes()); ok {
				in.emit(SQLi, "sqli-fragment", 5, off, end)
			}
		}
		return len(in.dst) > n
	}
	if (!m.plain() || m.has(bColon)) && !libinjectionMoot(in.text, m) {
		if ok, fp := libinjection.IsSQLi(in.text); ok && !libinjectionFalsePositive(in.text, m, fp) && !prose.Math(in.text, in.lowerBytes(), fp) && !prose.LogicOfNames(in.text, in.lowerBytes(), fp) &&
			!prose.StrayWhen(in.lower(), in.lowerBytes()) && !prose.QuotedStatement(in.text, in.lowerBytes(), fp) && !(m.has(bDQuote) && prose.JSONMembers(in.text)) {
			if score := libinjectionScore(in.lower()); score > 0 {
				in.emit(SQLi, "sqli-libinjection", score, 0, len(in.text))
				return len(in.dst) > n
			}
		}
	}
	s := in.lower()
	if off, end, score, ok := statement.Lex(s, in.lowerBytes()); ok && lexerScore(s, score) > 0 {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if rule, off, end, score, ok := shape.Match(s, in.lowerBytes()); ok {
		in.emit(SQLi, rule, score, off, end)
		return len(in.dst) > n
	}
	if off, end, score, ok := fragment.Condition(s); ok {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if in.paranoid() {
		if off, end, ok := fragment.Match(s, in.lowerBytes()); ok {
			in.emit(SQLi, "sqli-fragment", 5, off, end)
		}
	}
	return len(in.dst) > n
}

// libinjectionFalsePositive recognises libinjection's known false positives:
// base64/token-like strings and "12345||12345"-style values, which contain no
// quote, space, parenthesis or comment and so cannot break out of anything.
func libinjectionFalsePositive(s string, m mask, fp string) bool {
	// Control flow in code snippets: "if (a && b) { ... }" fingerprints as
	// a function call followed by boolean logic.
	if strings.HasPrefix(fp, "f(") && !m.has(bQuote|bDQuote|bBacktick|bHash|bSemi&0) {
		t := strings.TrimLeft(strings.ToLower(s), " \t\n")
		for _, kw := range [...]string{"if", "while", "for", "switch", "catch", "function", "elif", "elseif"} {
			if strings.HasPrefix(t, kw) && len(t) > len(kw) && !isWord(t[len(kw)]) {
				return true
			}
		}
	}
	// A T-SQL keyword opening a balanced call, "print(f\"{x}\")", is code,
	// not an injected fragment.
	if strings.HasPrefix(fp, "T(") && strings.Count(s, "\"")%2 == 0 && strings.Count(s, "'")%2 == 0 && !m.has(bSemi|bHash) && !strings.Contains(s, "--") {
		return true
	}
	// A word followed by a comment, with no quote to close first:
	// "application/*; charset=utf-8".
	if fp == "nc" && !m.has(bQuote|bDQuote|bBacktick) {
		return true
	}
	// Prose with parentheses, "One quarter (24%) of people ..." or a
	// list of manual pages "ascii(7), charsets(7), utf-8(7)": words,
	// nothing to break out of a literal with, no operator, no SQL
	// keyword. A short value must also do without SQL's logic ("1 or
	// 1", "1) and (2"): in a numeric context those words are the
	// injection.
	if n := strings.Count(s, " "); (n >= 6 || n >= 2 && !sql.ReservedWordIn(strings.ToLower(s))) && !m.has(bQuote|bDQuote|bBacktick|bSemi|bHash|bEq|bLT|bGT) && !strings.Contains(s, "--") && !strings.Contains(s, "/*") && !sql.KeywordIn(s) {
		return true
	}
	return libinjectionMoot(s, m)
}

// libinjectionMoot reports a text on which every libinjection finding is
// one of its false positives, whatever the fingerprint
// (libinjectionFalsePositive ends with it): judgeSQLi does not run
// libinjection on such a text, whose fold can take the whole value (1 MiB
// of "${" or of backslashes costs it 12-15 ms) for a verdict that would
// be set aside.
func libinjectionMoot(s string, m mask) bool {
	// No letters and nothing to break out with: phone numbers "(03) 9876
	// 5432", arithmetic. Without keywords there is no injection.
	if !m.has(bAlpha|bQuote|bDQuote|bBacktick|bHash|bSemi) && !strings.Contains(s, "--") && !strings.Contains(s, "/*") {
		return true
	}
	if m.has(bQuote | bDQuote | bBacktick | bSpace | bParen | bSemi | bHash | bCtl | bLT | bGT | bNewline) {
		return false
	}
	if strings.Contains(s, "--") || strings.Contains(s, "/*") {
		return false
	}
	// Tokens: only base64/url-safe alphabet, '|' '&' and trailing padding.
	t := strings.TrimRight(s, "=")
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_' || c == '.' || c == '|' || c == '&' || c == '@' || c == ',') {
			return false
		}
	}
	return true
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
	if prose, total := prose.Words(s, false); prose >= 4 && 3*prose >= total {
		return 0
	}
	if scriptText(s) {
		return 0
	}
	return 8
}

// detectSQLiPlain judges a plain value (letters, digits, blanks and
// harmless punctuation, which the engine's prefilter otherwise gives only
// the keyword check) for the SQL that needs no punctuation: a server
// procedure named alone ("xp_dirtree", "OPENROWSET"), UNION SELECT with
// the blanks removed ("Xunionselectfrom"), and the numbers that probe
// for overflow and float-parsing bugs in the database or its driver.
func (in *input) detectSQLiPlain() {
	if !in.e.Enabled(SQLi) {
		return
	}
	s := in.lower()
	if w, i := shape.ProcedureIndex(s, in.lowerBytes(), in.mask.has(bUnderscore)); i >= 0 {
		in.emit(SQLi, "sqli-procedure", 8, i, i+len(w))
		return
	}
	if i := lex.Index(s, "unionselect"); i >= 0 {
		// no English word holds it; "union select" written without
		// blanks relies on a filter that deletes them or on MySQL's
		// lenient tokenizer around quotes and parentheses
		in.emit(SQLi, "sqli-lexer", 7, i, i+11)
		return
	}
	if sc := shape.MagicNumber(strings.TrimSpace(s), in.paranoid()); sc > 0 {
		in.emit(SQLi, "sqli-magic-number", sc, 0, len(s))
	}
}

// sqlRawBodyFields judges a request body that arrived without a content
// type the way an application that parses it as a form would read it:
// "+" as a blank, and each field's value on its own ("pay=AND+1%3D1" is
// the field pay with the value "AND 1=1"). Only the SQL judgement runs on
// these readings; the whole body has already been judged as it is.
func (in *input) sqlRawBodyFields() {
	if in.v.Part != event.PartBody || in.v.Key != "" || in.isKey || len(in.text) > 64<<10 {
		return
	}
	form := formShaped(in.text)
	if !form && (!in.mask.has(bPlus) || in.mask.has(bSpace)) {
		return
	}
	tmp := append(in.sc.tmp[:0], in.text...)
	for i, c := range tmp {
		if c == '+' {
			tmp[i] = ' '
		}
	}
	in.sc.tmp = tmp
	text := unsafeString(tmp)
	defer func() {
		// the sub-judgements overwrote the scratch buffer lower() returns
		in.hasLow, in.hasLowSet = false, false
	}()
	if !form {
		in.sqlReading(text)
		return
	}
	for len(text) > 0 {
		f := text
		if i := nextField(text); i >= 0 {
			f, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if i := strings.IndexByte(f, '='); i >= 0 {
			f = f[i+1:]
		}
		if f != "" && in.sqlReading(f) {
			return
		}
	}
}

// sqlReading judges text, another reading of in.text, for SQL injection;
// it reports whether a signal was added.
func (in *input) sqlReading(text string) bool {
	in2 := input{e: in.e, v: in.v, text: text, isKey: in.isKey, sink: in.sink, sc: in.sc, dst: in.dst, base: in.base}
	in2.mask = scanMask(text)
	n := len(in.dst)
	in2.judgeSQLi()
	in.dst = in2.dst
	return len(in.dst) > n
}

// formShaped reports whether s opens like a form body: a field name and
// "=" (name characters as PHP and the CRS tests use them).
func formShaped(s string) bool {
	for i := 0; i < len(s) && i < 128; i++ {
		c := s[i]
		switch {
		case isWord(c) || c == '.' || c == '[' || c == ']' || c == '$' || c == '-' || c == '@':
		case c == '=':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// nextField returns the index of the "&" that starts the next field of a
// form body, "&name=", or -1. An "&" not followed by a name and "=" is
// read as part of the value ("pay=&&(a=1)"), as the sender meant it.
func nextField(s string) int {
	for o := 0; o < len(s); {
		i := strings.IndexByte(s[o:], '&')
		if i < 0 {
			return -1
		}
		i += o
		if formShaped(s[i+1:]) {
			return i
		}
		o = i + 1
	}
	return -1
}
