// Package statement reads lower-cased text as a fragment spliced into a
// SQL statement: quote breakouts into comments or further clauses, stacked
// statements, calls to timing and file functions, MySQL versioned
// comments, JSON operators. Lex is the engine's "sqli-lexer" reading.
package statement

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// statementVerb reports whether t is a word that isStatement reads as the
// first of a statement: isStatement is false for every other first
// token, so a reading may skip the tokens after one that is not.
func statementVerb(t sql.Token, s string) bool {
	if t.Kind != sql.Word {
		return false
	}
	switch t.Text(s) {
	case "drop", "create", "alter", "truncate", "rename", "delete", "insert", "replace", "update", "select",
		"exec", "execute", "set", "shutdown", "declare", "waitfor", "grant", "revoke", "load", "copy", "union", "if", "begin":
		return true
	}
	return false
}

// verbLead reports whether the first token lexed from a byte c on can be
// one statementVerb accepts: a verb starts with a letter, and the lexer
// passes over blanks, NUL, NBSP and comments ("/*", "*/") before a
// token; from any other byte the first token is no word at all.
func verbLead(c byte) bool {
	return lex.IsAlpha(c) || lex.IsSpace(c) || c == 0 || c == 0xa0 || c == '/' || c == '*'
}

// isStatement reports whether toks start a SQL statement that a stacked
// query would run (more than a bare English word: "drop shipping" is not
// "drop table").
func isStatement(toks []sql.Token, s string) bool {
	if len(toks) == 0 || toks[0].Kind != sql.Word {
		return false
	}
	w := toks[0].Text(s)
	second := ""
	if len(toks) > 1 {
		second = toks[1].Text(s)
	}
	switch w {
	case "drop", "create", "alter", "truncate", "rename":
		switch second {
		case "table", "database", "schema", "user", "view", "index", "procedure", "function", "trigger", "login", "column":
			return true
		}
	case "delete":
		return second == "from" || len(toks) > 2 && toks[2].Text(s) == "from"
	case "insert", "replace":
		if second == "into" {
			return true
		}
		// MySQL allows REPLACE/INSERT tbl (cols) VALUES (...)
		for _, t := range toks[1:] {
			if t.Kind == sql.Word && t.Text(s) == "values" {
				return true
			}
		}
		return false
	case "update":
		return len(toks) > 2 && toks[2].Text(s) == "set"
	case "select":
		for _, t := range toks[1:] {
			switch t.Text(s) {
			case "from", "@@version", "version", "user", "database", "sleep", "pg_sleep", "benchmark", "load_file", "char", "concat", "current_user", "system_user":
				return true
			}
			if t.Kind == sql.Num || t.Kind == sql.Var || t.Kind == sql.LParen || t.Text(s) == "*" {
				return true
			}
		}
	case "exec", "execute":
		if second == "immediate" { // Oracle dynamic SQL
			return true
		}
		if len(toks) > 1 && (strings.HasPrefix(second, "xp_") || strings.HasPrefix(second, "sp_") || strings.HasPrefix(second, "master") || toks[1].Kind == sql.LParen || toks[1].Kind == sql.Var) {
			return true
		}
	case "set":
		// SET @var = ...: a session variable, the first step of a
		// prepared-statement injection (SET @a=0x...; PREPARE s FROM @a)
		return len(toks) > 1 && toks[1].Kind == sql.Var
	case "shutdown":
		return len(toks) == 1 || toks[1].Kind == sql.Comment || toks[1].Kind == sql.Semi
	case "declare":
		return len(toks) > 1 && toks[1].Kind == sql.Var
	case "waitfor":
		return second == "delay" || second == "time"
	case "grant", "revoke":
		return second == "all" || strings.Contains(s, " to ")
	case "load":
		return second == "data"
	case "copy":
		// PostgreSQL's COPY reads and writes the server's files, or runs
		// a program: copy t from '/etc/passwd', copy t to program '...'
		return len(toks) > 3 && (toks[2].Text(s) == "from" || toks[2].Text(s) == "to") &&
			(strings.Contains(s, "program") || toks[3].Kind == sql.Str && serverPath(toks[3].Text(s)) && copyOptions(toks[4:], s))
	case "union":
		return second == "select" || (second == "all" || second == "distinct") && len(toks) > 2 && toks[2].Text(s) == "select"
	case "if", "begin":
		return strings.Contains(s, "waitfor") || strings.Contains(s, "sleep")
	}
	return false
}

