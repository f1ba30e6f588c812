// Package prose tells SQL look-alikes from injections: a query pasted into
// a comment, arithmetic, a stray WHEN, a quoted statement, JSON object
// members, and values that read as sentences rather than SQL tokens.
package prose

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// PastedQuery reports whether lower-cased s is one plain SQL statement
// that a developer pasted into a comment ("SELECT name, email FROM
// customers WHERE country = 'DE' ORDER BY name;"), optionally followed by
// prose ("...; was run by mistake"), rather than an injection. An injected
// fragment has to leave the statement it is spliced into and then do
// something the query did not: it breaks out of a literal and comments out
// the rest, stacks a second statement, widens a WHERE clause with OR, or
// reaches for UNION, a subquery, a catalog table, a file or a timing
// function. A pasted statement does none of that: it opens with its verb,
// it ends with ";", its quotes pair up, it has no comment, no OR, no
// subquery, no conditional, no second statement, and only functions that
// compute values. Everything else,
// and every statement on its own in a short value, stays for the SQL
// detectors.
func PastedQuery(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n")
	verb := ""
	for _, v := range [...]string{"select ", "insert into ", "update ", "delete from "} {
		if strings.HasPrefix(t, v) {
			verb = v
		}
	}
	if verb == "" {
		return false
	}
	// Written the way a console, a migration or a doc writes it: ended
	// by ";" (a bare statement is what a parameter run as a query
	// receives). Prose may follow it; another statement may not.
	stmt, rest, ended := strings.Cut(t, ";")
	if !ended {
		return false
	}
	if r := strings.TrimSpace(rest); r != "" && (strings.ContainsAny(r, "'\"`;#()=") || sql.KeywordIn(r) || strings.Contains(r, "--")) {
		return false
	}
	if verb == "select " && lex.IndexWord(stmt, "from") < 0 {
		return false
	}
	if strings.Count(stmt, " ") < 4 || strings.Count(stmt, "'")%2 != 0 || strings.Count(stmt, `"`)%2 != 0 ||
		strings.ContainsAny(stmt, "#`@\\") || strings.Contains(stmt, "--") || strings.Contains(stmt, "/*") {
		return false
	}
	// Words outside literals: no injection vocabulary. Words inside
	// literals are code in the other reading of the same text: spliced
	// into a quoted string ("... WHERE name = '<value>'"), the value's
	// first quote closes the application's literal, so what the statement
	// reading takes for literals ("c = 1' union select ... where 'x' <
	// 'x;") is what the database runs. That reading parses only when the
	// first literal opens with an operator or a clause keyword (a word
	// after a closed string is a syntax error: 'tired and sad' stays
	// data); then no literal may hold injection vocabulary, an AND
	// clause or a call.
	// Each quote character has its own reading: index 0 is ', 1 is ".
	inStr := byte(0)
	var lits [2]int
	var breakout, codeInLit [2]bool
	for i := len(verb); i < len(stmt); {
		c := stmt[i]
		switch {
		case c == '\'' || c == '"':
			switch inStr {
			case 0:
				inStr = c
				if q := quoteKind(c); lits[q] == 0 {
					breakout[q] = literalContinues(stmt[i+1:])
				}
				lits[quoteKind(c)]++
			case c:
				inStr = 0
			}
			i++
		case lex.IsWord(c):
			j := i
			for j < len(stmt) && (lex.IsWord(stmt[j]) || stmt[j] == '.') {
				j++
			}
			w := stmt[i:j]
			if inStr == 0 && pastedQueryDenied(w) {
				return false
			}
			if k := lex.SkipSpace(stmt, j); inStr != 0 && (pastedQueryDenied(w) || w == "and" || w == "like" || k < len(stmt) && stmt[k] == '(') {
				codeInLit[quoteKind(inStr)] = true
			}
			i = j
		default:
			i++
		}
	}
	return !(breakout[0] && codeInLit[0] || breakout[1] && codeInLit[1])
}

// quoteKind indexes the readings of PastedQuery by quote character.
func quoteKind(c byte) int {
	if c == '"' {
		return 1
	}
	return 0
}

// literalContinues reports whether the text after a literal's opening
// quote continues an expression when the quote is read as closing one: an
// operator or punctuation ("' || ...", "') union ...", "'%...") or a
// keyword that may follow a string ("' union", "' and", "' or").
func literalContinues(t string) bool {
	t = strings.TrimLeft(t, " \t\r\n")
	if t == "" {
		return false
	}
	if !lex.IsAlnum(t[0]) {
		return true
	}
	j := 0
	for j < len(t) && lex.IsWord(t[j]) {
		j++
	}
	switch t[:j] {
	case "union", "and", "or", "xor", "not", "is", "in", "like", "rlike", "regexp", "between", "div", "mod",
		"collate", "sounds", "escape", "order", "group", "having", "limit", "procedure", "into", "from",
		"where", "for", "lock", "window", "intersect", "except", "minus", "offset", "fetch":
		return true
	}
	return false
}

