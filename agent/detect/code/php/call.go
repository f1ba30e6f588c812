// Package php reads a value as PHP: calls of the functions that run code
// or commands or touch files, the run-time ways PHP resolves a function
// name that hide it from a keyword match (variables, arrays,
// concatenation), serialized objects, ini settings and superglobals. Package
// detect turns what it finds into signals.
package php

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// phpFuncs are PHP functions that execute code or commands, or read and
// write files: a call to one in a parameter is code injection.
var phpFuncs = map[string]int{
	"system": 8, "exec": 7, "shell_exec": 9, "passthru": 9, "popen": 8, "proc_open": 9, "pcntl_exec": 9,
	"eval": 8, "assert": 7, "create_function": 9, "call_user_func": 8, "call_user_func_array": 8,
	"preg_replace": 6, "base64_decode": 6, "file_get_contents": 8, "file_put_contents": 9, "fopen": 7,
	"readfile": 8, "phpinfo": 9, "show_source": 9, "highlight_file": 9, "unserialize": 7, "str_rot13": 6,
	"gzinflate": 7, "gzuncompress": 7, "gzdecode": 7, "ini_set": 8, "ini_get": 6, "putenv": 8, "fsockopen": 8,
	"curl_exec": 8, "move_uploaded_file": 8, "symlink": 7, "array_map": 6, "usort": 5, "fwrite": 7,
	"fputs": 7, "file": 5, "include": 6, "include_once": 8, "require": 6, "require_once": 8, "chr": 4,
	"posix_getpwuid": 9, "posix_kill": 9, "get_current_user": 8, "getcwd": 7, "scandir": 8, "glob": 6,
	"opendir": 8, "readdir": 8, "dl": 5, "mail": 5, "escapeshellcmd": 8, "escapeshellarg": 7, "var_dump": 7,
	"print_r": 6, "die": 5, "hex2bin": 7, "bin2hex": 6, "strrev": 6, "convert_uudecode": 8,
	"register_shutdown_function": 9, "register_tick_function": 9, "array_filter": 5, "array_walk": 6,
	"uasort": 5, "uksort": 5, "mb_ereg_replace": 7, "extract": 6, "parse_str": 7, "stream_get_contents": 8,
	"proc_nice": 8, "apache_child_terminate": 9, "posix_setuid": 9, "md5_file": 7, "copy": 4, "unlink": 7,
	"rmdir": 6, "mkdir": 5, "chmod": 6, "chown": 6, "touch": 4, "fread": 7, "fgets": 6, "file_exists": 7,
	"is_writable": 7, "get_defined_vars": 8, "getenv": 7, "phpversion": 8, "php_uname": 9, "sleep": 4,
	"curl_init": 7, "bzdecompress": 7, "assert_options": 8, "unpack": 6, "filegroup": 6, "fileowner": 6,
	"fileperms": 6, "proc_terminate": 9, "proc_get_status": 8, "pfsockopen": 8, "stream_socket_client": 8,
	"imap_open": 8, "mb_send_mail": 7, "error_log": 6, "set_include_path": 8, "get_cfg_var": 8,
	"get_defined_functions": 8, "get_defined_constants": 8, "posix_getegid": 7, "posix_geteuid": 7, "posix_getuid": 7,
	"posix_getgid": 7, "posix_getpwnam": 8, "posix_uname": 8, "posix_getcwd": 7,
}

// phpFuncFilter turns away, before the map, the words of a value that
// cannot be one of phpFuncs: nearly all words of a long value.
var phpFuncFilter = func() lex.WordFilter {
	names := make([]string, 0, len(phpFuncs))
	for name := range phpFuncs {
		names = append(names, name)
	}
	return lex.NewWordFilter(names...)
}()

