// Package shape holds the level-1 SQL shapes libinjection and the
// statement lexer miss: a literal closed and the statement ended, a
// statement stacked after ";", a keyword cut by a comment, a subquery, a
// procedure only an attacker calls, and the magic numbers of a plain value.
package shape

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// Level-1 SQL shapes that libinjection's fingerprints and statement.Lex's
// tautology checks miss. Each needs an attack's structure, not a keyword:
// a literal closed and the statement ended, a statement stacked after ";",
// a keyword cut by a comment, a procedure only an attacker calls.

// Match runs the level-1 shape checks over lower-cased text s and its
// byte set have, and returns the rule, span and score of the
// first that matches.
func Match(s string, have *lex.ByteSet) (rule string, off, end, score int, ok bool) {
	if have.HasAny("'\"`") {
		if off, end, score, ok := terminatedBreakout(s); ok {
			return "sqli-breakout", off, end, score, true
		}
		if off, end, ok := stringTautology(s); ok {
			return "sqli-breakout", off, end, 8, true
		}
	}
	if have.Has(';') {
		if off, end, ok := stacked(s); ok {
			return "sqli-stacked", off, end, 8, true
		}
	}
	if have.Has('/') && have.Has('*') {
		if off, end, ok := commentKeyword(s); ok {
			return "sqli-comment-keyword", off, end, 8, true
		}
	}
	if have.HasAny("()") {
		if off, end, ok := subquery(s); ok {
			return "sqli-lexer", off, end, 8, true
		}
	}
	if off, end, ok := logicComment(s); ok {
		return "sqli-breakout", off, end, 7, true
	}
	if w, i := ProcedureIndex(s, have, have.Has('_')); i >= 0 {
		return "sqli-procedure", i, i + len(w), 8, true
	}
	return "", 0, 0, 0, false
}

// subquery finds a parenthesised SELECT whose first item only SQL
// writes: "(select count(*)", "( select * from", "(select @@version",
// "(select (select ...". A parenthesis before "select" in prose is
// followed by words ("(select all that apply)").
func subquery(s string) (off, end int, ok bool) {
	var buf [4]sql.Token
	for o := 0; o < len(s); {
		i := lex.IndexWord(s[o:], "select")
		if i < 0 {
			return 0, 0, false
		}
		i += o
		o = i + 6
		p := i
		p = lex.SkipSpaceBack(s, p)
		if p == 0 || s[p-1] != '(' {
			continue
		}
		t := sql.LexN(s[:min(len(s), i+6+sql.LexWindow)], i+6, buf[:])
		if len(t) == 0 {
			continue
		}
		switch {
		case t[0].Kind == sql.Op && t[0].Text(s) == "*", t[0].Kind == sql.Var, t[0].Kind == sql.LParen:
			return p - 1, t[0].End, true
		case t[0].Kind == sql.Word && len(t) > 1 && t[1].Kind == sql.LParen && (sql.Func(t[0].Text(s)) > 0 || sql.JSONFunc(t[0].Text(s))):
			return p - 1, t[1].End, true
		}
	}
	return 0, 0, false
}

// logicComment finds a value that is a boolean operator, a constant and
// a line comment: "OR 1#", "and true-- -". It turns the developer's
// condition true or false and cuts the rest of the query off.
func logicComment(s string) (off, end int, ok bool) {
	var buf [4]sql.Token
	t := sql.LexN(s, 0, buf[:])
	if len(t) != 3 || t[0].Kind != sql.Logic || !sql.IsBoolLiteral(t[1], s) || t[2].Kind != sql.Comment {
		return 0, 0, false
	}
	c := t[2].Text(s)
	if !strings.HasPrefix(c, "--") && c[0] != '#' || strings.Trim(c, "-# \t\r\n") != "" {
		return 0, 0, false
	}
	return t[0].Start, t[2].End, true
}

