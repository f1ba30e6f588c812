package shell

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Shell shapes the command-position lexer of cmd.go does not see: command
// names split by expansions that expand to nothing, commands run through
// variables assigned in the same input, self-replicating functions, SQLite
// shell dot commands, mail protocol verbs injected after a CRLF, and (at
// paranoia 2) lone command words where a command could start.

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

// evasionToken reports whether c ends a shell word for EvadedCommand:
// blanks, separators, redirects, argument punctuation.
func evasionBoundary(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', ';', '|', '&', ',', '{', '}', '/', '=', '+', '(', ')', '<', '>':
		return true
	}
	return false
}

// EvadedCommand finds a command name hidden by shell constructs that expand
// to nothing inside the word: pi“ng, pi$()ng, pi<()ng, c$!at, una$$me,
// uname$u, ${x}gcc, n$u\c$u, ""p""y""t""h""o""n. The shell runs the
// command; nothing but an evasion writes a command name that way. Each word
// is read once (linear in s); buf is scratch. It returns the word's bounds.
func EvadedCommand(s string, buf []byte) (start, end int, _ []byte) {
	for i := 0; i < len(s); {
		// "$()", "<()" and ">()" are parts of a word, not boundaries.
		if evasionBoundary(s[i]) && emptySubst(s, i) == 0 {
			i++
			continue
		}
		j := i
		marked := false
		for j < len(s) {
			if n := emptySubst(s, j); n > 0 {
				j += n
				marked = true
				continue
			}
			c := s[j]
			if evasionBoundary(c) {
				break
			}
			marked = marked || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`' || c == '['
			j++
		}
		if marked {
			var ok bool
			if buf, ok = unevade(buf[:0], s[i:j]); ok {
				return i, j, buf
			}
		}
		i = j
	}
	return -1, -1, buf
}

// emptySubst returns the length of an empty command or process
// substitution at s[i] ("$()", "<()", ">()", "“"), or 0.
func emptySubst(s string, i int) int {
	if i+2 < len(s) && (s[i] == '$' || s[i] == '<' || s[i] == '>') && s[i+1] == '(' && s[i+2] == ')' {
		return 3
	}
	if i+1 < len(s) && s[i] == '`' && s[i+1] == '`' {
		return 2
	}
	return 0
}

// unevade removes from one shell word the pieces that expand to nothing
// and reports whether what remains is a command name and at least one
// piece sat inside it. Quotes alone count only in pairs ("I'd" is prose,
// ti”me is not) and only for command names of three letters or more.
func unevade(dst []byte, w string) ([]byte, bool) {
	if len(w) < 3 || len(w) > 64 {
		return dst, false
	}
	inner, quotes := 0, 0 // removed pieces with word bytes on both sides; quote bytes
	strongPiece := false  // a removed piece that is never prose: $(), ``, $!, \x
	for k := 0; k < len(w); {
		c := w[k]
		n := 0 // bytes of w removed at k
		quote := false
		switch c {
		case '\'', '"':
			n, quote = 1, true
		case '\\':
			n = 1
		case '`':
			n = emptySubst(w, k)
		case '<', '>':
			n = emptySubst(w, k)
		case '$':
			if n = emptySubst(w, k); n > 0 {
				break
			}
			if k+1 >= len(w) {
				return dst, false
			}
			switch d := w[k+1]; {
			case d == '!' || d == '?' || d == '_' || d == '-' || d == '$' || d == '@' || d == '*' || d == '#' || lex.IsDigit(d):
				n = 2
			case d == '\'' || d == '"': // $'...' ANSI-C and $"..." locale quoting
				n = 1
			case d == '{':
				e := strings.IndexByte(w[k:], '}')
				if e < 0 || len(dst) == 0 && k+e+1 == len(w) {
					return dst, false
				}
				n = e + 1
			case lex.IsAlpha(d):
				if len(dst) == 0 {
					return dst, false // a variable as the command: not an evasion
				}
				e := k + 1
				for e < len(w) && lex.IsWord(w[e]) {
					e++
				}
				n = e - k
			default:
				return dst, false
			}
		case '[':
			// a one-byte bracket glob: adduse[r]
			if k+2 < len(w) && w[k+2] == ']' && lex.IsAlnum(w[k+1]) {
				dst = append(dst, w[k+1])
				inner++
				strongPiece = true
				k += 3
				continue
			}
			return dst, false
		default:
			if !lex.IsWord(c) && c != '.' && c != '-' {
				return dst, false
			}
			dst = append(dst, c)
			k++
			continue
		}
		if n == 0 {
			return dst, false
		}
		after := false
		for x := k + n; x < len(w); x++ {
			if lex.IsAlnum(w[x]) {
				after = true
				break
			}
		}
		// A piece counts when the word has bytes before it and, for quotes
		// and backslashes, after it too ("ping$()" and "uname$u" end in
		// one; "'cat'" and "cat\" are quoting, not evasion).
		if len(dst) > 0 && (after || !quote && c != '\\') {
			inner++
			if quote {
				quotes++
			} else {
				strongPiece = true
			}
		}
		k += n
	}
	if inner == 0 || len(dst) < 2 {
		return dst, false
	}
	name, strong, ok := CommandName(lex.View(dst))
	if !ok {
		return dst, false
	}
	if !strongPiece && (quotes < 2 || len(name) < 3 && !strong) {
		return dst, false
	}
	return dst, true
}

