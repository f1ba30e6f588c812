package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Level-1 SQL shapes that libinjection's fingerprints and sqlLex's
// tautology checks miss. Each needs an attack's structure, not a keyword:
// a literal closed and the statement ended, a statement stacked after ";",
// a keyword cut by a comment, a procedure only an attacker calls.

// sqlShape runs the level-1 shape checks over lower-cased text s with byte
// classes m and byte set have, and returns the rule, span and score of the
// first that matches.
func sqlShape(s string, m mask, have *lex.ByteSet) (rule string, off, end, score int, ok bool) {
	if m.has(bQuote | bDQuote | bBacktick) {
		if off, end, score, ok := sqlTerminatedBreakout(s); ok {
			return "sqli-breakout", off, end, score, true
		}
		if off, end, ok := sqlStringTautology(s); ok {
			return "sqli-breakout", off, end, 8, true
		}
	}
	if m.has(bSemi) {
		if off, end, ok := sqlStacked(s); ok {
			return "sqli-stacked", off, end, 8, true
		}
	}
	if m.has(bSlash) && m.has(bStar) {
		if off, end, ok := sqlCommentKeyword(s); ok {
			return "sqli-comment-keyword", off, end, 8, true
		}
	}
	if m.has(bParen) {
		if off, end, ok := sqlSubquery(s); ok {
			return "sqli-lexer", off, end, 8, true
		}
	}
	if off, end, ok := sqlLogicComment(s); ok {
		return "sqli-breakout", off, end, 7, true
	}
	if w, i := sqlProcedureIndex(s, have, m.has(bUnderscore)); i >= 0 {
		return "sqli-procedure", i, i + len(w), 8, true
	}
	return "", 0, 0, 0, false
}

// sqlSubquery finds a parenthesised SELECT whose first item only SQL
// writes: "(select count(*)", "( select * from", "(select @@version",
// "(select (select ...". A parenthesis before "select" in prose is
// followed by words ("(select all that apply)").
func sqlSubquery(s string) (off, end int, ok bool) {
	var buf [4]tok
	for o := 0; o < len(s); {
		i := indexWord(s[o:], "select")
		if i < 0 {
			return 0, 0, false
		}
		i += o
		o = i + 6
		p := i
		for p > 0 && isSpace(s[p-1]) {
			p--
		}
		if p == 0 || s[p-1] != '(' {
			continue
		}
		t := lexN(s[:min(len(s), i+6+lexWindow)], i+6, buf[:])
		if len(t) == 0 {
			continue
		}
		switch {
		case t[0].k == tOp && t[0].text(s) == "*", t[0].k == tVar, t[0].k == tLParen:
			return p - 1, t[0].end, true
		case t[0].k == tWord && len(t) > 1 && t[1].k == tLParen && (sqlFunc(t[0].text(s)) > 0 || sqlJSONFunc(t[0].text(s))):
			return p - 1, t[1].end, true
		}
	}
	return 0, 0, false
}

// sqlLogicComment finds a value that is a boolean operator, a constant and
// a line comment: "OR 1#", "and true-- -". It turns the developer's
// condition true or false and cuts the rest of the query off.
func sqlLogicComment(s string) (off, end int, ok bool) {
	var buf [4]tok
	t := lexN(s, 0, buf[:])
	if len(t) != 3 || t[0].k != tLogic || !isBoolLiteral(t[1], s) || t[2].k != tComment {
		return 0, 0, false
	}
	c := t[2].text(s)
	if !strings.HasPrefix(c, "--") && c[0] != '#' || strings.Trim(c, "-# \t\r\n") != "" {
		return 0, 0, false
	}
	return t[0].start, t[2].end, true
}