// serverPath reports whether the string literal lit ('...' with its
// quotes) names an absolute path on the database server. A double-quoted
// one is an identifier in SQL, and a quotation in prose.
func serverPath(lit string) bool {
	if len(lit) < 3 || lit[0] != '\'' {
		return false
	}
	p := lit[1:]
	return p[0] == '/' || len(p) > 2 && p[1] == ':' && (p[2] == '/' || p[2] == '\\')
}

// copyOptions reports whether toks, after COPY's file name, end the
// statement or give its options, not a sentence going on.
func copyOptions(toks []sql.Token, s string) bool {
	if len(toks) == 0 || toks[0].Kind == sql.Semi || toks[0].Kind == sql.LParen || toks[0].Kind == sql.Comment {
		return true
	}
	switch toks[0].Text(s) {
	case "with", "delimiter", "csv", "header", "format", "encoding", "null", "binary":
		return true
	}
	return false
}

// statementWords are SQL fragments Lex finds anywhere in a value.
var statementWords = lex.NewWordList("exec master.", "exec xp_", "execute sp_", "exec sp_", "` as `", "information_schema", "@@version", "sqlite_master", "pg_catalog", "sysobjects", "syscolumns", "mysql.user", "pg_shadow", "all_tables", "xp_cmdshell", "into outfile", "into dumpfile", "waitfor delay", "sys.objects", "msysobjects", "sysibm.", "syscat.")