// pastedQueryDenied lists the words that make a statement an injection
// whatever its shape: boolean widening, set operations, subqueries and
// second statements, dynamic SQL, catalogs, hex strings and the timing,
// file and error functions (sql.Func score 8), and conditionals, the tool
// of boolean-blind extraction.
func pastedQueryDenied(w string) bool {
	switch w {
	case "or", "xor", "union", "intersect", "except", "exec", "execute", "declare", "waitfor", "into",
		"outfile", "dumpfile", "select", "drop", "truncate", "alter", "create", "grant", "shutdown",
		"information_schema", "sysobjects", "syscolumns", "sqlite_master", "pg_catalog", "pg_shadow",
		"mysql.user", "all_tables", "sys.objects", "char", "chr", "concat", "true", "null",
		"if", "iif", "case", "when", "ifnull", "nullif", "elt", "benchmark", "sleep":
		return true
	}
	if strings.HasPrefix(w, "0x") || strings.HasPrefix(w, "xp_") || strings.HasPrefix(w, "sp_") ||
		strings.HasPrefix(w, "information_schema.") || strings.HasPrefix(w, "pg_") ||
		strings.HasPrefix(w, "sysibm.") || strings.HasPrefix(w, "syscat.") {
		return true
	}
	return sql.Func(w) >= 8
}

// Math reports a libinjection finding on arithmetic written as text,
// "sqrt(2) ≈ 1.41421356", "log(100) = 2 and ln(e) = 1": fingerprints that
// open with a function call ("f(") whose every call is a pure math
// function, in text with no quote (an apostrophe inside a word, "that's",
// is not one), comment or statement separator and no
// SQL keyword. Such a value computes a number and nothing else: no
// literal to break out of, no timing, file, catalog or conditional
// function, no UNION. sleep(5), benchmark(...), if(...) and every other
// call keep libinjection's verdict.
func Math(s string, have *lex.ByteSet, fp string) bool {
	if !strings.HasPrefix(fp, "f(") || have.HasAny("\"`;#") || have.Has('\'') && !onlyApostrophes(s) ||
		strings.Contains(s, "--") || strings.Contains(s, "/*") || sql.KeywordIn(s) {
		return false
	}
	// OR widens a numeric WHERE clause to every row ("id = abs(1) or
	// 1=1"): arithmetic in prose has no use for it.
	l := strings.ToLower(s)
	if lex.IndexWord(l, "or") >= 0 || lex.IndexWord(l, "xor") >= 0 || strings.Contains(l, "||") {
		return false
	}
	calls := 0
	for off := 0; off < len(s); {
		j := strings.IndexByte(s[off:], '(')
		if j < 0 {
			break
		}
		j += off
		b := j
		for b > 0 && lex.IsWord(s[b-1]) {
			b--
		}
		if b < j {
			if !mathFunc(strings.ToLower(s[b:j])) {
				return false
			}
			calls++
		}
		off = j + 1
	}
	// Joined to the application's condition by AND, arguments are
	// numbers and the one-letter names of formulas (x, n, e, pi). A
	// longer name is a column ("id = abs(1) and floor(pin/1000) = 4"
	// reads a hidden column digit by digit).
	if lex.IndexWord(l, "and") < 0 && !strings.Contains(s, "&&") {
		return calls > 0
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth > 0 && lex.IsAlpha(c) && (i == 0 || !lex.IsWord(s[i-1])):
			j := i
			for j < len(s) && lex.IsWord(s[j]) {
				j++
			}
			if k := lex.SkipSpace(s, j); j-i > 1 && (k == len(s) || s[k] != '(') && !strings.EqualFold(s[i:j], "pi") {
				return false
			}
			i = j - 1
		}
	}
	return calls > 0
}

// LogicOfNames reports a libinjection finding on an expression of a
// programming language whose boolean operators join names: "x = (a || b)
// * 2", "ready = (loaded && visible)". Spliced into a numeric WHERE
// clause, an OR widens it only through an operand that is true whatever
// the row: a literal ("1 || 1=1", "retries || 3"), TRUE, or a comparison
// of literals. Between two names it joins columns the attacker does not
// know, if they exist at all. s is the value, have its lower-cased bytes,
// fp libinjection's fingerprint ('&' is its logic operator); the value has
// no quote, comment, statement separator, SQL keyword or word operator
// (or, and, xor, not), and each "||" and "&&" has a name on either side.
func LogicOfNames(s string, have *lex.ByteSet, fp string) bool {
	if strings.IndexByte(fp, '&') < 0 || have.HasAny("'\"`;#") || strings.Contains(s, "--") || strings.Contains(s, "/*") || sql.KeywordIn(s) {
		return false
	}
	l := strings.ToLower(s)
	for _, w := range [...]string{"or", "and", "xor", "not", "div", "mod", "like", "rlike", "regexp", "between", "in", "is"} {
		if lex.IndexWord(l, w) >= 0 {
			return false
		}
	}
	ops := 0
	for i := 0; i+1 < len(l); i++ {
		if c := l[i]; (c == '|' || c == '&') && l[i+1] == c {
			if !nameBefore(l, i) || !nameAfter(l, i+2) {
				return false
			}
			ops++
			i++
		}
	}
	return ops > 0
}

