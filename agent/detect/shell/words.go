package shell

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// CommandName looks w up as a command word, also in its versioned form
// (python3.10, gcc7.4, php8.2); strong reports a word that is a tool
// rather than also an English word.
func CommandName(w string) (name string, strong, ok bool) {
	if strong, ok = strongCommands[w]; ok {
		return w, strong, true
	}
	// interpreters and compilers with a version glued on
	base := strings.TrimRight(w, "0123456789.")
	if base != w && len(base) >= 2 {
		switch base {
		case "python", "perl", "ruby", "php", "node", "lua", "pip", "gcc", "g++", "clang", "java", "tclsh", "wish", "bash", "zsh":
			return base, strongCommands[base], true
		}
	}
	return "", false, false
}

// Separator reports whether c is a byte after which a new shell command starts.
func Separator(c byte) bool {
	return c == ';' || c == '&' || c == '|' || c == '\n' || c == '`' || c == '('
}

// loneTools are commands whose bare name is not a product, a language or
// an English word: as a whole value, a request to run them.
var loneTools = map[string]bool{
	"whoami": true, "uname": true, "ifconfig": true, "ipconfig": true, "visudo": true, "systeminfo": true,
	"tasklist": true, "netstat": true, "printenv": true, "dmesg": true, "lsmod": true, "getfacl": true,
	"lsattr": true, "hostname": true, "passwd": true, "crontab": true, "pwd": true,
}

// proseCommands are tool names that are also common English or product
// words ("Ping me", "Tee shirt", "Python developer"): at the start of a
// value they need shell-like arguments.
var proseCommands = map[string]bool{
	"ping": true, "tee": true, "strings": true, "expect": true, "column": true, "fold": true, "screen": true,
	"wish": true, "bridge": true, "puppet": true, "knife": true, "comm": true, "flock": true, "dig": true,
	"dash": true, "ash": true, "halt": true, "reboot": true, "shutdown": true, "finger": true, "eval": true,
	"exec": true, "python": true, "ruby": true, "java": true, "perl": true, "php": true, "node": true,
	"nodejs": true, "lua": true, "docker": true, "kubectl": true, "mysql": true, "psql": true, "mongo": true,
	"gcc": true, "clang": true, "javac": true, "irb": true, "powershell": true, "pwsh": true, "lynx": true,
	"rar": true, "gpg": true, "tmux": true, "salt": true, "route": true, "make": true, "expand": true,
	"mtr": true, "arp": true, "socat": true, "nc": true, "sh": true, "cmd": true, "net": true, "telnet": true,
	"ftp": true, "ssh": true, "curl": true, "wget": true, "aws": true, "fetch": true, "grep": true, "awk": true,
	"sed": true, "base64": true, "openssl": true, "sqlite3": true, "redis-cli": true, "7z": true, "chef": false,
}

// ProseCommand reports whether the tool name w is also a common English or
// product word.
func ProseCommand(w string) bool { return proseCommands[w] }

// CommandStart reports a value that reads as one shell command: a command
// word first (after time, nohup, sudo ... prefixes) with arguments that
// fit it, and no more than seven words. Paranoia 2: "ls foo bar",
// "env --version", "pip install x" are also ordinary sentences' shapes in
// other fields.
func CommandStart(s string, lone bool) (end int, ok bool) {
	k0 := lex.SkipSpace(s, 0)
	if k0 >= len(s) || !lex.IsAlpha(s[k0]) && s[k0] != '/' {
		return 0, false
	}
	w, _, we := CommandWordAt(s, k0)
	name, strong, known := CommandName(w)
	if !known || !WordEnds(s, we) || WordCount(s) > 8 || strings.Contains(s, ", ") {
		return 0, false
	}
	k := lex.SkipSpace(s, we)
	if k >= len(s) {
		return we, lone && strong && (loneTools[name] || strings.IndexByte(name, '-') > 0)
	}
	a := s[k]
	shellArg := a == '-' && k+1 < len(s) && (lex.IsAlpha(s[k+1]) || s[k+1] == '-') ||
		a == '/' || a == '~' || a == '$' || a == '>' || a == '<' || a == '|' || a == '`' ||
		strings.HasPrefix(s[k:], "./") || SegmentLooksShell(s, we) || scriptArg(s[k:])
	if shellArg {
		return we, true
	}
	if !strong || proseCommands[name] {
		// a file or host argument: python app.py, curl example.org
		e := k
		for e < len(s) && !lex.IsSpace(s[e]) {
			e++
		}
		arg := s[k:e]
		return we, strong && !proseCommands[name] || proseCommands[name] && strings.IndexByte(arg, '.') > 0 && lex.IsAlnum(arg[len(arg)-1])
	}
	return we, lex.IsAlnum(a)
}

// LowerStart reports whether the first letter of s, after blanks and
// separators, is lower-case.
func LowerStart(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if lex.IsAlpha(c) {
			return c >= 'a'
		}
		if !lex.IsSpace(c) && !Separator(c) && c != '/' {
			return false
		}
	}
	return false
}

// Prefixed reports a command run through a prefix that times, detaches
// or traces it ("time curl x", "nohup nc ..."): a probe for blind
// command injection rather than a pasted command line. strong asks for
// a tool name after the prefix, not a word that is also English.
func Prefixed(s string, strong bool) bool {
	t := lex.TrimBlanksLeft(s)
	p := strings.IndexByte(t, ' ')
	if p < 0 {
		return false
	}
	switch t[:p] {
	case "time", "nohup", "strace", "ltrace", "stdbuf", "unbuffer":
	default:
		return false
	}
	w, _, we := CommandWordAt(t, p)
	name, isStrong, ok := CommandName(w)
	return ok && WordEnds(t, we) && name != t[:p] && (isStrong || !strong)
}

// LastPathElem returns the last element of the slash-separated path w.
func LastPathElem(w string) string { return w[strings.LastIndexByte(w, '/')+1:] }

// scriptArg reports a first argument naming a script file: "x.sh".
func scriptArg(s string) bool {
	if e := strings.IndexAny(s, " \t"); e >= 0 {
		s = s[:e]
	}
	for _, x := range [...]string{".sh", ".py", ".pl", ".rb", ".php", ".ps1", ".bat", ".cmd", ".js"} {
		if strings.HasSuffix(s, x) && len(s) > len(x) {
			return true
		}
	}
	return false
}

// WordCount counts the blank-separated words of s.
func WordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := lex.IsSpace(s[i])
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}