// Lex runs the lexer-based checks over lower-cased text and returns the
// match span and a score. have is the byte set of s.
func Lex(s string, have *lex.ByteSet) (off, end, score int, ok bool) {
	var buf [24]sql.Token
	// Anywhere: UNION SELECT, stacked statements, timing functions, catalog names.
	if i := lex.IndexWord(s, "union"); i >= 0 {
		t := sql.LexN(s, i, buf[:6])
		// comments between UNION and SELECT: union#\ndistinctrow select
		k := 1
		for k < len(t) && t[k].Kind == sql.Comment {
			k++
		}
		if k > 1 && k < len(t) {
			t = append(t[:1], t[k:]...)
		}
		if len(t) >= 3 && t[1].Text(s) == "distinctrow" && t[2].Text(s) == "select" {
			return i, t[2].End, 9, true
		}
		if len(t) >= 2 {
			w := t[1].Text(s)
			if w == "select" || (w == "all" || w == "distinct") && len(t) > 2 && t[2].Text(s) == "select" ||
				t[1].Kind == sql.LParen && len(t) > 2 && t[2].Text(s) == "select" {
				return i, t[len(t)-1].End, 9, true
			}
		}
	}
	for j := indexByteFrom(s, 0, ';'); j >= 0; j = indexByteFrom(s, j+1, ';') {
		// A statement opens with a verb: the byte after the ";" may
		// lead to one (verbLead), the token there is lexed and must be
		// one (statementVerb), and only then are the eight tokens
		// isStatement reads lexed (LexN's tokens are the same whatever
		// the buffer's length, so these are the eight the reading
		// lexed at every ";" before). The window bounds the lexing per
		// ";" (an unclosed comment or literal would otherwise be
		// scanned to the end of the value once per separator).
		if j+1 < len(s) && verbLead(s[j+1]) {
			win := s[:min(len(s), j+1+sql.LexWindow)]
			if t := sql.LexN(win, j+1, buf[:1]); len(t) == 1 && statementVerb(t[0], s) {
				if t := sql.LexN(win, j+1, buf[:8]); isStatement(t, s) {
					return j, t[len(t)-1].End, 8, true
				}
			}
		}
	}
	if w, i := statementWords.Index(s, have, func(i int, _ string) bool { return i == 0 || !lex.IsWord(s[i-1]) }); i >= 0 {
		return i, i + len(w), 7, true
	}
	if off, end, sc := funcCall(s); sc >= 8 {
		return off, end, sc, true
	}

	// MySQL scientific-notation bypass: 1.e(ascii), 1.e.tables
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], ".e")
		if i < 0 {
			break
		}
		i += off
		if i > 0 && lex.IsDigit(s[i-1]) && i+2 < len(s) && (s[i+2] == '(' || s[i+2] == '.') && (i < 2 || !lex.IsWord(s[i-2]) || lex.IsDigit(s[i-2])) {
			return i - 1, i + 8, 6, true
		}
		off = i + 2
	}
	// PostgreSQL casts on a literal or call: ')::int', "'{...}'::jsonb".
	// A column cast the same way, "password::int", when the value is that
	// expression alone (C++ and PHP scope operators name members, and do
	// not end in a bare SQL type).
	if i := strings.Index(s, "::"); i > 0 && (s[i-1] == ')' || s[i-1] == '\'' || lex.IsDigit(s[i-1]) || lex.IsWord(s[i-1]) && !strings.ContainsAny(s, " \t\n(") && strings.Count(s, "::") == 1) {
		j := i + 2
		for j < len(s) && lex.IsAlpha(s[j]) {
			j++
		}
		if lex.IsWord(s[i-1]) && !lex.IsDigit(s[i-1]) && j < len(s) {
			j = i + 2 // an identifier cast must end the value
		}
		switch s[i+2 : j] {
		case "int", "integer", "int4", "int8", "bigint", "text", "json", "jsonb", "varchar", "numeric", "bool", "boolean", "regclass", "oid", "bytea", "float", "char", "date", "inet":
			return i, j, 7, true
		}
	}
	if off, end, ok := jsonOperator(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := clauseStart(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := statementStart(s); ok {
		return off, end, 7, true
	}
	if wholeCall(s) {
		return 0, len(s), 5, true
	}
	// A lone SQL function call opening: "RAND(", "db_name(" (CRS probes).
	if t := strings.TrimRight(s, " \t\r\n"); strings.HasSuffix(t, "(") {
		k := len(t) - 1
		for k > 0 && lex.IsSpace(t[k-1]) {
			k--
		}
		b := k
		for b > 0 && lex.IsWord(t[b-1]) {
			b--
		}
		pre := strings.TrimLeft(t[:b], " \t=,")
		if sql.Func(t[b:k]) > 0 && (pre == "" || pre == "select " || pre == "select") || sql.Func(t[b:k]) >= 8 {
			return b, len(t), 5, true
		}
	}
	// Numeric context: "1 or true", "1 and 1=1", "-1 or 2>1".
	t := sql.LexN(s, 0, buf[:8])
	if len(t) >= 3 && (t[0].Kind == sql.Num || t[0].Kind == sql.Op && t[0].Text(s) == "-" && t[1].Kind == sql.Num) {
		k := 1
		if t[0].Kind == sql.Op {
			k = 2
		}
		for k < len(t) && t[k].Kind == sql.RParen {
			k++
		}
		if off, end, sc, hit := afterBreakout(s, t[k:], true); hit {
			return off, end, sc, true
		}
	}
	// Quote contexts: the first quote closes the developer's string literal.
	for _, q := range [...]byte{'\'', '"', '`'} {
		p := strings.IndexByte(s, q)
		if p < 0 {
			continue
		}
		t := sql.LexN(s, p+1, buf[:12])
		k := 0
		for k < len(t) && t[k].Kind == sql.RParen {
			k++
		}
		if off, end, sc, hit := afterBreakout(s, t[k:], false); hit {
			if sc >= 7 || !strings.ContainsAny(s[:p], " \t\n") {
				return p, end, sc, true
			}
			_ = off
		}
		// admin' # / admin'-- : comment right after the closing quote, in a
		// short, space-free value (a login name), or at the end of the value.
		if len(t) >= 1 && t[0].Kind == sql.Comment && !strings.ContainsAny(s[:p], " \t\n") && p < 64 && !wordComment(s, t[0]) {
			return p, t[0].End, 7, true
		}
	}
	return 0, 0, 0, false
}

// afterBreakout judges the tokens that follow a closed literal (a quote or a
// number): boolean tautologies, stacked statements, UNION, comments, clauses.
func afterBreakout(s string, t []sql.Token, numeric bool) (off, end, score int, ok bool) {
	if len(t) == 0 {
		return 0, 0, 0, false
	}
	switch t[0].Kind {
	case sql.Logic:
		if len(t) < 2 {
			return 0, 0, 0, false
		}
		// or/and followed by a function call or subquery.
		if t[1].Kind == sql.Word && len(t) > 2 && t[2].Kind == sql.LParen && sql.Func(t[1].Text(s)) > 0 {
			return t[0].Start, t[2].End, 8, true
		}
		// or/and followed by a query, bare or parenthesised: "' or
		// (exists)", "'or select *"
		if w := t[1].Text(s); w == "select" || w == "exists" {
			return t[0].Start, t[1].End, 8, true
		}
		if t[1].Kind == sql.LParen && len(t) > 2 && (t[2].Text(s) == "select" || t[2].Text(s) == "exists" || sql.IsOperand(t[2], s)) {
			if t[2].Text(s) == "select" || t[2].Text(s) == "exists" || len(t) > 3 && sql.IsComparison(t[3], s) {
				return t[0].Start, t[2].End, 8, true
			}
		}
		if t[1].Kind == sql.Op && t[1].Text(s) == "not" || t[1].Kind == sql.Op && t[1].Text(s) == "!" {
			t = t[1:]
			if len(t) > 2 && t[1].Kind == sql.Word && t[2].Kind == sql.LParen && sql.Func(t[1].Text(s)) > 0 {
				return t[0].Start, t[2].End, 8, true
			}
		}
		if len(t) < 2 || !sql.IsOperand(t[1], s) {
			return 0, 0, 0, false
		}
		// operand comparison operand
		if len(t) >= 4 && sql.IsComparison(t[2], s) && sql.IsOperand(t[3], s) {
			if t[1].Kind == sql.Word && t[3].Kind == sql.Word && !numeric {
				// "' or name = value" is weaker but still a breakout
				return t[0].Start, t[3].End, 6, true
			}
			return t[0].Start, t[3].End, 8, true
		}
		if len(t) >= 3 && sql.IsComparison(t[2], s) && t[1].Kind != sql.Word {
			return t[0].Start, t[2].End, 7, true
		}
		// operand alone at the end: "1 or true", "' or 1#", "' or 1;'"
		// (numeric context needs a boolean keyword: "12345||12345" and
		// "1 or 2" are not injections)
		if numeric && t[1].Kind == sql.Num {
			return 0, 0, 0, false
		}
		if sql.IsBoolLiteral(t[1], s) || t[1].Kind == sql.OpenStr && !numeric {
			if len(t) == 2 || t[2].Kind == sql.Comment || t[2].Kind == sql.Semi || t[2].Kind == sql.OpenStr || t[2].Kind == sql.RParen {
				return t[0].Start, t[1].End, 7, true
			}
		}
	case sql.Semi:
		if isStatement(t[1:], s) {
			return t[0].Start, t[len(t)-1].End, 8, true
		}
		if !numeric && len(t) > 1 && t[1].Kind == sql.Word {
			switch t[1].Text(s) {
			case "select", "insert", "update", "delete", "drop", "exec", "execute", "union", "declare", "shutdown", "truncate", "alter", "create":
				return t[0].Start, t[1].End, 7, true // "';select ..."
			}
		}
		if !numeric && (len(t) == 1 || t[1].Kind == sql.Comment || t[1].Kind == sql.OpenStr && t[1].End-t[1].Start <= 2) {
			return t[0].Start, t[0].End, 6, true // "';--", "';'"
		}
	case sql.Comment:
		if numeric && len(t) == 1 {
			return 0, 0, 0, false
		}
	case sql.LParen:
		// a subquery opened right after the literal: "' (select top 1",
		// its first item one only SQL writes
		if len(t) > 2 && t[1].Text(s) == "select" {
			if a := t[2]; a.Text(s) == "top" || a.Text(s) == "*" || a.Kind == sql.Var || a.Kind == sql.LParen || a.Kind == sql.Num || a.Kind == sql.Word && sql.Func(a.Text(s)) > 0 {
				return t[0].Start, t[2].End, 8, true
			}
		}
	case sql.Word:
		w := t[0].Text(s)
		switch w {
		case "union":
			if len(t) > 1 && (t[1].Text(s) == "select" || t[1].Text(s) == "all") {
				return t[0].Start, t[1].End, 9, true
			}
		case "order", "group":
			if len(t) > 2 && t[1].Text(s) == "by" && (t[2].Kind == sql.Num || len(t) > 3 && (t[3].Kind == sql.Comment || t[3].Kind == sql.OpenStr)) {
				return t[0].Start, t[2].End, 7, true
			}
		case "having", "procedure", "into", "limit", "offset":
			if len(t) > 1 && (t[1].Kind == sql.Num || t[1].Kind == sql.Word) && (w != "into" || t[1].Text(s) == "outfile" || t[1].Text(s) == "dumpfile") {
				if w == "limit" && numeric {
					return 0, 0, 0, false
				}
				return t[0].Start, t[1].End, 6, true
			}
		case "waitfor":
			return t[0].Start, t[0].End, 8, true
		}
		if sql.Func(w) >= 8 && len(t) > 1 && t[1].Kind == sql.LParen {
			return t[0].Start, t[1].End, 8, true
		}
	case sql.Op:
		op := t[0].Text(s)
		if (op == "+" || op == "||" || op == "-" || op == "*") && len(t) > 2 {
			if t[1].Kind == sql.LParen && t[2].Text(s) == "select" || t[1].Kind == sql.Word && sql.Func(t[1].Text(s)) > 0 && t[2].Kind == sql.LParen {
				return t[0].Start, t[2].End, 7, true
			}
		}
		if !numeric && sql.IsComparison(t[0], s) && len(t) > 1 && (t[1].Kind == sql.OpenStr || t[1].Kind == sql.Str) && len(t) <= 3 {
			return t[0].Start, t[1].End, 6, true // "admin'='", "x' = 'x"
		}
	}
	return 0, 0, 0, false
}

// indexByteFrom returns the index of the first c in s at or after i, or
// -1. It looks at s[i] before it calls strings.IndexByte, so that a scan
// through a run of c (a value of nothing but quotes, separators or
// parentheses) costs a comparison per byte, not a call.
func indexByteFrom(s string, i int, c byte) int {
	if i >= len(s) {
		return -1
	}
	if s[i] == c {
		return i
	}
	if k := strings.IndexByte(s[i+1:], c); k >= 0 {
		return i + 1 + k
	}
	return -1
}

// funcAt reports whether the word at a names a SQL function.
func funcAt(s string, a int) bool {
	j := a
	for j < len(s) && lex.IsWord(s[j]) {
		j++
	}
	return sql.Func(s[a:j]) > 0
}

// funcCall finds a high-risk SQL function followed by "(" anywhere.
func funcCall(s string) (off, end, score int) {
	code := lex.NewCode(s)
	for j := indexByteFrom(s, 0, '('); j >= 0; j = indexByteFrom(s, j+1, '(') {
		k := j
		k = lex.SkipSpaceBack(s, k)
		b := k
		for b > 0 && (lex.IsWord(s[b-1]) || s[b-1] == '.' || s[b-1] == '@') {
			b--
		}
		if b == k || b > 0 && s[b-1] >= 0x80 { // no word, or part of a non-ASCII one: "Haßelt (1599)"
			continue
		}
		if sc := sql.Func(s[b:k]); sc >= 8 {
			// require an argument that looks like SQL: a number, a quote,
			// a nested call or select, not prose.
			a := lex.SkipSpace(s, j+1)
			if a < len(s) && (lex.IsDigit(s[a]) || s[a] == '\'' || s[a] == '"' || s[a] == '(' || s[a] == ')' || s[a] == '0' || strings.HasPrefix(s[a:], "select") || strings.HasPrefix(s[a:], "concat") || s[a] == '@' || code.CallAfterWord(a) && funcAt(s, a)) {
				return b, j + 1, sc
			}
		}
	}
	return 0, 0, 0
}

// wordComment reports a "--" directly followed by a letter or digit:
// "p4ss'--ok" is a password, MySQL needs a space after "--" and an attacker
// has no reason to leave text there.
func wordComment(s string, t sql.Token) bool {
	return strings.HasPrefix(s[t.Start:], "--") && t.Start+2 < len(s) && lex.IsAlnum(s[t.Start+2])
}

// clauseStart finds SQL constructs that are SQL in any position, with
// no string to break out of: a MySQL versioned comment that runs the
// keyword inside it (/*!50000select), a T-SQL variable declaration
// opening the value (declare @x), MySQL's PROCEDURE ANALYSE clause, and
// SQL's IF(n= conditional opening the value ("if(1234=").
func clauseStart(s string) (off, end int, ok bool) {
	for o := 0; o < len(s); {
		i := lex.Index(s[o:], "/*!")
		if i < 0 {
			break
		}
		i += o
		j := i + 3
		for j < len(s) && j < i+9 && lex.IsDigit(s[j]) {
			j++
		}
		k := j
		for k < len(s) && lex.IsAlpha(s[k]) {
			k++
		}
		switch s[j:k] {
		case "select", "union", "from", "where", "and", "or", "insert", "update", "delete", "drop", "sleep", "concat",
			"if", "case", "order", "group", "having", "limit", "user", "version", "database", "benchmark", "into", "load_file":
			return i, k, true
		}
		o = i + 3
	}
	t := strings.TrimLeft(s, " \t\r\n'\"")
	base := len(s) - len(t)
	if strings.HasPrefix(t, "declare") {
		j := lex.SkipCodeSpace(t, 7)
		if j > 7 && j < len(t) && t[j] == '@' && j+1 < len(t) && (lex.IsAlpha(t[j+1]) || t[j+1] == '_') {
			// T-SQL: DECLARE @name [AS] type [= value], or the
			// declaration alone; "declare @home as your handle" is prose.
			k := j + 1
			for k < len(t) && (lex.IsWord(t[k]) || t[k] == '@') {
				k++
			}
			n := lex.SkipCodeSpace(t, k)
			if strings.HasPrefix(t[n:], "as ") {
				n = lex.SkipCodeSpace(t, n+3)
			}
			w := n
			for w < len(t) && lex.IsAlpha(t[w]) {
				w++
			}
			switch t[n:w] {
			case "", "int", "bigint", "smallint", "tinyint", "bit", "varchar", "nvarchar", "char", "nchar", "text", "ntext",
				"decimal", "numeric", "float", "real", "money", "datetime", "date", "table", "cursor", "sysname", "varbinary", "binary", "xml", "uniqueidentifier":
				if w == n && n < len(t) && t[n] != ';' && t[n] != '=' && t[n] != ',' {
					break
				}
				return base, base + k, true
			}
		}
	}
	if strings.HasPrefix(t, "if(") || strings.HasPrefix(t, "if (") {
		j := lex.SkipSpace(t, strings.IndexByte(t, '(')+1)
		k := j
		for k < len(t) && lex.IsDigit(t[k]) {
			k++
		}
		if k > j && k < len(t) && t[k] == '=' && (k+1 >= len(t) || t[k+1] != '=') {
			return base, base + k + 1, true
		}
	}
	// A closing parenthesis, then a SQL operator and an opening one: the
	// value closes the developer's group and starts its own, ") like (".
	if len(t) > 0 && t[0] == ')' {
		j := lex.SkipSpace(t, 1)
		k := j
		for k < len(t) && lex.IsAlpha(t[k]) {
			k++
		}
		switch t[j:k] {
		case "like", "rlike", "regexp", "or", "and", "xor":
			if n := lex.SkipSpace(t, k); n < len(t) && t[n] == '(' {
				return base, base + n + 1, true
			}
		}
	}
	// A CASE expression opening the value: case when ... then ...
	if strings.HasPrefix(t, "case when ") && strings.Contains(t, " then ") && !strings.ContainsAny(t, ".!?,") {
		return base, len(s), true
	}
	// A select-list fragment: 1234 AS "alias" FROM, 6 as" from.
	for o := 0; o < len(s); {
		i := lex.IndexWord(s[o:], "as")
		if i < 0 {
			break
		}
		i += o
		o = i + 2
		b := i
		b = lex.SkipSpaceBack(s, b)
		if b == i || b == 0 || !lex.IsDigit(s[b-1]) && s[b-1] != '"' && s[b-1] != '`' && s[b-1] != ')' {
			continue
		}
		k := lex.SkipSpace(s, i+2)
		if k >= len(s) || s[k] != '"' && s[k] != '`' && s[k] != '\'' {
			continue
		}
		j := k + 1
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j < len(s) && s[j] == s[k] {
			j++
		}
		j = lex.SkipSpace(s, j)
		if strings.HasPrefix(s[j:], "from") && (j+4 == len(s) || !lex.IsWord(s[j+4])) {
			return b - 1, j + 4, true
		}
	}
	if i := lex.IndexWord(s, "procedure"); i >= 0 {
		if j := lex.SkipCodeSpace(s, i+9); strings.HasPrefix(s[j:], "analyse") {
			if k := lex.SkipSpace(s, j+7); k < len(s) && s[k] == '(' {
				return i, k + 1, true
			}
		}
	}
	return 0, 0, false
}

// statementStart reads a value that opens with a SQL statement, as a
// parameter spliced at the start of a query or run on its own would be.
// Prose opens with the same verbs ("Select 2 items from the list",
// "Create table reservations", "Delete from my account"), so each verb
// needs SQL syntax: "select(" or "select *" ... "from", a timing or
// catalog function, a function call, a query with FROM and a clause after
// it, or GROUP BY with HAVING; ALTER/CREATE with a column or routine
// definition; UPDATE ... SET ... =; DELETE FROM ... WHERE; COPY from or
// to a server path or a program.
func statementStart(s string) (off, end int, ok bool) {
	base := 0
	for base < len(s) && statementLead(s[base]) {
		base++
	}
	// Cheap gate before lexing: most values open with no SQL verb.
	e := base
	for e < len(s) && lex.IsAlpha(s[e]) {
		e++
	}
	switch s[base:e] {
	case "select", "alter", "create", "update", "delete", "insert", "replace", "execute", "exec", "copy":
	default:
		return 0, 0, false
	}
	var buf [24]sql.Token
	t := sql.LexN(s, base, buf[:])
	if len(t) < 2 || t[0].Kind != sql.Word {
		return 0, 0, false
	}
	end = t[len(t)-1].End
	has := func(w string) int {
		for i, x := range t {
			if x.Kind == sql.Word && x.Text(s) == w {
				return i
			}
		}
		return -1
	}
	switch t[0].Text(s) {
	case "select":
		w := t[1].Text(s)
		switch {
		case t[1].Start == t[0].End && t[1].Kind == sql.LParen: // select(user(
			return base, end, true
		case w == "*" && has("from") > 1:
			return base, end, true
		case t[1].Kind == sql.Word && sql.Func(w) >= 8:
			return base, end, true
		case t[1].Kind == sql.Word && sql.Func(w) > 0 && len(t) > 2 && t[2].Kind == sql.LParen:
			return base, end, true
		case t[1].Kind == sql.Num && len(w) > 2 && w[0] == '0' && w[1] == 'x': // select 0x616263: a string in hex
			return base, end, true
		case t[1].Kind == sql.LParen && len(t) > 2 && t[2].Text(s) == "select": // select (select ...
			return base, end, true
		}
		if f := has("from"); f > 1 && f+2 < len(t) {
			for _, c := range [...]string{"where", "order", "group", "limit", "having", "union"} {
				if has(c) > f+1 {
					return base, end, true
				}
			}
		}
		if g := has("group"); g > 0 && g+1 < len(t) && t[g+1].Text(s) == "by" && has("having") > g {
			return base, end, true
		}
	case "alter", "create":
		if len(t) < 4 {
			return 0, 0, false
		}
		switch t[1].Text(s) {
		case "table", "function", "procedure", "trigger", "view", "user", "database":
		default:
			return 0, 0, false
		}
		for _, x := range t[3:] {
			switch x.Text(s) {
			case "add", "change", "modify", "returns", "character", "engine", "as", "begin", "identified":
				return base, end, true
			}
			if x.Kind == sql.LParen && s[x.Start-1] != ' ' || x.Kind == sql.Semi {
				return base, end, true
			}
		}
		if t[2].Kind == sql.Str && strings.HasPrefix(t[2].Text(s), "`") {
			return base, end, true
		}
	case "update":
		if len(t) > 4 && t[2].Text(s) == "set" && t[4].Kind == sql.Op && t[4].Text(s) == "=" {
			return base, end, true
		}
	case "delete":
		if t[1].Text(s) == "from" && has("where") > 2 {
			return base, end, true
		}
	case "insert", "replace":
		if isStatement(t, s) && (t[1].Text(s) != "into" || has("values") > 2 || has("select") > 2) {
			return base, end, true
		}
	case "copy":
		// a server file or program: copy t from '/etc/passwd'
		if isStatement(t, s) {
			return base, end, true
		}
	case "execute", "exec":
		// "exec (" alone is prose or a PHP probe; EXECUTE IMMEDIATE and
		// stored procedures are SQL
		if w := t[1].Text(s); w == "immediate" || strings.HasPrefix(w, "xp_") || strings.HasPrefix(w, "sp_") || strings.HasPrefix(w, "master") {
			return base, end, true
		}
	}
	return 0, 0, false
}

// statementLead reports a byte that statementStart passes over before the
// statement's verb: a blank, a quote, ";" or "(" that closes or opens
// what the value is spliced into.
func statementLead(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\'', '"', '`', ';', '(':
		return true
	}
	return false
}

// wholeCall reports a value that is exactly a call of a SQL function
// on numbers, "div(23,-2)", "mod(10, 3)", "abs(-1)": an expression where
// a numeric parameter is spliced, to probe whether the database evaluates
// it.
func wholeCall(s string) bool {
	t := strings.TrimSpace(s)
	j := 0
	for j < len(t) && lex.IsWord(t[j]) {
		j++
	}
	if j == 0 || j == len(t) {
		return false
	}
	if w := t[:j]; sql.Func(w) == 0 && w != "div" && w != "mod" {
		return false
	}
	k := lex.SkipSpace(t, j)
	if k >= len(t) || t[k] != '(' || t[len(t)-1] != ')' {
		return false
	}
	args := t[k+1 : len(t)-1]
	if strings.Trim(args, " ") == "" {
		return false
	}
	digits := false
	for _, c := range []byte(args) {
		switch {
		case lex.IsDigit(c):
			digits = true
		case c == ',' || c == '.' || c == '-' || c == '+' || c == ' ':
		default:
			return false
		}
	}
	return digits
}