// Call finds a call of a dangerous PHP function: the name as a whole
// word, then blanks or comments (/* */, //, #) up to '(', and an argument
// that looks like code, or the call opening the value. openCall allows a
// call left open at the end of the value ("base64_decode(").
func Call(c *Text, openCall bool) (int, int) {
	s := c.s
	for i := 0; i < len(s); {
		if !lex.IsAlpha(s[i]) && s[i] != '_' {
			i++
			continue
		}
		j := i
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		name := s[i:j]
		sc := 0
		if phpFuncFilter.May(name) {
			sc = phpFuncs[name]
		}
		prev := byte(0)
		if i > 0 {
			prev = s[i-1]
		}
		if sc == 0 || prev == '.' || prev == '$' || prev == '>' || prev == ':' || prev == '-' || prev >= 0x80 {
			i = j
			continue
		}
		k := c.skip(j)
		if (prev == '"' || prev == '\'') && sc >= 7 && k < len(s) && s[k] == prev { // "system"(x), ("system")("id")
			n := c.skip(k + 1)
			if n < len(s) && s[n] == ')' {
				n = c.skip(n + 1)
			}
			if n < len(s) && s[n] == '(' {
				return i - 1, sc
			}
		}
		if k < len(s) && s[k] == ')' && prev == '(' && sc >= 7 { // (system)('id');
			if n := c.skip(k + 1); n < len(s) && s[n] == '(' && statementCall(c, n) {
				return i - 1, sc
			}
		}
		if k >= len(s) || s[k] != '(' {
			i = j
			continue
		}
		// A comment between the name and "(" is code, never prose:
		// gzuncompress/*x*/(). A call left open at the end of a
		// parameter that it opens, the name touching "(", is code
		// spliced into a string: base64_decode( (in a path, "eval(" names
		// a page).
		commented := strings.Contains(s[j:k], "/*")
		if sc >= 6 && (commented || openCall && i == 0 && k == j && strings.TrimSpace(s[k+1:]) == "") {
			return i, sc
		}
		a := lex.SkipSpace(s, k+1)
		if manSection(s, k+1) {
			// chown(1), system(3): a manual page reference. A section
			// number as the only argument carries no command.
			i = j
			continue
		}
		argOK := a < len(s) && (s[a] == '\'' || s[a] == '"' || s[a] == '$' || s[a] == ')' || s[a] == '`' || s[a] == '[' || lex.IsDigit(s[a]) || c.code.CallAfterWord(a) || s[a] == '/' && name != "file")
		start := i == 0 || strings.IndexByte(";{}()=&|'\"`,@!?<>", prev) >= 0
		switch {
		case start && sc >= 7 && a < len(s), // the call opens the value or a statement
			argOK && (start || lex.IsSpace(prev) && sc >= 8) && sc >= 6,
			argOK && start && i == 0:
			return i, sc
		}
		i = j
	}
	return 0, 0
}

// manSection reports whether s[a:] starts with a manual section and the
// closing parenthesis: one digit, then at most three lower-case letters
// ("1)", "3p)", "8)"), as in chown(1) and getpid(2) and the "SEE ALSO" lines of
// man pages.
func manSection(s string, a int) bool {
	if a >= len(s) || s[a] < '1' || s[a] > '9' {
		return false
	}
	e := a + 1
	for e < len(s) && e-a <= 3 && s[e] >= 'a' && s[e] <= 'z' {
		e++
	}
	return e < len(s) && s[e] == ')'
}

// Serialized finds PHP serialized objects O:8:"stdClass":1:{...} and arrays.
func Serialized(s string) (int, int) {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], ':')
		if i < 0 {
			return 0, 0
		}
		i += off
		off = i + 1
		if i == 0 || (s[i-1] != 'o' && s[i-1] != 'c' && s[i-1] != 'a') || i >= 2 && lex.IsWord(s[i-2]) {
			continue
		}
		j := i + 1
		for j < len(s) && lex.IsDigit(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != ':' {
			continue
		}
		if s[i-1] == 'a' {
			if j+1 < len(s) && s[j+1] == '{' && (strings.Contains(s[j:], "s:") || strings.Contains(s[j:], "i:")) {
				return i - 1, 6
			}
			continue
		}
		if j+1 < len(s) && s[j+1] == '"' {
			return i - 1, 8
		}
	}
	return 0, 0
}
