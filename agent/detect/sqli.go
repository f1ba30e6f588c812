package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/fragment"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/prose"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/shape"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/statement"
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
	in.judgeSQLi()
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