// VarCommand finds a command run through a variable assigned in the same
// input: "a=nc&&$a -nlvp 555", "c1=c;c2=a;c3=t;$c1$c2$c3 /etc/passwd",
// "garb=adduse[r];$garb x". It reads up to 16 assignments at command
// positions, then expands the first word of each command that starts with
// "$"; the input is read a bounded number of times.
func VarCommand(s string, buf []byte) (int, []byte) {
	type assign struct{ name, val string }
	var vars [16]assign
	nv := 0
	for i := 0; i < len(s) && nv < len(vars); i++ {
		if i > 0 && !Separator(s[i-1]) && s[i-1] != '=' {
			continue
		}
		j := i
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j == i || j >= len(s) || s[j] != '=' || lex.IsDigit(s[i]) {
			continue
		}
		k := j + 1
		var val string
		switch {
		case k < len(s) && (s[k] == '\'' || s[k] == '"'):
			e := strings.IndexByte(s[k+1:], s[k])
			if e < 0 {
				continue
			}
			val = s[k+1 : k+1+e]
		case k+1 < len(s) && s[k] == '\\':
			val = s[k+1 : k+2] // an escaped byte: c4=\ (a space)
		case k < len(s) && s[k] == '`':
			e := strings.IndexByte(s[k+1:], '`')
			if e < 0 {
				continue
			}
			val = "x" // a command's output: any word
		default:
			e := k
			for e < len(s) && !Separator(s[e]) && !lex.IsSpace(s[e]) {
				e++
			}
			val = s[k:e]
		}
		if len(val) > 64 {
			continue
		}
		vars[nv] = assign{s[i:j], val}
		nv++
	}
	if nv == 0 {
		return -1, buf
	}
	lookup := func(name string) (string, bool) {
		for _, v := range vars[:nv] {
			if v.name == name {
				return v.val, true
			}
		}
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i > 0 && !Separator(s[i-1]) && !(i > 1 && lex.IsSpace(s[i-1]) && Separator(s[i-2])) {
			continue
		}
		// expand the word at i: $name, ${name}, literal bytes
		buf = buf[:0]
		expanded := false
		k := i
		for k < len(s) && !lex.IsSpace(s[k]) && !Separator(s[k]) && len(buf) < 128 {
			if s[k] != '$' {
				buf = append(buf, s[k])
				k++
				continue
			}
			a, b := k+1, k+1
			if b < len(s) && s[b] == '{' {
				a++
				b++
			}
			for b < len(s) && lex.IsWord(s[b]) {
				b++
			}
			val, ok := lookup(s[a:b])
			if !ok {
				break
			}
			buf = append(buf, val...)
			expanded = true
			if b < len(s) && s[b] == '}' {
				b++
			}
			k = b
		}
		if !expanded {
			continue
		}
		// the expansion may hold blanks (c4="\ "): its first word is the command
		w := lex.View(buf)
		if e := strings.IndexAny(w, " \t"); e >= 0 {
			w = w[:e]
		}
		w = w[strings.LastIndexByte(w, '/')+1:]
		if _, _, ok := CommandName(w); ok && len(w) >= 2 {
			return i, buf
		}
		var scratch [64]byte
		if d, ok := unevade(scratch[:0], w); ok || len(d) >= 2 && func() bool { _, _, ok := CommandName(lex.View(d)); return ok }() {
			return i, buf
		}
	}
	return -1, buf
}