// sqlProcedures are server procedures and packages that reach the file
// system, the registry, the network or other servers from inside the
// database (SQL Server xp_ and sp_ procedures, OLE DB providers, Oracle
// UTL_ and DBMS_ packages). Applications name them in their own SQL, never
// in a parameter; injections call them to exfiltrate data out of band or
// to run commands. The names are long and specific enough to match as
// whole words anywhere (xp_cmdshell and sp_executesql are in the plain
// keyword list).
var sqlProcedures = lex.NewWordList(
	"xp_dirtree", "xp_regread", "xp_regwrite", "xp_regdeletekey", "xp_regdeletevalue", "xp_regenumkeys",
	"xp_regenumvalues", "xp_fileexist", "xp_subdirs", "xp_servicecontrol", "xp_availablemedia",
	"xp_terminate_process", "xp_makecab", "xp_ntsec_enumdomains", "xp_loginconfig", "xp_enumgroups",
	"xp_execresultset", "xp_displayparamstmt", "xp_enumdsn", "xp_getnetname", "xp_msver",
	"sp_password", "sp_oacreate", "sp_oamethod", "sp_oagetproperty", "sp_addextendedproc",
	"sp_makewebtask", "sp_configure", "sp_execute_external_script", "sp_addlogin", "sp_addsrvrolemember",
	"sp_adduser", "sp_addlinkedserver", "sp_linkedservers", "sp_replwritetovarbin",
	"utl_http", "utl_inaddr", "utl_file", "utl_smtp", "utl_tcp", "dbms_java", "dbms_pipe", "dbms_lock",
	"dbms_scheduler", "dbms_xmlquery", "dbms_xmlgen", "dbms_ldap", "dbms_aw", "dbms_export_extension",
	"dbms_metadata", "ctxsys.drithsx",
)

// sqlProviders are the procedure names without an underscore: OLE DB
// providers and ad hoc remote queries, Oracle's HTTP URI type.
var sqlProviders = lex.NewWordList("openrowset", "opendatasource", "openquery", "msdasql", "sqloledb", "httpuritype")

// sqlProcedureIndex finds a name of sqlProcedures or sqlProviders as a
// whole word in lower-cased s with byte set have; only values with "_"
// search the long list.
func sqlProcedureIndex(s string, have *lex.ByteSet, underscore bool) (w string, i int) {
	whole := func(i int, w string) bool { return wordAt(s, i, w) }
	if underscore {
		if w, i := sqlProcedures.Index(s, have, whole); i >= 0 {
			return w, i
		}
	}
	return sqlProviders.Index(s, have, whole)
}

// sqlBreakoutWords are words that, right after a closing quote, only SQL
// puts there: operators and predicates (SQLite's GLOB, NOTNULL, PostgreSQL
// ILIKE and SIMILAR TO, COLLATE), quantifiers and the SQLite planner hints
// (LIKELY, LIKELIHOOD) injections use as harmless-looking calls.
func sqlBreakoutWord(w string) bool {
	switch w {
	case "collate", "notnull", "isnull", "glob", "ilike", "similar", "escape", "match", "mod", "array",
		"likely", "unlikely", "likelihood", "json", "rowid", "all", "any", "some", "exists", "null",
		"overlaps", "unique", "nocase", "binary":
		return true
	}
	return false
}

// sqlTerminatedBreakout finds a quote that closes the developer's literal
// at the start of a value (a login name, an email, an id: no blank before
// it), SQL after it, and a terminator that ends the statement there: a
// line comment ("--", "#") or ";" at the end of the value. "x'|email--",
// "id'not like id--", "user'collate nocase--", "' is not?--",
// "z' or json (id);". Text that merely contains an apostrophe has no
// terminator, and an English contraction ("don't", "l'eau") is not a
// break-out.
//
// The SQL between needs an operator, an SQL-only word or a call; "or" and
// "and" alone suffice only before a comment, which prose does not end with.
func sqlTerminatedBreakout(s string) (off, end, score int, ok bool) {
	var buf [16]tok
	for _, q := range [...]byte{'\'', '"', '`'} {
		p := strings.IndexByte(s, q)
		if p < 0 || p > 64 || strings.ContainsAny(s[:p], " \t\r\n") {
			continue
		}
		t := lexN(s, p+1, buf[:])
		if len(t) < 2 || t[0].k == tComment || t[0].k == tSemi {
			continue // "admin'--" is sqlLex's; a bare terminator proves little
		}
		if p > 0 && isAlpha(s[p-1]) && t[0].k == tWord && t[0].start == p+1 {
			switch t[0].text(s) {
			case "s", "t", "re", "ve", "ll", "d", "m": // it's, don't, we're
				continue
			}
			switch s[:p] {
			case "l", "d", "j", "n", "s", "c", "m", "t", "qu": // French elision
				continue
			}
		}
		strong, weak, stop := false, false, -1
	scan:
		for k, x := range t {
			switch x.k {
			case tComment, tSemi:
				stop = k
				break scan
			case tOpenStr:
				break scan
			case tOp, tVar:
				strong = true
			case tLogic:
				weak = true
			case tWord:
				if sqlBreakoutWord(x.text(s)) {
					strong = true
				}
			case tLParen:
				if k > 0 && t[k-1].k == tWord {
					strong = true // a call: likely(id), json (id)
				}
			}
		}
		if stop <= 0 {
			continue
		}
		x := t[stop]
		rest := strings.TrimSpace(s[x.end:])
		switch x.k {
		case tComment:
			c := x.text(s)
			if !strings.HasPrefix(c, "--") && c[0] != '#' || strings.Trim(c, "-# \t\r") != "" || rest != "" {
				continue
			}
			if strong || weak {
				return p, x.end, 8, true
			}
		case tSemi:
			if strong && semicolonEnds(rest) {
				return p, x.end, 8, true
			}
		}
	}
	return 0, 0, 0, false
}

