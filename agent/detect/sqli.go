package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
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
	if !in.judgeSQLi() {
		in.sqlRawBodyFields()
	}
}

// judgeSQLi runs the SQL judgement over in.text and reports whether it
// added a signal: libinjection, the lexer, the level-1 shapes
// (sqlShape), and at paranoia 2 the fragments (sqlFragment).
func (in *input) judgeSQLi() bool {
	n := len(in.dst)
	m := in.mask
	if pastedQuery(in.lower()) {
		// a statement pasted into a comment: only the level-2
		// fragments judge it
		if in.paranoid() {
			if off, end, ok := sqlFragment(in.lower(), m); ok {
				in.emit(SQLi, "sqli-fragment", 5, off, end)
			}
		}
		return len(in.dst) > n
	}
	if !m.plain() || m.has(bColon) {
		if ok, fp := libinjection.IsSQLi(in.text); ok && !libinjectionFalsePositive(in.text, m, fp) && !mathProse(in.text, m, fp) &&
			!strayWhen(in.lower(), m) && !quotedStatement(in.text, m, fp) && !(m.has(bDQuote) && jsonMembers(in.text)) {
			if score := libinjectionScore(in.lower()); score > 0 {
				in.emit(SQLi, "sqli-libinjection", score, 0, len(in.text))
				return len(in.dst) > n
			}
		}
	}
	s := in.lower()
	if off, end, score, ok := sqlLex(s, in.lowerBytes()); ok && lexerScore(s, score) > 0 {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if rule, off, end, score, ok := sqlShape(s, m, in.lowerBytes()); ok {
		in.emit(SQLi, rule, score, off, end)
		return len(in.dst) > n
	}
	if off, end, score, ok := sqlCondition(s); ok {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if in.paranoid() {
		if off, end, ok := sqlFragment(s, m); ok {
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
	if n := strings.Count(s, " "); (n >= 6 || n >= 2 && !sqlReservedWordIn(strings.ToLower(s))) && !m.has(bQuote|bDQuote|bBacktick|bSemi|bHash|bEq|bLT|bGT) && !strings.Contains(s, "--") && !strings.Contains(s, "/*") && !sqlKeywordIn(s) {
		return true
	}
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

// sqlStatement reports whether toks start a SQL statement that a stacked
// query would run (more than a bare English word: "drop shipping" is not
// "drop table").
func sqlStatement(toks []tok, s string) bool {
	if len(toks) == 0 || toks[0].k != tWord {
		return false
	}
	w := toks[0].text(s)
	second := ""
	if len(toks) > 1 {
		second = toks[1].text(s)
	}
	switch w {
	case "drop", "create", "alter", "truncate", "rename":
		switch second {
		case "table", "database", "schema", "user", "view", "index", "procedure", "function", "trigger", "login", "column":
			return true
		}
	case "delete":
		return second == "from" || len(toks) > 2 && toks[2].text(s) == "from"
	case "insert", "replace":
		if second == "into" {
			return true
		}
		// MySQL allows REPLACE/INSERT tbl (cols) VALUES (...)
		for _, t := range toks[1:] {
			if t.k == tWord && t.text(s) == "values" {
				return true
			}
		}
		return false
	case "update":
		return len(toks) > 2 && toks[2].text(s) == "set"
	case "select":
		for _, t := range toks[1:] {
			switch t.text(s) {
			case "from", "@@version", "version", "user", "database", "sleep", "pg_sleep", "benchmark", "load_file", "char", "concat", "current_user", "system_user":
				return true
			}
			if t.k == tNum || t.k == tVar || t.k == tLParen || t.text(s) == "*" {
				return true
			}
		}
	case "exec", "execute":
		if second == "immediate" { // Oracle dynamic SQL
			return true
		}
		if len(toks) > 1 && (strings.HasPrefix(second, "xp_") || strings.HasPrefix(second, "sp_") || strings.HasPrefix(second, "master") || toks[1].k == tLParen || toks[1].k == tVar) {
			return true
		}
	case "set":
		// SET @var = ...: a session variable, the first step of a
		// prepared-statement injection (SET @a=0x...; PREPARE s FROM @a)
		return len(toks) > 1 && toks[1].k == tVar
	case "shutdown":
		return len(toks) == 1 || toks[1].k == tComment || toks[1].k == tSemi
	case "declare":
		return len(toks) > 1 && toks[1].k == tVar
	case "waitfor":
		return second == "delay" || second == "time"
	case "grant", "revoke":
		return second == "all" || strings.Contains(s, " to ")
	case "load":
		return second == "data"
	case "copy":
		return len(toks) > 2 && (toks[2].text(s) == "from" || toks[2].text(s) == "to") && strings.Contains(s, "program")
	case "union":
		return second == "select" || (second == "all" || second == "distinct") && len(toks) > 2 && toks[2].text(s) == "select"
	case "if", "begin":
		return strings.Contains(s, "waitfor") || strings.Contains(s, "sleep")
	}
	return false
}

// sqlFunc reports whether the word names a SQL function that injection uses
// for timing, file access or error-based extraction.
func sqlFunc(w string) int {
	switch w {
	case "sleep", "pg_sleep", "benchmark", "randomblob", "dbms_pipe.receive_message", "dbms_lock.sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "utl_http.request", "utl_inaddr.get_host_address", "dbms_ldap.init", "make_set", "elt", "sys_eval", "sys_exec", "lo_import", "lo_export", "pg_read_file", "exp", "geometrycollection", "polygon", "multipoint", "json_keys", "gtid_subset", "name_const", "xmltype", "find_in_set", "sqlite_compileoption_used", "sqlite_compileoption_get", "sqlite_version", "load_extension", "starts_with", "jsonb_pretty", "json_build_object", "current_setting", "pg_ls_dir", "pg_read_binary_file", "sysdate", "db_name", "schema_name", "procedure_analyse", "row_count", "found_rows", "uuid_short", "master_pos_wait", "get_lock", "release_lock", "is_srvrolemember", "has_dbaccess", "openrowset", "opendatasource", "lo_get", "lo_from_bytea", "lo_put":
		return 8
	case "char", "chr", "concat", "concat_ws", "group_concat", "ascii", "substring", "substr", "mid", "ord", "hex", "unhex", "cast", "convert", "count", "version", "database", "user", "current_user", "system_user", "schema", "length", "if", "iif", "ifnull", "nullif", "coalesce", "case", "md5", "sha1", "rand", "floor", "char_length", "lower", "upper", "left", "right", "instr", "locate", "waitfor", "user_name", "@@version", "session_user", "pg_user", "sin", "cos", "tan", "pow", "power", "trim", "ltrim", "rtrim", "abs", "ceil", "ceiling", "sqrt", "log", "ln", "round", "sign", "now", "curdate", "curtime", "bin", "oct", "soundex", "reverse", "repeat", "space", "strcmp", "field", "elt_", "export_set", "insert", "lpad", "rpad", "current_date", "current_time", "localtime", "utc_date", "last_insert_id", "connection_id", "charset", "collation", "coercibility", "benchmark_", "encode", "decode", "aes_encrypt", "aes_decrypt", "compress", "uncompress", "to_base64", "from_base64", "quote", "nvl", "isnull", "datalength", "len":
		return 5
	}
	return 0
}

// sqlStatementWords are SQL fragments sqlLex finds anywhere in a value.
var sqlStatementWords = lex.NewWordList("exec master.", "exec xp_", "execute sp_", "exec sp_", "` as `", "information_schema", "@@version", "sqlite_master", "pg_catalog", "sysobjects", "syscolumns", "mysql.user", "pg_shadow", "all_tables", "xp_cmdshell", "into outfile", "into dumpfile", "waitfor delay", "sys.objects", "msysobjects")

// sqlLex runs the lexer-based checks over lower-cased text and returns the
// match span and a score. have is the byte set of s.
func sqlLex(s string, have *lex.ByteSet) (off, end, score int, ok bool) {
	var buf [24]tok
	// Anywhere: UNION SELECT, stacked statements, timing functions, catalog names.
	if i := indexWord(s, "union"); i >= 0 {
		t := lexN(s, i, buf[:6])
		// comments between UNION and SELECT: union#\ndistinctrow select
		k := 1
		for k < len(t) && t[k].k == tComment {
			k++
		}
		if k > 1 && k < len(t) {
			t = append(t[:1], t[k:]...)
		}
		if len(t) >= 3 && t[1].text(s) == "distinctrow" && t[2].text(s) == "select" {
			return i, t[2].end, 9, true
		}
		if len(t) >= 2 {
			w := t[1].text(s)
			if w == "select" || (w == "all" || w == "distinct") && len(t) > 2 && t[2].text(s) == "select" ||
				t[1].k == tLParen && len(t) > 2 && t[2].text(s) == "select" {
				return i, t[len(t)-1].end, 9, true
			}
		}
	}
	for off := 0; off < len(s); {
		j := strings.IndexByte(s[off:], ';')
		if j < 0 {
			break
		}
		j += off
		// the window bounds the lexing per ";" (an unclosed comment or
		// literal would otherwise be scanned to the end of the value
		// once per separator)
		if t := lexN(s[:min(len(s), j+1+lexWindow)], j+1, buf[:8]); sqlStatement(t, s) {
			return j, t[len(t)-1].end, 8, true
		}
		off = j + 1
	}
	if w, i := sqlStatementWords.Index(s, have, func(i int, _ string) bool { return i == 0 || !isWord(s[i-1]) }); i >= 0 {
		return i, i + len(w), 7, true
	}
	if off, end, sc := sqlFuncCall(s); sc >= 8 {
		return off, end, sc, true
	}

	// MySQL scientific-notation bypass: 1.e(ascii), 1.e.tables
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ".e")
		if i < 0 {
			break
		}
		i += off
		if i > 0 && isDigit(s[i-1]) && i+2 < len(s) && (s[i+2] == '(' || s[i+2] == '.') && (i < 2 || !isWord(s[i-2]) || isDigit(s[i-2])) {
			return i - 1, i + 8, 6, true
		}
		off = i + 2
	}
	// PostgreSQL casts on a literal or call: ')::int', "'{...}'::jsonb".
	// A column cast the same way, "password::int", when the value is that
	// expression alone (C++ and PHP scope operators name members, and do
	// not end in a bare SQL type).
	if i := strings.Index(s, "::"); i > 0 && (s[i-1] == ')' || s[i-1] == '\'' || isDigit(s[i-1]) || isWord(s[i-1]) && !strings.ContainsAny(s, " \t\n(") && strings.Count(s, "::") == 1) {
		j := i + 2
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		if isWord(s[i-1]) && !isDigit(s[i-1]) && j < len(s) {
			j = i + 2 // an identifier cast must end the value
		}
		switch s[i+2 : j] {
		case "int", "integer", "int4", "int8", "bigint", "text", "json", "jsonb", "varchar", "numeric", "bool", "boolean", "regclass", "oid", "bytea", "float", "char", "date", "inet":
			return i, j, 7, true
		}
	}
	if off, end, ok := sqlJSONOperator(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := sqlClauseStart(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := sqlStatementStart(s); ok {
		return off, end, 7, true
	}
	if sqlWholeCall(s) {
		return 0, len(s), 5, true
	}
	// A lone SQL function call opening: "RAND(", "db_name(" (CRS probes).
	if t := strings.TrimRight(s, " \t\r\n"); strings.HasSuffix(t, "(") {
		k := len(t) - 1
		for k > 0 && isSpace(t[k-1]) {
			k--
		}
		b := k
		for b > 0 && isWord(t[b-1]) {
			b--
		}
		pre := strings.TrimLeft(t[:b], " \t=,")
		if sqlFunc(t[b:k]) > 0 && (pre == "" || pre == "select " || pre == "select") || sqlFunc(t[b:k]) >= 8 {
			return b, len(t), 5, true
		}
	}
	// Numeric context: "1 or true", "1 and 1=1", "-1 or 2>1".
	t := lexN(s, 0, buf[:8])
	if len(t) >= 3 && (t[0].k == tNum || t[0].k == tOp && t[0].text(s) == "-" && t[1].k == tNum) {
		k := 1
		if t[0].k == tOp {
			k = 2
		}
		for k < len(t) && t[k].k == tRParen {
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
		t := lexN(s, p+1, buf[:12])
		k := 0
		for k < len(t) && t[k].k == tRParen {
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
		if len(t) >= 1 && t[0].k == tComment && !strings.ContainsAny(s[:p], " \t\n") && p < 64 && !wordComment(s, t[0]) {
			return p, t[0].end, 7, true
		}
	}
	return 0, 0, 0, false
}

// afterBreakout judges the tokens that follow a closed literal (a quote or a
// number): boolean tautologies, stacked statements, UNION, comments, clauses.
func afterBreakout(s string, t []tok, numeric bool) (off, end, score int, ok bool) {
	if len(t) == 0 {
		return 0, 0, 0, false
	}
	switch t[0].k {
	case tLogic:
		if len(t) < 2 {
			return 0, 0, 0, false
		}
		// or/and followed by a function call or subquery.
		if t[1].k == tWord && len(t) > 2 && t[2].k == tLParen && sqlFunc(t[1].text(s)) > 0 {
			return t[0].start, t[2].end, 8, true
		}
		// or/and followed by a query, bare or parenthesised: "' or
		// (exists)", "'or select *"
		if w := t[1].text(s); w == "select" || w == "exists" {
			return t[0].start, t[1].end, 8, true
		}
		if t[1].k == tLParen && len(t) > 2 && (t[2].text(s) == "select" || t[2].text(s) == "exists" || isOperand(t[2], s)) {
			if t[2].text(s) == "select" || t[2].text(s) == "exists" || len(t) > 3 && isComparison(t[3], s) {
				return t[0].start, t[2].end, 8, true
			}
		}
		if t[1].k == tOp && t[1].text(s) == "not" || t[1].k == tOp && t[1].text(s) == "!" {
			t = t[1:]
			if len(t) > 2 && t[1].k == tWord && t[2].k == tLParen && sqlFunc(t[1].text(s)) > 0 {
				return t[0].start, t[2].end, 8, true
			}
		}
		if len(t) < 2 || !isOperand(t[1], s) {
			return 0, 0, 0, false
		}
		// operand comparison operand
		if len(t) >= 4 && isComparison(t[2], s) && isOperand(t[3], s) {
			if t[1].k == tWord && t[3].k == tWord && !numeric {
				// "' or name = value" is weaker but still a breakout
				return t[0].start, t[3].end, 6, true
			}
			return t[0].start, t[3].end, 8, true
		}
		if len(t) >= 3 && isComparison(t[2], s) && t[1].k != tWord {
			return t[0].start, t[2].end, 7, true
		}
		// operand alone at the end: "1 or true", "' or 1#", "' or 1;'"
		// (numeric context needs a boolean keyword: "12345||12345" and
		// "1 or 2" are not injections)
		if numeric && t[1].k == tNum {
			return 0, 0, 0, false
		}
		if isBoolLiteral(t[1], s) || t[1].k == tOpenStr && !numeric {
			if len(t) == 2 || t[2].k == tComment || t[2].k == tSemi || t[2].k == tOpenStr || t[2].k == tRParen {
				return t[0].start, t[1].end, 7, true
			}
		}
	case tSemi:
		if sqlStatement(t[1:], s) {
			return t[0].start, t[len(t)-1].end, 8, true
		}
		if !numeric && len(t) > 1 && t[1].k == tWord {
			switch t[1].text(s) {
			case "select", "insert", "update", "delete", "drop", "exec", "execute", "union", "declare", "shutdown", "truncate", "alter", "create":
				return t[0].start, t[1].end, 7, true // "';select ..."
			}
		}
		if !numeric && (len(t) == 1 || t[1].k == tComment || t[1].k == tOpenStr && t[1].end-t[1].start <= 2) {
			return t[0].start, t[0].end, 6, true // "';--", "';'"
		}
	case tComment:
		if numeric && len(t) == 1 {
			return 0, 0, 0, false
		}
	case tLParen:
		// a subquery opened right after the literal: "' (select top 1",
		// its first item one only SQL writes
		if len(t) > 2 && t[1].text(s) == "select" {
			if a := t[2]; a.text(s) == "top" || a.text(s) == "*" || a.k == tVar || a.k == tLParen || a.k == tNum || a.k == tWord && sqlFunc(a.text(s)) > 0 {
				return t[0].start, t[2].end, 8, true
			}
		}
	case tWord:
		w := t[0].text(s)
		switch w {
		case "union":
			if len(t) > 1 && (t[1].text(s) == "select" || t[1].text(s) == "all") {
				return t[0].start, t[1].end, 9, true
			}
		case "order", "group":
			if len(t) > 2 && t[1].text(s) == "by" && (t[2].k == tNum || len(t) > 3 && (t[3].k == tComment || t[3].k == tOpenStr)) {
				return t[0].start, t[2].end, 7, true
			}
		case "having", "procedure", "into", "limit", "offset":
			if len(t) > 1 && (t[1].k == tNum || t[1].k == tWord) && (w != "into" || t[1].text(s) == "outfile" || t[1].text(s) == "dumpfile") {
				if w == "limit" && numeric {
					return 0, 0, 0, false
				}
				return t[0].start, t[1].end, 6, true
			}
		case "waitfor":
			return t[0].start, t[0].end, 8, true
		}
		if sqlFunc(w) >= 8 && len(t) > 1 && t[1].k == tLParen {
			return t[0].start, t[1].end, 8, true
		}
	case tOp:
		op := t[0].text(s)
		if (op == "+" || op == "||" || op == "-" || op == "*") && len(t) > 2 {
			if t[1].k == tLParen && t[2].text(s) == "select" || t[1].k == tWord && sqlFunc(t[1].text(s)) > 0 && t[2].k == tLParen {
				return t[0].start, t[2].end, 7, true
			}
		}
		if !numeric && isComparison(t[0], s) && len(t) > 1 && (t[1].k == tOpenStr || t[1].k == tStr) && len(t) <= 3 {
			return t[0].start, t[1].end, 6, true // "admin'='", "x' = 'x"
		}
	}
	return 0, 0, 0, false
}

// sqlFuncAt reports whether the word at a names a SQL function.
func sqlFuncAt(s string, a int) bool {
	j := a
	for j < len(s) && isWord(s[j]) {
		j++
	}
	return sqlFunc(s[a:j]) > 0
}

// sqlFuncCall finds a high-risk SQL function followed by "(" anywhere.
func sqlFuncCall(s string) (off, end, score int) {
	for off := 0; off < len(s); {
		j := strings.IndexByte(s[off:], '(')
		if j < 0 {
			return 0, 0, 0
		}
		j += off
		k := j
		for k > 0 && isSpace(s[k-1]) {
			k--
		}
		b := k
		for b > 0 && (isWord(s[b-1]) || s[b-1] == '.' || s[b-1] == '@') {
			b--
		}
		if b > 0 && s[b-1] >= 0x80 { // part of a non-ASCII word: "Haßelt (1599)"
			off = j + 1
			continue
		}
		if sc := sqlFunc(s[b:k]); sc >= 8 {
			// require an argument that looks like SQL: a number, a quote,
			// a nested call or select, not prose.
			a := skipSpace(s, j+1)
			if a < len(s) && (isDigit(s[a]) || s[a] == '\'' || s[a] == '"' || s[a] == '(' || s[a] == ')' || s[a] == '0' || strings.HasPrefix(s[a:], "select") || strings.HasPrefix(s[a:], "concat") || s[a] == '@' || callAfterWord(s, a) && sqlFuncAt(s, a)) {
				return b, j + 1, sc
			}
		}
		off = j + 1
	}
	return 0, 0, 0
}

// sqlKeywordIn reports whether s holds a word that only SQL uses in
// injections: statements, UNION, timing and file functions.
func sqlKeywordIn(s string) bool {
	l := strings.ToLower(s)
	for _, w := range [...]string{"select", "union", "insert", "update", "delete", "drop", "exec", "sleep", "benchmark", "waitfor", "from", "where", "having", "order by", "group by", "null", "char(", "concat", "0x"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// wordComment reports a "--" directly followed by a letter or digit:
// "p4ss'--ok" is a password, MySQL needs a space after "--" and an attacker
// has no reason to leave text there.
func wordComment(s string, t tok) bool {
	return strings.HasPrefix(s[t.start:], "--") && t.start+2 < len(s) && isAlnum(s[t.start+2])
}

// sqlClauseStart finds SQL constructs that are SQL in any position, with
// no string to break out of: a MySQL versioned comment that runs the
// keyword inside it (/*!50000select), a T-SQL variable declaration
// opening the value (declare @x), MySQL's PROCEDURE ANALYSE clause, and
// SQL's IF(n= conditional opening the value ("if(1234=").
func sqlClauseStart(s string) (off, end int, ok bool) {
	for o := 0; o < len(s); {
		i := strings.Index(s[o:], "/*!")
		if i < 0 {
			break
		}
		i += o
		j := i + 3
		for j < len(s) && j < i+9 && isDigit(s[j]) {
			j++
		}
		k := j
		for k < len(s) && isAlpha(s[k]) {
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
		j := skipCodeSpace(t, 7)
		if j > 7 && j < len(t) && t[j] == '@' && j+1 < len(t) && (isAlpha(t[j+1]) || t[j+1] == '_') {
			// T-SQL: DECLARE @name [AS] type [= value], or the
			// declaration alone; "declare @home as your handle" is prose.
			k := j + 1
			for k < len(t) && (isWord(t[k]) || t[k] == '@') {
				k++
			}
			n := skipCodeSpace(t, k)
			if strings.HasPrefix(t[n:], "as ") {
				n = skipCodeSpace(t, n+3)
			}
			w := n
			for w < len(t) && isAlpha(t[w]) {
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
		j := skipSpace(t, strings.IndexByte(t, '(')+1)
		k := j
		for k < len(t) && isDigit(t[k]) {
			k++
		}
		if k > j && k < len(t) && t[k] == '=' && (k+1 >= len(t) || t[k+1] != '=') {
			return base, base + k + 1, true
		}
	}
	// A closing parenthesis, then a SQL operator and an opening one: the
	// value closes the developer's group and starts its own, ") like (".
	if len(t) > 0 && t[0] == ')' {
		j := skipSpace(t, 1)
		k := j
		for k < len(t) && isAlpha(t[k]) {
			k++
		}
		switch t[j:k] {
		case "like", "rlike", "regexp", "or", "and", "xor":
			if n := skipSpace(t, k); n < len(t) && t[n] == '(' {
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
		i := indexWord(s[o:], "as")
		if i < 0 {
			break
		}
		i += o
		o = i + 2
		b := i
		for b > 0 && isSpace(s[b-1]) {
			b--
		}
		if b == i || b == 0 || !isDigit(s[b-1]) && s[b-1] != '"' && s[b-1] != '`' && s[b-1] != ')' {
			continue
		}
		k := skipSpace(s, i+2)
		if k >= len(s) || s[k] != '"' && s[k] != '`' && s[k] != '\'' {
			continue
		}
		j := k + 1
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j < len(s) && s[j] == s[k] {
			j++
		}
		j = skipSpace(s, j)
		if strings.HasPrefix(s[j:], "from") && (j+4 == len(s) || !isWord(s[j+4])) {
			return b - 1, j + 4, true
		}
	}
	if i := indexWord(s, "procedure"); i >= 0 {
		if j := skipCodeSpace(s, i+9); strings.HasPrefix(s[j:], "analyse") {
			if k := skipSpace(s, j+7); k < len(s) && s[k] == '(' {
				return i, k + 1, true
			}
		}
	}
	return 0, 0, false
}

// sqlStatementStart reads a value that opens with a SQL statement, as a
// parameter spliced at the start of a query or run on its own would be.
// Prose opens with the same verbs ("Select 2 items from the list",
// "Create table reservations", "Delete from my account"), so each verb
// needs SQL syntax: "select(" or "select *" ... "from", a timing or
// catalog function, a function call, a query with FROM and a clause after
// it, or GROUP BY with HAVING; ALTER/CREATE with a column or routine
// definition; UPDATE ... SET ... =; DELETE FROM ... WHERE.
func sqlStatementStart(s string) (off, end int, ok bool) {
	base := 0
	for base < len(s) && strings.IndexByte(" \t\r\n'\"`;(", s[base]) >= 0 {
		base++
	}
	// Cheap gate before lexing: most values open with no SQL verb.
	e := base
	for e < len(s) && isAlpha(s[e]) {
		e++
	}
	switch s[base:e] {
	case "select", "alter", "create", "update", "delete", "insert", "replace", "execute", "exec":
	default:
		return 0, 0, false
	}
	var buf [24]tok
	t := lexN(s, base, buf[:])
	if len(t) < 2 || t[0].k != tWord {
		return 0, 0, false
	}
	end = t[len(t)-1].end
	has := func(w string) int {
		for i, x := range t {
			if x.k == tWord && x.text(s) == w {
				return i
			}
		}
		return -1
	}
	switch t[0].text(s) {
	case "select":
		w := t[1].text(s)
		switch {
		case t[1].start == t[0].end && t[1].k == tLParen: // select(user(
			return base, end, true
		case w == "*" && has("from") > 1:
			return base, end, true
		case t[1].k == tWord && sqlFunc(w) >= 8:
			return base, end, true
		case t[1].k == tWord && sqlFunc(w) > 0 && len(t) > 2 && t[2].k == tLParen:
			return base, end, true
		case t[1].k == tNum && len(w) > 2 && w[0] == '0' && w[1] == 'x': // select 0x616263: a string in hex
			return base, end, true
		case t[1].k == tLParen && len(t) > 2 && t[2].text(s) == "select": // select (select ...
			return base, end, true
		}
		if f := has("from"); f > 1 && f+2 < len(t) {
			for _, c := range [...]string{"where", "order", "group", "limit", "having", "union"} {
				if has(c) > f+1 {
					return base, end, true
				}
			}
		}
		if g := has("group"); g > 0 && g+1 < len(t) && t[g+1].text(s) == "by" && has("having") > g {
			return base, end, true
		}
	case "alter", "create":
		if len(t) < 4 {
			return 0, 0, false
		}
		switch t[1].text(s) {
		case "table", "function", "procedure", "trigger", "view", "user", "database":
		default:
			return 0, 0, false
		}
		for _, x := range t[3:] {
			switch x.text(s) {
			case "add", "change", "modify", "returns", "character", "engine", "as", "begin", "identified":
				return base, end, true
			}
			if x.k == tLParen && s[x.start-1] != ' ' || x.k == tSemi {
				return base, end, true
			}
		}
		if t[2].k == tStr && strings.HasPrefix(t[2].text(s), "`") {
			return base, end, true
		}
	case "update":
		if len(t) > 4 && t[2].text(s) == "set" && t[4].k == tOp && t[4].text(s) == "=" {
			return base, end, true
		}
	case "delete":
		if t[1].text(s) == "from" && has("where") > 2 {
			return base, end, true
		}
	case "insert", "replace":
		if sqlStatement(t, s) && (t[1].text(s) != "into" || has("values") > 2 || has("select") > 2) {
			return base, end, true
		}
	case "execute", "exec":
		// "exec (" alone is prose or a PHP probe; EXECUTE IMMEDIATE and
		// stored procedures are SQL
		if w := t[1].text(s); w == "immediate" || strings.HasPrefix(w, "xp_") || strings.HasPrefix(w, "sp_") || strings.HasPrefix(w, "master") {
			return base, end, true
		}
	}
	return 0, 0, false
}

// sqlWholeCall reports a value that is exactly a call of a SQL function
// on numbers, "div(23,-2)", "mod(10, 3)", "abs(-1)": an expression where
// a numeric parameter is spliced, to probe whether the database evaluates
// it.
func sqlWholeCall(s string) bool {
	t := strings.TrimSpace(s)
	j := 0
	for j < len(t) && isWord(t[j]) {
		j++
	}
	if j == 0 || j == len(t) {
		return false
	}
	if w := t[:j]; sqlFunc(w) == 0 && w != "div" && w != "mod" {
		return false
	}
	k := skipSpace(t, j)
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
		case isDigit(c):
			digits = true
		case c == ',' || c == '.' || c == '-' || c == '+' || c == ' ':
		default:
			return false
		}
	}
	return digits
}

// sqlReservedWordIn reports whether lower-cased s has a word (a run of
// letters) that SQL reserves (sqlReserved).
func sqlReservedWordIn(s string) bool {
	for i := 0; i < len(s); {
		if !isAlpha(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		if sqlReserved[s[i:j]] {
			return true
		}
		i = j
	}
	return false
}