// Separator reports whether c is a byte after which a new shell command starts.
func Separator(c byte) bool {
	return c == ';' || c == '&' || c == '|' || c == '\n' || c == '`' || c == '('
}

// SelfCallingFunction finds a shell function whose body runs itself in a
// pipeline or in the background, the fork-bomb shape: ":(){ :|:& };:",
// "f(){ f & f; };f", "test() { test | test & } test". Linear: each "()"
// is examined once, with its body.
func SelfCallingFunction(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "()")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		b := i
		for b > 0 && (lex.IsWord(s[b-1]) || s[b-1] == ':' || s[b-1] == '.') {
			b--
		}
		if b == i || b > 0 && !lex.IsSpace(s[b-1]) && !Separator(s[b-1]) {
			continue
		}
		name := s[b:i]
		j := lex.SkipSpace(s, i+2)
		if j >= len(s) || s[j] != '{' {
			continue
		}
		w := s[j:min(len(s), j+258)] // a body of at most 256 bytes
		// the body ends at '}'; a '{' before it opens another body, which
		// its own "()" is judged for ("f(){ f f(){ f..." stays linear)
		end := strings.IndexAny(w[1:], "{}")
		if end < 0 {
			end = len(w) - 1
		}
		body := w[1 : end+1]
		for k := 0; k < len(body); {
			x := strings.Index(body[k:], name)
			if x < 0 {
				break
			}
			x += k
			k = x + len(name)
			if x > 0 && (lex.IsWord(body[x-1]) || body[x-1] == ':' || body[x-1] == '.') {
				continue
			}
			r := strings.TrimLeft(strings.TrimPrefix(body[k:], "()"), " \t")
			if strings.HasPrefix(r, "|") || strings.HasPrefix(r, "&") && !strings.HasPrefix(r, "&&") {
				return b
			}
		}
	}
	return -1
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

// GluedSeparatorCommand finds a separator glued to a command word at the
// start of the value or after a blank: ";top", " |id", "&&ls", ";at 2:00".
// Prose puts a blank after ';' and '|'; backticks are left to cmd.go,
// which tells inline code in prose from substitutions. Paranoia 2.
func GluedSeparatorCommand(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		n := 0
		switch {
		case c == ';' || c == '|' && (i+1 >= len(s) || s[i+1] != '|'):
			n = 1
		case c == '&' && i+1 < len(s) && s[i+1] == '&', c == '|' && i+1 < len(s) && s[i+1] == '|':
			n = 2
		default:
			continue
		}
		if i > 0 && !lex.IsSpace(s[i-1]) && s[i-1] != '\'' && s[i-1] != '"' {
			i += n - 1
			continue
		}
		j := i + n
		if j >= len(s) || !lex.IsAlpha(s[j]) {
			i += n - 1
			continue
		}
		w, _, we := CommandWordAt(s, j)
		if _, _, ok := CommandName(w); ok && WordEnds(s, we) {
			return i
		}
		if w == "at" && we+1 < len(s) && s[we] == ' ' && (lex.IsDigit(s[we+1]) || strings.HasPrefix(s[we+1:], "now")) {
			return i
		}
		i += n - 1
	}
	return -1
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
	t := strings.TrimLeft(s, " \t")
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