// procedures are server procedures and packages that reach the file
// system, the registry, the network or other servers from inside the
// database (SQL Server xp_ and sp_ procedures, OLE DB providers, Oracle
// UTL_ and DBMS_ packages). Applications name them in their own SQL, never
// in a parameter; injections call them to exfiltrate data out of band or
// to run commands. The names are long and specific enough to match as
// whole words anywhere (xp_cmdshell and sp_executesql are in the plain
// keyword list).
var procedures = lex.NewWordList(
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

// providers are the procedure names without an underscore: OLE DB
// providers and ad hoc remote queries, Oracle's HTTP URI type.
var providers = lex.NewWordList("openrowset", "opendatasource", "openquery", "msdasql", "sqloledb", "httpuritype")

// ProcedureIndex finds a name of procedures or providers as a
// whole word in lower-cased s with byte set have; only values with "_"
// search the long list.
func ProcedureIndex(s string, have *lex.ByteSet, underscore bool) (w string, i int) {
	whole := func(i int, w string) bool { return lex.WordAt(s, i, w) }
	if underscore {
		if w, i := procedures.Index(s, have, whole); i >= 0 {
			return w, i
		}
	}
	return providers.Index(s, have, whole)
}

// breakoutWord reports words that, right after a closing quote, only SQL
// puts there: operators and predicates (SQLite's GLOB, NOTNULL, PostgreSQL
// ILIKE and SIMILAR TO, COLLATE), quantifiers and the SQLite planner hints
// (LIKELY, LIKELIHOOD) injections use as harmless-looking calls.
func breakoutWord(w string) bool {
	switch w {
	case "collate", "notnull", "isnull", "glob", "ilike", "similar", "escape", "match", "mod", "array",
		"likely", "unlikely", "likelihood", "json", "rowid", "all", "any", "some", "exists", "null",
		"overlaps", "unique", "nocase", "binary":
		return true
	}
	return false
}

// terminatedBreakout finds a quote that closes the developer's literal
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
func terminatedBreakout(s string) (off, end, score int, ok bool) {
	var buf [16]sql.Token
	for _, q := range [...]byte{'\'', '"', '`'} {
		p := strings.IndexByte(s, q)
		if p < 0 || p > 64 || strings.ContainsAny(s[:p], " \t\r\n") {
			continue
		}
		t := sql.LexN(s, p+1, buf[:])
		if len(t) < 2 || t[0].Kind == sql.Comment || t[0].Kind == sql.Semi {
			continue // "admin'--" is statement.Lex's; a bare terminator proves little
		}
		if p > 0 && lex.IsAlpha(s[p-1]) && t[0].Kind == sql.Word && t[0].Start == p+1 {
			switch t[0].Text(s) {
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
			switch x.Kind {
			case sql.Comment, sql.Semi:
				stop = k
				break scan
			case sql.OpenStr:
				break scan
			case sql.Op, sql.Var:
				strong = true
			case sql.Logic:
				weak = true
			case sql.Word:
				if breakoutWord(x.Text(s)) {
					strong = true
				}
			case sql.LParen:
				if k > 0 && t[k-1].Kind == sql.Word {
					strong = true // a call: likely(id), json (id)
				}
			}
		}
		if stop <= 0 {
			continue
		}
		x := t[stop]
		rest := strings.TrimSpace(s[x.End:])
		switch x.Kind {
		case sql.Comment:
			c := x.Text(s)
			if !strings.HasPrefix(c, "--") && c[0] != '#' || strings.Trim(c, "-# \t\r") != "" || rest != "" {
				continue
			}
			if strong || weak {
				return p, x.End, 8, true
			}
		case sql.Semi:
			if strong && semicolonEnds(rest) {
				return p, x.End, 8, true
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
	for j < len(rest) && lex.IsAlpha(rest[j]) {
		j++
	}
	if j == 0 || j > 16 {
		return false
	}
	r := strings.TrimSpace(rest[j:])
	return r == "" || strings.HasPrefix(r, "--") || r[0] == '#' || r == ";"
}

// stackedVerb reports the verbs that open a statement stacked after ";" at the start of a
// value; set counts only as "set @var" (a session variable).
func stackedVerb(w string) bool {
	switch w {
	case "drop", "truncate", "shutdown", "update", "delete", "insert", "exec", "execute", "declare", "alter",
		"create", "grant", "revoke", "rename", "waitfor", "select", "union", "prepare", "deallocate":
		return true
	}
	return false
}

// stacked finds a statement stacked onto the developer's: a value that
// opens with ";" and a statement verb (";drop", ";update users",
// ";SET @OLD_SQL_MODE", ";truncate[xx"), or that opens with a statement
// and ends it with ";" and a comment ("DROP sampletable;--", "DELETE FROM
// users;--"). A parameter value has no reason to start with a statement
// separator; prose does not end with ";--".
func stacked(s string) (off, end int, ok bool) {
	i := 0
	for i < len(s) && (lex.IsSpace(s[i]) || s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == ')') {
		i++
	}
	if i < len(s) && s[i] == ';' {
		j := lex.SkipCodeSpace(s, i+1)
		k := j
		for k < len(s) && lex.IsAlpha(s[k]) {
			k++
		}
		if k > j && (k == len(s) || !lex.IsWord(s[k])) {
			w := s[j:k]
			if stackedVerb(w) {
				return i, k, true
			}
			if w == "set" {
				if n := lex.SkipCodeSpace(s, k); n < len(s) && s[n] == '@' {
					return i, n + 1, true
				}
			}
		}
	}
	// A statement ended with ";" and a comment.
	k := i
	for k < len(s) && lex.IsAlpha(s[k]) {
		k++
	}
	switch s[i:k] {
	case "drop", "delete", "update", "insert", "truncate", "alter", "create", "exec", "execute", "grant", "shutdown", "select":
	default:
		return 0, 0, false
	}
	j := lex.LastIndexByte(s, ';')
	if j <= k {
		return 0, 0, false
	}
	rest := strings.TrimSpace(s[j+1:])
	if rest == "#" || strings.HasPrefix(rest, "--") && strings.Trim(rest, "- \t") == "" {
		return i, len(s), true
	}
	return 0, 0, false
}

// commentKeyword finds a C comment that hides a SQL keyword from a
// keyword filter: one cutting it in two ("DR/**/OP", "UN/**/ION") or
// standing in for the blank after it ("SELECT/*x*/password",
// "DROP/*comment*/sampletable", "1/**/union"). MySQL and SQL Server read a
// comment as whitespace; only obfuscation glues one to a keyword.
func commentKeyword(s string) (off, end int, ok bool) {
	for o := 0; o < len(s); {
		i := lex.Index(s[o:], "/*")
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
		for a > 0 && a > i-16 && lex.IsAlpha(s[a-1]) {
			a--
		}
		b := j
		for b < len(s) && b < j+16 && lex.IsAlpha(s[b]) {
			b++
		}
		left, right := s[a:i], s[j:b]
		leftWhole := left != "" && (a == 0 || !lex.IsWord(s[a-1]))
		rightWhole := right != "" && (b == len(s) || !lex.IsWord(s[b]))
		switch {
		case leftWhole && rightWhole && splitKeyword(left, right):
			return a, b, true
		case leftWhole && commentedKeyword(left) && j < len(s) && (lex.IsWord(s[j]) || strings.IndexByte("(@'\"`", s[j]) >= 0):
			return a, j + 1, true
		case rightWhole && a == i && i > 0 && strings.IndexByte("0123456789'\"`)", s[i-1]) >= 0 && commentedKeyword(right):
			return i - 1, b, true
		}
	}
	return 0, 0, false
}

// commentedKeyword reports the keywords a comment glued to them reveals.
func commentedKeyword(w string) bool {
	switch w {
	case "select", "union", "insert", "update", "delete", "drop", "from", "where", "having", "exec", "execute",
		"into", "values", "table", "order", "group", "limit", "truncate", "alter", "create", "and", "or":
		return true
	}
	return false
}

// splitKeyword reports whether left+right spells a SQL keyword that
// keyword filters look for ("dr"+"op", "sel"+"ect").
func splitKeyword(left, right string) bool {
	n := len(left) + len(right)
	for _, w := range [...]string{"select", "union", "insert", "update", "delete", "drop", "from", "where", "having", "exec", "execute", "concat", "sleep", "benchmark", "truncate", "alter", "create", "table", "database", "information_schema"} {
		if len(w) == n && strings.HasPrefix(w, left) && strings.HasSuffix(w, right) {
			return true
		}
	}
	return false
}

// stringTautology finds two equal quoted literals compared for
// equality, 'a'='a' or "1" = "1": a condition that is always true, which
// no application sends in a parameter and every injection tutorial does.
func stringTautology(s string) (off, end int, ok bool) {
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

// MagicNumber scores a value that is one of the numbers injection
// scanners send to find overflow and parsing bugs: 2.2250738585072011e-308
// hangs the float parsers of older PHP and Java runtimes and 1e309
// overflows a double (no client sends them; level 1), and the 32-bit
// limits 2147483647, 2147483648, 4294967295, 4294967296 overflow integer
// columns (an API may accept them as "no limit"; level 2 only).
func MagicNumber(s string, paranoid bool) int {
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