// semicolonEnds reports whether rest, the text after a ";", ends the
// injected statement: nothing, a comment, a lone quote left for the
// developer's closing one, or one more bare statement word ("analyze--").
func semicolonEnds(rest string) bool {
	if rest == "" || strings.HasPrefix(rest, "--") || rest[0] == '#' || rest == "'" || rest == "\"" {
		return true
	}
	j := 0
	for j < len(rest) && isAlpha(rest[j]) {
		j++
	}
	if j == 0 || j > 16 {
		return false
	}
	r := strings.TrimSpace(rest[j:])
	return r == "" || strings.HasPrefix(r, "--") || r[0] == '#' || r == ";"
}

// sqlStackedVerbs open a statement stacked after ";" at the start of a
// value; set counts only as "set @var" (a session variable).
func sqlStackedVerb(w string) bool {
	switch w {
	case "drop", "truncate", "shutdown", "update", "delete", "insert", "exec", "execute", "declare", "alter",
		"create", "grant", "revoke", "rename", "waitfor", "select", "union", "prepare", "deallocate":
		return true
	}
	return false
}

// sqlStacked finds a statement stacked onto the developer's: a value that
// opens with ";" and a statement verb (";drop", ";update users",
// ";SET @OLD_SQL_MODE", ";truncate[xx"), or that opens with a statement
// and ends it with ";" and a comment ("DROP sampletable;--", "DELETE FROM
// users;--"). A parameter value has no reason to start with a statement
// separator; prose does not end with ";--".
func sqlStacked(s string) (off, end int, ok bool) {
	i := 0
	for i < len(s) && (isSpace(s[i]) || s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == ')') {
		i++
	}
	if i < len(s) && s[i] == ';' {
		j := skipCodeSpace(s, i+1)
		k := j
		for k < len(s) && isAlpha(s[k]) {
			k++
		}
		if k > j && (k == len(s) || !isWord(s[k])) {
			w := s[j:k]
			if sqlStackedVerb(w) {
				return i, k, true
			}
			if w == "set" {
				if n := skipCodeSpace(s, k); n < len(s) && s[n] == '@' {
					return i, n + 1, true
				}
			}
		}
	}
	// A statement ended with ";" and a comment.
	k := i
	for k < len(s) && isAlpha(s[k]) {
		k++
	}
	switch s[i:k] {
	case "drop", "delete", "update", "insert", "truncate", "alter", "create", "exec", "execute", "grant", "shutdown", "select":
	default:
		return 0, 0, false
	}
	j := strings.LastIndexByte(s, ';')
	if j <= k {
		return 0, 0, false
	}
	rest := strings.TrimSpace(s[j+1:])
	if rest == "#" || strings.HasPrefix(rest, "--") && strings.Trim(rest, "- \t") == "" {
		return i, len(s), true
	}
	return 0, 0, false
}

// sqlCommentKeyword finds a C comment that hides a SQL keyword from a
// keyword filter: one cutting it in two ("DR/**/OP", "UN/**/ION") or
// standing in for the blank after it ("SELECT/*x*/password",
// "DROP/*comment*/sampletable", "1/**/union"). MySQL and SQL Server read a
// comment as whitespace; only obfuscation glues one to a keyword.
func sqlCommentKeyword(s string) (off, end int, ok bool) {
	for o := 0; o < len(s); {
		i := strings.Index(s[o:], "/*")
		if i < 0 {
			break
		}
		i += o
		c := strings.Index(s[i+2:], "*/")
		if c < 0 {
			break
		}
		j := i + 2 + c + 2
		o = j
		a := i
		for a > 0 && a > i-16 && isAlpha(s[a-1]) {
			a--
		}
		b := j
		for b < len(s) && b < j+16 && isAlpha(s[b]) {
			b++
		}
		left, right := s[a:i], s[j:b]
		leftWhole := left != "" && (a == 0 || !isWord(s[a-1]))
		rightWhole := right != "" && (b == len(s) || !isWord(s[b]))
		switch {
		case leftWhole && rightWhole && sqlSplitKeyword(left, right):
			return a, b, true
		case leftWhole && sqlCommentedKeyword(left) && j < len(s) && (isWord(s[j]) || strings.IndexByte("(@'\"`", s[j]) >= 0):
			return a, j + 1, true
		case rightWhole && a == i && i > 0 && strings.IndexByte("0123456789'\"`)", s[i-1]) >= 0 && sqlCommentedKeyword(right):
			return i - 1, b, true
		}
	}
	return 0, 0, false
}

