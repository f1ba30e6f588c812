package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Shell shapes the command-position lexer of cmd.go does not see: command
// names split by expansions that expand to nothing, commands run through
// variables assigned in the same input, self-replicating functions, SQLite
// shell dot commands, mail protocol verbs injected after a CRLF, and (at
// paranoia 2) lone command words where a command could start.

// commandName looks w up as a command word, also in its versioned form
// (python3.10, gcc7.4, php8.2); strong reports a word that is a tool
// rather than also an English word.
func commandName(w string) (name string, strong, ok bool) {
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

// evasionToken reports whether c ends a shell word for evadedCommand:
// blanks, separators, redirects, argument punctuation.
func evasionBoundary(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', ';', '|', '&', ',', '{', '}', '/', '=', '+', '(', ')', '<', '>':
		return true
	}
	return false
}

// evadedCommand finds a command name hidden by shell constructs that expand
// to nothing inside the word: pi“ng, pi$()ng, pi<()ng, c$!at, una$$me,
// uname$u, ${x}gcc, n$u\c$u, ""p""y""t""h""o""n. The shell runs the
// command; nothing but an evasion writes a command name that way. Each word
// is read once (linear in s); buf is scratch. It returns the word's bounds.
func evadedCommand(s string, buf []byte) (start, end int, _ []byte) {
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
			case d == '!' || d == '?' || d == '_' || d == '-' || d == '$' || d == '@' || d == '*' || d == '#' || isDigit(d):
				n = 2
			case d == '\'' || d == '"': // $'...' ANSI-C and $"..." locale quoting
				n = 1
			case d == '{':
				e := strings.IndexByte(w[k:], '}')
				if e < 0 || len(dst) == 0 && k+e+1 == len(w) {
					return dst, false
				}
				n = e + 1
			case isAlpha(d):
				if len(dst) == 0 {
					return dst, false // a variable as the command: not an evasion
				}
				e := k + 1
				for e < len(w) && isWord(w[e]) {
					e++
				}
				n = e - k
			default:
				return dst, false
			}
		case '[':
			// a one-byte bracket glob: adduse[r]
			if k+2 < len(w) && w[k+2] == ']' && isAlnum(w[k+1]) {
				dst = append(dst, w[k+1])
				inner++
				strongPiece = true
				k += 3
				continue
			}
			return dst, false
		default:
			if !isWord(c) && c != '.' && c != '-' {
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
			if isAlnum(w[x]) {
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
	name, strong, ok := commandName(unsafeString(dst))
	if !ok {
		return dst, false
	}
	if !strongPiece && (quotes < 2 || len(name) < 3 && !strong) {
		return dst, false
	}
	return dst, true
}

// varCommand finds a command run through a variable assigned in the same
// input: "a=nc&&$a -nlvp 555", "c1=c;c2=a;c3=t;$c1$c2$c3 /etc/passwd",
// "garb=adduse[r];$garb x". It reads up to 16 assignments at command
// positions, then expands the first word of each command that starts with
// "$"; the input is read a bounded number of times.
func varCommand(s string, buf []byte) (int, []byte) {
	type assign struct{ name, val string }
	var vars [16]assign
	nv := 0
	for i := 0; i < len(s) && nv < len(vars); i++ {
		if i > 0 && !cmdSeparator(s[i-1]) && s[i-1] != '=' {
			continue
		}
		j := i
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j == i || j >= len(s) || s[j] != '=' || isDigit(s[i]) {
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
			for e < len(s) && !cmdSeparator(s[e]) && !isSpace(s[e]) {
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
		if s[i] != '$' || i > 0 && !cmdSeparator(s[i-1]) && !(i > 1 && isSpace(s[i-1]) && cmdSeparator(s[i-2])) {
			continue
		}
		// expand the word at i: $name, ${name}, literal bytes
		buf = buf[:0]
		expanded := false
		k := i
		for k < len(s) && !isSpace(s[k]) && !cmdSeparator(s[k]) && len(buf) < 128 {
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
			for b < len(s) && isWord(s[b]) {
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
		w := unsafeString(buf)
		if e := strings.IndexAny(w, " \t"); e >= 0 {
			w = w[:e]
		}
		w = w[strings.LastIndexByte(w, '/')+1:]
		if _, _, ok := commandName(w); ok && len(w) >= 2 {
			return i, buf
		}
		var scratch [64]byte
		if d, ok := unevade(scratch[:0], w); ok || len(d) >= 2 && func() bool { _, _, ok := commandName(unsafeString(d)); return ok }() {
			return i, buf
		}
	}
	return -1, buf
}

// cmdSeparator reports a byte after which a new shell command starts.
func cmdSeparator(c byte) bool {
	return c == ';' || c == '&' || c == '|' || c == '\n' || c == '`' || c == '('
}

// selfCallingFunction finds a shell function whose body runs itself in a
// pipeline or in the background, the fork-bomb shape: ":(){ :|:& };:",
// "f(){ f & f; };f", "test() { test | test & } test". Linear: each "()"
// is examined once, with its body.
func selfCallingFunction(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "()")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		b := i
		for b > 0 && (isWord(s[b-1]) || s[b-1] == ':' || s[b-1] == '.') {
			b--
		}
		if b == i || b > 0 && !isSpace(s[b-1]) && !cmdSeparator(s[b-1]) {
			continue
		}
		name := s[b:i]
		j := skipSpace(s, i+2)
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
			if x > 0 && (isWord(body[x-1]) || body[x-1] == ':' || body[x-1] == '.') {
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

// detectShellShapes runs the structural shell checks of this file that
// hold at paranoia 1; it reports whether one fired.
func (in *input) detectShellShapes() bool {
	m := in.mask
	raw := in.lower()
	if m.has(bQuote | bDQuote | bBackslash | bDollar | bBacktick | bBracket | bLT | bGT) {
		var a, b int
		if a, b, in.sc.norm = evadedCommand(raw, in.sc.norm); a >= 0 {
			in.emit(CommandInj, "cmdi-evasion", 8, a, b+16)
			return true
		}
	}
	if m.hasAll(bEq | bDollar) {
		var i int
		if i, in.sc.norm = varCommand(raw, in.sc.norm); i >= 0 {
			in.emit(CommandInj, "cmdi-variable", 8, i, i+32)
			return true
		}
	}
	if m.hasAll(bParen | bLBrace) {
		if i := selfCallingFunction(raw); i >= 0 {
			in.emit(CommandInj, "cmdi-fork-bomb", 8, i, i+32)
			return true
		}
	}
	if m.hasAll(bSemi | bDot) {
		if i := sqliteShell(raw, in.paranoid()); i >= 0 {
			in.emit(CommandInj, "cmdi-sqlite-shell", 8, i, i+32)
			return true
		}
	}
	if m.has(bNewline) {
		if i := mailCommand(raw, in.paranoid()); i >= 0 {
			in.emit(CommandInj, "cmdi-mail-command", 7, i, i+32)
			return true
		}
	}
	if m.has(bSlash) && m.has(bQuestion|bStar|bBracket) {
		if i := globbedCommand(raw); i >= 0 {
			in.emit(CommandInj, "cmdi-glob", 8, i, i+32)
			return true
		}
	}
	return false
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

// commandStart reports a value that reads as one shell command: a command
// word first (after time, nohup, sudo ... prefixes) with arguments that
// fit it, and no more than seven words. Paranoia 2: "ls foo bar",
// "env --version", "pip install x" are also ordinary sentences' shapes in
// other fields.
func commandStart(s string, lone bool) (end int, ok bool) {
	k0 := skipSpace(s, 0)
	if k0 >= len(s) || !isAlpha(s[k0]) && s[k0] != '/' {
		return 0, false
	}
	w, _, we := cmdWordAt(s, k0)
	name, strong, known := commandName(w)
	if !known || !wordEnds(s, we) || wordCount(s) > 8 || strings.Contains(s, ", ") {
		return 0, false
	}
	k := skipSpace(s, we)
	if k >= len(s) {
		return we, lone && strong && (loneTools[name] || strings.IndexByte(name, '-') > 0)
	}
	a := s[k]
	shellArg := a == '-' && k+1 < len(s) && (isAlpha(s[k+1]) || s[k+1] == '-') ||
		a == '/' || a == '~' || a == '$' || a == '>' || a == '<' || a == '|' || a == '`' ||
		strings.HasPrefix(s[k:], "./") || segmentLooksShell(s, we) || scriptArg(s[k:])
	if shellArg {
		return we, true
	}
	if !strong || proseCommands[name] {
		// a file or host argument: python app.py, curl example.org
		e := k
		for e < len(s) && !isSpace(s[e]) {
			e++
		}
		arg := s[k:e]
		return we, strong && !proseCommands[name] || proseCommands[name] && strings.IndexByte(arg, '.') > 0 && isAlnum(arg[len(arg)-1])
	}
	return we, isAlnum(a)
}

// gluedSeparatorCommand finds a separator glued to a command word at the
// start of the value or after a blank: ";top", " |id", "&&ls", ";at 2:00".
// Prose puts a blank after ';' and '|'; backticks are left to cmd.go,
// which tells inline code in prose from substitutions. Paranoia 2.
func gluedSeparatorCommand(s string) int {
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
		if i > 0 && !isSpace(s[i-1]) && s[i-1] != '\'' && s[i-1] != '"' {
			i += n - 1
			continue
		}
		j := i + n
		if j >= len(s) || !isAlpha(s[j]) {
			i += n - 1
			continue
		}
		w, _, we := cmdWordAt(s, j)
		if _, _, ok := commandName(w); ok && wordEnds(s, we) {
			return i
		}
		if w == "at" && we+1 < len(s) && s[we] == ' ' && (isDigit(s[we+1]) || strings.HasPrefix(s[we+1:], "now")) {
			return i
		}
		i += n - 1
	}
	return -1
}

// detectCmdWords is the paranoia-2 shell check: lone command words where
// a command could start. s is the shell-normalised text. Unix shells are
// case-sensitive, so a capitalised word ("Axel Smith", "Find your
// solution -> here") does not run a command; Windows tools are not looked
// for here.
func (in *input) detectCmdWords(s string) {
	if !in.e.Enabled(CommandInj) {
		return
	}
	if (in.v.Part != event.PartHeader || in.sink == sinkUserAgent) && prefixed(s, true) && lowerStart(in.text) {
		// "time bsdtar", "nohup nc ...": a tool run under a prefix that
		// times, detaches or traces it is a probe, not a sentence.
		in.emit(CommandInj, "cmdi-command", 7, 0, 32)
		return
	}
	if !in.paranoid() {
		return
	}
	if in.v.Part == event.PartHeader && in.sink != sinkUserAgent && in.v.Key != "referer" {
		return
	}
	if in.v.Key == "referer" && !in.isKey {
		// the parameters of the page that linked here
		if q := strings.IndexByte(in.text, '?'); q >= 0 {
			for _, p := range strings.Split(in.text[q+1:], "&") {
				if _, v, ok := strings.Cut(p, "="); ok && lowerStart(v) {
					if _, ok := commandStart(strings.ToLower(v), false); ok {
						in.emit(CommandInj, "cmdi-command-word", 6, q, q+32)
						return
					}
				}
			}
		}
		return
	}
	t, raw := s, in.text
	if in.sink == sinkUserAgent {
		// "code=ansible-console": a parameter pasted into the header
		if k, v, ok := strings.Cut(t, "="); ok && strings.IndexByte(k, ' ') < 0 && strings.IndexByte(k, '/') < 0 {
			t = v
			_, raw, _ = strings.Cut(raw, "=")
		}
	}
	// A whole command line is also what people paste into comment boxes
	// ("docker build -t app .", "ping 127.0.0.1"): in an ordinary
	// parameter only a short command of a tool that is not a product
	// name counts; command-like parameters, names, the User-Agent (a
	// client names itself there, "curl/8.0") and the Referer's parameters
	// take any.
	wide := in.sink == sinkCmd || in.sink == sinkUserAgent || in.isKey || in.sink == sinkKey
	if lowerStart(raw) {
		if we, ok := commandStart(t, !in.isKey && in.sink != sinkKey); ok {
			name, _, _ := commandName(lastPathElem(t[skipSpace(t, 0):we]))
			if wide || wordCount(t) <= 3 && !proseCommands[name] || prefixed(t, false) {
				in.emit(CommandInj, "cmdi-command-word", 6, 0, 32)
				return
			}
		}
	}
	if i := gluedSeparatorCommand(in.lower()); i >= 0 && lowerStart(in.text[i:]) {
		in.emit(CommandInj, "cmdi-command-word", 6, i, i+32)
		return
	}
	if tr := strings.TrimSpace(s); len(tr) >= 2 && tr[0] == '~' && strings.Trim(tr[1:], "0123456789") == "" {
		in.emit(CommandInj, "cmdi-expansion", 5, 0, len(tr))
	}
}

// lowerStart reports whether the first letter of s, after blanks and
// separators, is lower-case.
func lowerStart(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) {
			return c >= 'a'
		}
		if !isSpace(c) && !cmdSeparator(c) && c != '/' {
			return false
		}
	}
	return false
}

// prefixed reports a command run through a prefix that times, detaches
// or traces it ("time curl x", "nohup nc ..."): a probe for blind
// command injection rather than a pasted command line. strong asks for
// a tool name after the prefix, not a word that is also English.
func prefixed(s string, strong bool) bool {
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
	w, _, we := cmdWordAt(t, p)
	name, isStrong, ok := commandName(w)
	return ok && wordEnds(t, we) && name != t[:p] && (isStrong || !strong)
}

func lastPathElem(w string) string { return w[strings.LastIndexByte(w, '/')+1:] }

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

// wordCount counts the blank-separated words of s.
func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := isSpace(s[i])
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}
