// Package sqlite reads a value as input to the SQLite command-line shell:
// a dot command (.shell, .system) that runs a program, injected after a
// statement terminator.
package sqlite

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// Shell finds an SQLite command-line shell dot command that runs a
// program, injected after a statement terminator: ";\n.shell nc ...",
// ";.system id", `1;."shell whoami`, "1;.sh whoami" (.sh is an
// abbreviation the CLI accepts when followed by a command word).
// Escaped newlines left as text ("\n") count as blanks.
//
// At paranoia 2 any dot command of the CLI counts (".databases",
// ".dump", ".import x"): a statement terminator followed by one is an
// attempt to drive the CLI, but ".tables" also ends ordinary sentences.
func Shell(s string, paranoid bool) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], ';')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := skipEscapedSpace(s, i+1)
		if j >= len(s) || s[j] != '.' {
			continue
		}
		j++
		for j < len(s) && (lex.IsSpace(s[j]) || s[j] == '"' || s[j] == '\'' || s[j] == '\\') {
			j++
		}
		k := j
		for k < len(s) && lex.IsAlpha(s[k]) {
			k++
		}
		if k < len(s) && !lex.IsSpace(s[k]) && s[k] != '"' && s[k] != '\'' && s[k] != '\\' {
			continue
		}
		switch w := s[j:k]; w {
		case "shell", "system":
			return i
		case "sh":
			if w, _, _ := shell.CommandWordAt(s, lex.SkipSpace(s, k)); w != "" {
				if _, ok := shell.Command(w); ok {
					return i
				}
			}
		default:
			if paranoid && sqliteDotCommands[w] {
				return i
			}
		}
	}
	return -1
}

// sqliteDotCommands are the SQLite CLI's dot commands that read, write or
// reveal data.
var sqliteDotCommands = map[string]bool{
	"archive": true, "backup": true, "bail": true, "cd": true, "clone": true, "databases": true, "dbinfo": true,
	"dump": true, "excel": true, "import": true, "indexes": true, "load": true, "log": true, "once": true,
	"open": true, "output": true, "read": true, "recover": true, "restore": true, "save": true, "schema": true,
	"tables": true, "fullschema": true, "dbconfig": true, "iotrace": true, "trace": true, "vfslist": true,
}

// skipEscapedSpace skips blanks and the text escapes \n, \r and \t.
func skipEscapedSpace(s string, i int) int {
	for i < len(s) {
		switch {
		case lex.IsSpace(s[i]):
			i++
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == 'n' || s[i+1] == 'r' || s[i+1] == 't'):
			i += 2
		default:
			return i
		}
	}
	return i
}