// sqlCommentedKeyword reports the keywords a comment glued to them reveals.
func sqlCommentedKeyword(w string) bool {
	switch w {
	case "select", "union", "insert", "update", "delete", "drop", "from", "where", "having", "exec", "execute",
		"into", "values", "table", "order", "group", "limit", "truncate", "alter", "create", "and", "or":
		return true
	}
	return false
}

// sqlSplitKeyword reports whether left+right spells a SQL keyword that
// keyword filters look for ("dr"+"op", "sel"+"ect").
func sqlSplitKeyword(left, right string) bool {
	n := len(left) + len(right)
	for _, w := range [...]string{"select", "union", "insert", "update", "delete", "drop", "from", "where", "having", "exec", "execute", "concat", "sleep", "benchmark", "truncate", "alter", "create", "table", "database", "information_schema"} {
		if len(w) == n && strings.HasPrefix(w, left) && strings.HasSuffix(w, right) {
			return true
		}
	}
	return false
}

// sqlStringTautology finds two equal quoted literals compared for
// equality, 'a'='a' or "1" = "1": a condition that is always true, which
// no application sends in a parameter and every injection tutorial does.
func sqlStringTautology(s string) (off, end int, ok bool) {
	for o := 0; o < len(s); {
		i := strings.IndexByte(s[o:], '=')
		if i < 0 {
			return 0, 0, false
		}
		i += o
		o = i + 1
		l := i
		for l > 0 && s[l-1] == ' ' {
			l--
		}
		r := i + 1
		for r < len(s) && s[r] == ' ' {
			r++
		}
		if l < 2 || r >= len(s) {
			continue
		}
		q := s[l-1]
		if q != '\'' && q != '"' || s[r] != q {
			continue
		}
		// the literal before: back to its opening quote (short literals only)
		a := strings.LastIndexByte(s[max(0, l-1-32):l-1], q)
		if a < 0 {
			continue
		}
		a += max(0, l-1-32)
		left := s[a+1 : l-1]
		if left != "" && strings.HasPrefix(s[r+1:], left) && (r+1+len(left) == len(s) || s[r+1+len(left)] == q) {
			// the right literal may be left open for the developer's quote
			return a, min(len(s), r+2+len(left)), true
		}
	}
	return 0, 0, false
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
	if w, i := sqlProcedureIndex(s, in.lowerBytes(), in.mask.has(bUnderscore)); i >= 0 {
		in.emit(SQLi, "sqli-procedure", 8, i, i+len(w))
		return
	}
	if i := strings.Index(s, "unionselect"); i >= 0 {
		// no English word holds it; "union select" written without
		// blanks relies on a filter that deletes them or on MySQL's
		// lenient tokenizer around quotes and parentheses
		in.emit(SQLi, "sqli-lexer", 7, i, i+11)
		return
	}
	if sc := sqlMagicNumber(strings.TrimSpace(s), in.paranoid()); sc > 0 {
		in.emit(SQLi, "sqli-magic-number", sc, 0, len(s))
	}
}

// sqlMagicNumber scores a value that is one of the numbers injection
// scanners send to find overflow and parsing bugs: 2.2250738585072011e-308
// hangs the float parsers of older PHP and Java runtimes and 1e309
// overflows a double (no client sends them; level 1), and the 32-bit
// limits 2147483647, 2147483648, 4294967295, 4294967296 overflow integer
// columns (an API may accept them as "no limit"; level 2 only).
func sqlMagicNumber(s string, paranoid bool) int {
	switch s {
	case "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072007e-308", "1e309", "-1e309":
		return 6
	case "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296":
		if paranoid {
			return 4
		}
	}
	return 0
}
