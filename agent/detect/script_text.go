package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/prose"
)

// scriptText reports whether lower-cased s reads as JavaScript or
// TypeScript source rather than SQL: an import of names from a module
// ("import { command } from 'x'"), an arrow function, a function
// expression with its body, or method calls on two or more receivers
// ("program.option(...); program.addhelptext(...)"). SQL calls functions,
// not methods; the few schema-qualified calls a payload makes
// (dbms_pipe.receive_message) name one package, once.
func scriptText(s string) bool {
	if strings.Contains(s, "=>") || (strings.Contains(s, "function(") || strings.Contains(s, "function (")) && strings.Contains(s, "{") {
		return true // a function expression has a body; PostgreSQL's function(x)::type has none
	}
	if i := lex.Index(s, "import "); i >= 0 && (i == 0 || !isWord(s[i-1])) {
		if j := strings.Index(s[i:], " from "); j > 0 && strings.ContainsAny(s[i:i+j], "{*") {
			return true
		}
	}
	calls := 0
	for i := 1; i < len(s) && calls < 2; i++ {
		if s[i] != '.' || !(isWord(s[i-1]) || s[i-1] == ')') {
			continue
		}
		j := i + 1
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '(' && sql.Func(s[i+1:j]) == 0 && !sqlPackageCall(s, i) {
			calls++
		}
	}
	return calls >= 2
}

// sqlPackageCall reports whether the member call whose '.' is at s[dot]
// names a database's own package or schema: dbms_pipe.receive_message,
// utl_http.request, sys.fn_x, master.dbo.xp_cmdshell.
func sqlPackageCall(s string, dot int) bool {
	b := dot
	for b > 0 && (isWord(s[b-1]) || s[b-1] == '.') {
		b--
	}
	r := s[b:dot]
	for _, p := range [...]string{"dbms_", "utl_", "sys", "master", "dbo", "pg_", "information_schema", "ctxsys", "ordsys", "xdb"} {
		if strings.HasPrefix(r, p) {
			return true
		}
	}
	return false
}

// lexerScore weighs a finding of the SQL lexer (score) on lower-cased s:
// in a value that reads as sentences outside its literals only the
// certain findings (9 and up: UNION SELECT, stacked statements) stand; a
// lone timing call or "or" condition there is a sentence about sleep(3) or
// "||".
func lexerScore(s string, score int) int {
	if score < 9 && prose.Reads(s, true) {
		return 0
	}
	return score
}
