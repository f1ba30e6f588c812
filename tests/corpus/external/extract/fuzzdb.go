package main

import (
	"os"
	"path/filepath"
	"strings"
)

// fuzzdbCommit pins fuzzdb-project/fuzzdb (New BSD and CC-BY: cite it);
// fetch.sh checks out exactly this commit.
const fuzzdbCommit = "5656ab25dc6bb43bae32236fab775658a90d7380"

// fuzzdbLists are fuzzdb's attack lists, one family per file, one case
// per line. Left out: lists of bare commands (Commands-*.txt, useful
// commands: no injection in them), of endpoints (rfi/rfi.txt names
// vulnerable scripts, not payloads), of single characters and their
// encodings (delimiters, operators, all-encodings-of-lt: probes), the
// 8-deep exotic traversal list (53 KB of one shape, which would outweigh
// every other family), and the HTML vocabularies of html_js_fuzz (tag,
// attribute and event names).
var fuzzdbLists = map[string]string{
	"attack/ldap/ldap-injection.txt":                                                "ldap",
	"attack/lfi/JHADDIX_LFI.txt":                                                    "path",
	"attack/path-traversal/path-traversal-windows.txt":                              "path",
	"attack/os-cmd-execution/source-disc-cmd-exec-traversal.txt":                    "path",
	"attack/no-sql-injection/mongodb.txt":                                           "nosql",
	"attack/os-cmd-execution/command-execution-unix.txt":                            "cmdi",
	"attack/os-cmd-execution/OSCommandInject.Windows.txt":                           "cmdi",
	"attack/server-side-include/server-side-includes-generic.txt":                   "ssi",
	"attack/xpath/xpath-injection.txt":                                              "xpath",
	"attack/http-protocol/crlf-injection.txt":                                       "crlf",
	"attack/sql-injection/detect/GenericBlind.txt":                                  "sqli",
	"attack/sql-injection/detect/MSSQL.txt":                                         "sqli",
	"attack/sql-injection/detect/MSSQL_blind.txt":                                   "sqli",
	"attack/sql-injection/detect/MySQL.txt":                                         "sqli",
	"attack/sql-injection/detect/MySQL_MSSQL.txt":                                   "sqli",
	"attack/sql-injection/detect/oracle.txt":                                        "sqli",
	"attack/sql-injection/detect/xplatform.txt":                                     "sqli",
	"attack/sql-injection/exploit/db2-enumeration.txt":                              "sqli",
	"attack/sql-injection/exploit/ms-sql-enumeration.txt":                           "sqli",
	"attack/sql-injection/exploit/mysql-injection-login-bypass.txt":                 "sqli",
	"attack/sql-injection/exploit/mysql-read-local-files.txt":                       "sqli",
	"attack/sql-injection/exploit/postgres-enumeration.txt":                         "sqli",
	"attack/sql-injection/payloads-sql-blind/payloads-sql-blind-MSSQL-INSERT.txt":   "sqli",
	"attack/sql-injection/payloads-sql-blind/payloads-sql-blind-MSSQL-WHERE.txt":    "sqli",
	"attack/sql-injection/payloads-sql-blind/payloads-sql-blind-MySQL-INSERT.txt":   "sqli",
	"attack/sql-injection/payloads-sql-blind/payloads-sql-blind-MySQL-ORDER_BY.txt": "sqli",
	"attack/sql-injection/payloads-sql-blind/payloads-sql-blind-MySQL-WHERE.txt":    "sqli",
	"attack/xss/xss-other.txt":                                                      "xss",
	"attack/xss/xss-rsnake.txt":                                                     "xss",
	"attack/xss/XSSPolyglot.txt":                                                    "xss",
	"attack/xss/xss-uri.txt":                                                        "xss",
	"attack/html_js_fuzz/HTML5sec_Injections.txt":                                   "xss",
	"attack/html_js_fuzz/js_inject.txt":                                             "xss",
}

// fuzzdbTemplate is fuzzdb's command injection template: {cmd} stands for
// the command, filled with the one its Unix list uses most (id).
const fuzzdbTemplate = "attack/os-cmd-execution/command-injection-template.txt"

// fuzzdbXSSDoc is a document of XSS exploits; each one's payload is on an
// "Exploit String:" line.
const fuzzdbXSSDoc = "attack/xss/JHADDIX_XSS_WITH_CONTEXT.doc.txt"

// fuzzdbXML is fuzzdb's XML list, written as CSV cells: a value that holds
// a quote is quoted, its own quotes doubled.
const fuzzdbXML = "attack/xml/xml-attacks.txt"

// fuzzdb reads fuzzdb's attack lists.
func fuzzdb(root string) ([]item, error) {
	out, err := listFile(fuzzdbLists)(root)
	if err != nil {
		return nil, err
	}
	ls, err := lines(filepath.Join(root, fuzzdbTemplate))
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		out = append(out, item{"cmdi", strings.ReplaceAll(l, "{cmd}", "id")})
	}
	ls, err = lines(filepath.Join(root, fuzzdbXML))
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		out = append(out, item{"xml", csvCell(l)})
	}
	b, err := os.ReadFile(filepath.Join(root, fuzzdbXSSDoc))
	if err != nil {
		return nil, err
	}
	for _, l := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if v, ok := strings.CutPrefix(l, "Exploit String:"); ok {
			out = append(out, item{"xss", strings.TrimSpace(v)})
		}
	}
	return out, nil
}

// csvCell reads one CSV cell: "a ""b"" c" is a "b" c; an unquoted cell is
// itself.
func csvCell(s string) string {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		return strings.ReplaceAll(t[1:len(t)-1], `""`, `"`)
	}
	return s
}