// nameBefore reports whether the token ending at l[i] (blanks skipped) is
// a name: a word that starts with a letter, not a boolean or null literal.
func nameBefore(l string, i int) bool {
	i = lex.SkipSpaceBack(l, i)
	e := i
	for i > 0 && (lex.IsWord(l[i-1]) || l[i-1] == '.') {
		i--
	}
	return e > i && isName(l[i:e])
}

// nameAfter reports whether the token starting at l[i] (blanks skipped)
// is a name, not a function called.
func nameAfter(l string, i int) bool {
	i = lex.SkipSpace(l, i)
	b := i
	for i < len(l) && (lex.IsWord(l[i]) || l[i] == '.') {
		i++
	}
	if k := lex.SkipSpace(l, i); k < len(l) && l[k] == '(' {
		return false // a call: "x || sleep(5)" runs for every row
	}
	return i > b && isName(l[b:i])
}

func isName(w string) bool {
	if !lex.IsAlpha(w[0]) && w[0] != '_' {
		return false
	}
	switch w {
	case "true", "false", "null", "unknown":
		return false
	}
	return true
}

// mathFunc lists functions that only compute a number from numbers (exp is
// left out: exp(~(select ...)) is an error-based extraction).
func mathFunc(w string) bool {
	switch w {
	case "sqrt", "cbrt", "abs", "pow", "power", "log", "log2", "log10", "ln", "floor", "ceil", "ceiling",
		"round", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "min", "max", "avg", "sum", "mod",
		"sign", "trunc", "truncate", "degrees", "radians", "pi":
		return true
	}
	return false
}

// onlyApostrophes reports whether every single quote in s sits between two
// letters, as in "that's" and "doesn't": none of them opens or closes a
// literal.
func onlyApostrophes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' && (i == 0 || i+1 == len(s) || !lex.IsAlpha(s[i-1]) || !lex.IsAlpha(s[i+1])) {
			return false
		}
	}
	return true
}

// StrayWhen reports a libinjection finding on a condition written as
// prose, "10% off when qty >= 5 && total > 100", "alert when cpu > 90 and
// mem > 80": the text has the word WHEN but no CASE before it and no THEN
// after it, and nothing a fragment could leave its context with (no quote,
// comment, ';' or parenthesis). SQL accepts WHEN only between CASE and
// THEN, and a value with neither cannot supply both: spliced into any
// statement (a number, a WHERE clause, a CASE's own WHEN) the stray WHEN
// is a syntax error, so the fingerprint libinjection built around it
// ("1kn&f") runs nowhere. Every CASE WHEN ... THEN payload, and every
// value with a quote, comment, call or second statement, keeps
// libinjection's verdict.
//
// l is the lower-cased value, have its byte set.
func StrayWhen(l string, have *lex.ByteSet) bool {
	if have.HasAny("'\"`;#()") || strings.Contains(l, "--") || strings.Contains(l, "/*") {
		return false
	}
	w := lex.IndexWord(l, "when")
	return w >= 0 && lex.IndexWord(l[:w], "case") < 0 && lex.IndexWord(l[w:], "then") < 0
}

// QuotedStatement reports a libinjection finding on a statement quoted in
// prose, `haha "select * from feelings where mood = 'tired'" returns way
// too many rows`: the fingerprint opens with a string followed by a
// statement keyword ("sE"), read from a double quote that words, not the
// value's start, precede, and the double quotes pair up. That reading
// breaks out of a double-quoted literal straight into a new statement
// with no ';' and no comment, which MySQL, PostgreSQL and SQLite reject
// (none of them starts a statement after a literal without ';'); only a
// T-SQL batch accepts it, and T-SQL quotes values with single quotes.
// Breakouts by a single quote ("x' select ..."), a value that opens with
// its quoted string ("\"a\" select ..." is an identifier followed by a
// statement in T-SQL), ';', UNION and comments keep the verdict.
func QuotedStatement(s string, have *lex.ByteSet, fp string) bool {
	if !strings.HasPrefix(fp, "sE") || have.HasAny(";#`") || strings.Contains(s, "--") || strings.Contains(s, "/*") ||
		strings.Count(s, `"`)%2 != 0 {
		return false
	}
	dq := strings.IndexByte(s, '"')
	sq := strings.IndexByte(s, '\'')
	if dq <= 0 || sq >= 0 && sq < dq || strings.TrimSpace(s[:dq]) == "" || !lex.IsAlpha(s[dq-1]) && !lex.IsSpace(s[dq-1]) {
		return false
	}
	// the single-quote reading must not be the one that starts a statement
	if sq >= 0 {
		st := lex.SkipSpace(s, sq+1)
		r := strings.ToLower(s[st:min(len(s), st+16)])
		for _, v := range [...]string{"select", "insert", "update", "delete", "exec", "drop", "create", "alter", "declare", "with"} {
			if lex.WordAt(r, 0, v) {
				return false
			}
		}
	}
	return true
}
