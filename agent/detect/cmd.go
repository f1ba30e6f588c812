package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Command words, by how much they say on their own. Strong words are
// unambiguous tools; weak words are also English words ("cat", "id", "time")
// and need shell-like arguments or the end of the value to count.
var strongCommands = map[string]bool{
	"whoami": true, "uname": true, "wget": true, "curl": true, "nc": true, "ncat": true, "netcat": true,
	"bash": true, "sh": true, "zsh": true, "ksh": true, "csh": true, "tcsh": true, "dash": true, "ash": true,
	"chmod": true, "chown": true, "passwd": true, "ifconfig": true, "ipconfig": true, "nslookup": true,
	"ping": true, "telnet": true, "python": true, "python2": true, "python3": true, "perl": true, "ruby": true,
	"php": true, "powershell": true, "pwsh": true, "cmd": true, "certutil": true, "systeminfo": true,
	"tasklist": true, "netstat": true, "base64": true, "xxd": true, "busybox": true, "socat": true,
	"mkfifo": true, "useradd": true, "usermod": true, "adduser": true, "deluser": true, "userdel": true, "groupadd": true, "crontab": true, "nohup": true, "sudo": true,
	"dig": true, "host": false, "traceroute": true, "tftp": true, "ftp": true, "scp": true, "ssh": true,
	"rsync": true, "wmic": true, "bitsadmin": true, "rundll32": true, "regsvr32": true, "mshta": true,
	"cscript": true, "wscript": true, "msiexec": true, "net": false, "reg": false, "schtasks": true,
	"hostname": true, "getent": true, "lsb_release": true, "killall": true, "pkill": true, "gcc": true,
	"awk": true, "gawk": true, "sed": true, "xargs": true, "tee": true, "dd": true, "openssl": true,
	"tcpdump": true, "nmap": true, "iptables": true, "shutdown": true, "reboot": true, "halt": true,
	"printenv": true, "lsof": true, "strings": true, "nl": true, "od": true, "hexdump": true, "grep": true,
	"egrep": true, "fgrep": true, "tac": true, "uniq": true, "wc": true, "chattr": true, "lsattr": true,
	"jrunscript": true, "node": true, "nodejs": true, "lua": true, "java": true, "javac": true, "irb": true,
	"expect": true, "timeout": false, "eval": true, "exec": true, "systemctl": true, "service": false,
	"apt": false, "apt-get": true, "yum": true, "pip": true, "npm": false, "docker": true, "kubectl": true,
	"aws": false, "ls": true, "pwd": true, "id": false, "cat": false, "echo": false, "sleep": false,
	"tail": false, "head": false, "more": false, "less": false, "rm": false, "cp": false, "mv": false,
	"touch": false, "env": false, "set": false, "find": false, "sort": false, "kill": false,
	"ps": false, "who": false, "w": false, "last": false, "file": false, "type": false, "dir": false,
	"date": false, "time": false, "test": false, "which": false, "whereis": false, "locate": false,
	"mail": false, "uptime": false, "df": false, "du": false, "free": false, "mount": false, "vi": false,
	"vim": false, "nano": false, "tar": false, "zip": false, "unzip": false, "gzip": false, "diff": false,
	"cut": false, "tr": false, "rev": false, "print": false, "sysinfo": false, "ver": false, "copy": false,
	"del": false, "ren": false, "start": false, "call": false, "ipconfig.exe": true, "powershell.exe": true,
	"cmd.exe": true, "sh.exe": true, "curl.exe": true, "wget.exe": true, "whoami.exe": true, "net.exe": true,
	"getfacl": true, "history": false, "alias": false, "export": false, "unset": false, "source": false,
	"umask": false, "mkdir": false, "rmdir": false, "ln": false, "sum": false, "md5sum": true, "sha1sum": true,
	"sha256sum": true, "cksum": true, "base32": true, "zcat": true, "bzcat": true, "xzcat": true,
	"iwr": true, "iwmi": true, "iex": true, "irm": true, "gwmi": true, "saps": true, "sal": false, "icm": true,
	"column": true, "fold": true, "comm": true, "flock": true, "cpulimit": true, "bsdtar": true, "perf": true,
	"ansible": true, "ansible-config": true, "ansible-playbook": true, "bridge": true, "paste": false, "join": false,
	"look": false, "split": false, "expand": false, "fmt": false, "pr": false, "csplit": true, "iconv": true,
	"sqlite3": true, "mysql": true, "psql": true, "mongo": true, "redis-cli": true, "ssh-keygen": true, "gpg": true,
	"7z": true, "rar": true, "unrar": true, "cpio": true, "ar": false, "make": false, "gdb": true,
	"tclsh": true, "wish": true, "rlwrap": true, "script": false, "screen": true, "tmux": true, "setarch": true,
	"taskset": true, "ionice": true, "chrt": true, "capsh": true, "unshare": true, "nsenter": true, "runc": true,
	"ctr": true, "crictl": true, "podman": true, "lxc": true, "virsh": true, "journalctl": true, "dmesg": true,
	"sysctl": true, "modprobe": true, "insmod": true, "lsmod": true, "ip": false, "ss": false, "arp": true,
	"route": false, "iwconfig": true, "nmcli": true, "whois": true, "finger": true, "mtr": true,
	"cd": false, "chdir": false, "pushd": true, "popd": true, "readlink": true, "realpath": true, "stat": false,
	"uuencode": true, "uudecode": true, "shred": true, "wipe": true, "srm": true, "truncate": false,
	"visudo": true, "ansible-console": true, "ansible-galaxy": true, "ansible-doc": true, "ansible-vault": true,
	"ansible-inventory": true, "chef": true, "chef-vault": true, "knife": true, "salt": false, "puppet": true,
	"trap": false, "rmt": true, "rmt-tar": true, "rmt-dump": true, "c89": true, "c99": true, "cc": false,
	"clang": true, "g++": true, "ab": false,
	"ansible-pull": true, "chef-shell": true, "chef-run": true, "chef-client": true, "chef-solo": true, "chef-apply": true,
	"cscli": true, "aa-disable": true, "aa-exec": true, "aa-enforce": true, "aa-complain": true, "bcdboot": true, "bcdedit": true,
	"regedit": true, "aptitude": false, "pipx": true, "ssh-copy-id": true, "ssh-add": true, "ex": false, "top": false,
	"ll": false, "rc": false, "htop": true, "pgrep": true, "nproc": true, "lscpu": true, "lsblk": true,
	"fetch": false, "lwp-download": true, "lynx": true, "links": false, "aria2c": true, "axel": true,
}

// shellNorm removes the quoting and expansion tricks that hide command words:
// c'a't, c"a"t, c\at, c$@at, $IFS/${IFS}/$IFS$9, {cat,/etc/passwd}.
func shellNorm(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\'', '"':
			// drop quotes that sit inside or next to a word
			if i > 0 && isWord(s[i-1]) || i+1 < len(s) && isWord(s[i+1]) {
				continue
			}
		case '\\':
			if i+1 < len(s) && (isAlnum(s[i+1]) || s[i+1] == '/' || s[i+1] == '.') {
				continue
			}
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue
			}
		case '$':
			r := s[i+1:]
			switch {
			case strings.HasPrefix(r, "{ifs}"), strings.HasPrefix(r, "{ifs%??}"):
				dst = append(dst, ' ')
				i += strings.IndexByte(r, '}') + 1
				continue
			case strings.HasPrefix(r, "ifs"):
				dst = append(dst, ' ')
				i += 3
				if i+2 < len(s) && s[i+1] == '$' && isDigit(s[i+2]) {
					i += 2
				}
				continue
			case strings.HasPrefix(r, "@"), strings.HasPrefix(r, "*"):
				i++
				continue
			case len(r) > 0 && isDigit(r[0]) && (i > 0 && isWord(s[i-1])):
				i++
				continue
			case len(r) > 0 && isAlpha(r[0]) && i > 0 && isWord(s[i-1]):
				// an unset variable glued to a word: sh$xx, c$u"a"t
				j := 0
				for j < len(r) && isWord(r[j]) {
					j++
				}
				i += j
				continue
			case strings.HasPrefix(r, "{}"):
				i += 2
				continue
			case strings.HasPrefix(r, "()"):
				i += 2
				continue
			}
		case '+':
			// a '+' left by a second URL-decoding layer is a space to
			// the application that decodes once more
			dst = append(dst, ' ')
			continue
		case '{':
			// brace expansion {cmd,arg}: a separator before the command
			// (an element list of at most 256 bytes: a value of unclosed
			// braces is read in bounded pieces)
			if j := strings.IndexByte(s[i:min(len(s), i+256)], '}'); j > 0 && strings.IndexByte(s[i:i+j], ',') > 0 && strings.IndexByte(s[i:i+j], ' ') < 0 {
				dst = append(dst, ';')
				seg := s[i+1 : i+j]
				for k := 0; k < len(seg); k++ {
					switch c := seg[k]; {
					case c == ',':
						dst = append(dst, ' ')
					case c == '\'' || c == '"':
						// quoting inside an element: {,$'whoami',}
					case c == '$' && k+1 < len(seg) && (seg[k+1] == '\'' || seg[k+1] == '"'):
					default:
						dst = append(dst, c)
					}
				}
				dst = append(dst, ' ')
				i += j
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// cmdWordAt reads a command word at i: optional path prefix and .exe suffix.
func cmdWordAt(s string, i int) (word string, start, end int) {
	i = skipSpace(s, i)
	for i < len(s) && (s[i] == '(' || s[i] == '{' || s[i] == '!') {
		i = skipSpace(s, i+1)
	}
	start = i
	j := i
	for j < len(s) && (isWord(s[j]) || s[j] == '/' || s[j] == '.' || s[j] == '-' || s[j] == ':' && j == i+1) {
		j++
	}
	w := s[i:j]
	if k := strings.LastIndexAny(w, "/\\"); k >= 0 {
		w = w[k+1:]
	}
	w = strings.TrimSuffix(w, ".exe")
	// interpreters with versions: python3.10, perl5.36, php8.2
	for _, p := range [...]string{"python", "perl", "ruby", "php", "node", "lua", "pip"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) && strings.Trim(w[len(p):], "0123456789.") == "" {
			w = p
		}
	}
	// command prefixes run the next word: time bsdtar, sudo -u x id, nohup nc
	switch w {
	case "time", "nohup", "sudo", "exec", "command", "builtin", "xargs", "nice", "stdbuf", "strace", "ltrace", "doas", "chroot", "unbuffer", "busybox":
		if nw, ns, ne := cmdWordAt(s, j); nw != "" && ns > j {
			if _, ok := strongCommands[nw]; ok {
				return nw, ns, ne
			}
		}
	}
	return w, start, j
}

// argsLookShell reports whether what follows a weak command word looks like
// shell arguments: end of input, a flag, a path, a redirect, a number, a
// variable, or another separator.
func argsLookShell(s string, j int) bool {
	if segmentLooksShell(s, j) {
		return true
	}
	k := skipSpace(s, j)
	if k >= len(s) {
		return true
	}
	if k == j && isWord(s[k]) {
		return false // "cats"
	}
	c := s[k]
	switch c {
	case '-', '/', '~', '>', '<', '|', ';', '$', '`', '.', '*', ')', '\'', '"', '\n', '#', '%':
		return true
	}
	if isDigit(c) {
		return true
	}
	if c == 'c' && k+2 < len(s) && s[k+1] == ':' {
		return true
	}
	return false
}

// windowsBatch finds cmd.exe FOR and IF statements: "for %%g in (...) do",
// "for /f ... in (...) do", "if exist x echo", "if %errorlevel% gtr 2".
func windowsBatch(s string) int {
	if batchIf(s) {
		return 0
	}
	if i := indexWord(s, "for"); i >= 0 {
		r := s[i+3:]
		in := strings.Index(r, " in ")
		do := strings.Index(r, " do")
		if in < 0 {
			in = strings.Index(r, " in(")
		}
		if do < 0 {
			do = strings.Index(r, ")do")
		}
		if in >= 0 && do > in && (strings.Contains(r[:in], "%") || strings.Contains(r[:in], "/")) && strings.IndexByte(r[in:], '(') >= 0 {
			return i
		}
	}
	if i := indexWord(s, "if"); i >= 0 {
		// IF's condition and command stand on one line: a C "if (a ==
		// b) {" has its statements on the next ones
		line := s[i+2:]
		if e := strings.IndexByte(line, '\n'); e >= 0 {
			line = line[:e]
		}
		r := " " + strings.TrimSpace(line) + " "
		if i == 0 {
			for _, w := range [...]string{" exist ", " not exist ", " errorlevel ", " defined ", " not defined "} {
				if strings.HasPrefix(r, w) {
					return i
				}
			}
		}
		for _, w := range [...]string{" exist ", " not exist ", " errorlevel ", " defined ", " equ ", " neq ", " lss ", " leq ", " gtr ", " geq ", " /i ", "==", " cmdextversion "} {
			if j := strings.Index(r, w); j >= 0 && j < 16 || strings.Contains(r, w) && strings.Contains(r, "%") {
				for _, c := range [...]string{"echo", "goto", "call", "cmd", "del", "copy", "set", "start", "exit", "cd", "type", "dir", "move", "ren", "md", "rd"} {
					if indexWord(r, c) >= 0 {
						return i
					}
				}
			}
		}
	}
	return -1
}

// shellExpansion finds shell-only expansions: a process substitution
// running a command, <(cat file), and parameter expansion with pattern
// removal, ${x#pattern}, ${PATH%/*}, ${v//a/b}, which no template language
// writes (${PORT:-80} defaults are left alone: configuration uses them).
func shellExpansion(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<(")
		if i < 0 {
			break
		}
		i += off
		if w, _, _ := cmdWordAt(s, skipSpace(s, i+2)); w != "" {
			if _, ok := strongCommands[w]; ok {
				return i
			}
		}
		off = i + 2
	}
	lastBrace := strings.LastIndexByte(s, '}')
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "${")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j > i+2 && j < len(s) && (s[j] == '#' || s[j] == '%' || strings.HasPrefix(s[j:], "//")) && j < lastBrace {
			return i
		}
		off = i + 2
	}
	return -1
}

// globWordBreaks end a shell word for globbing: blanks, operators,
// quotes, expansions and brace-expansion commas.
const globWordBreaks = " \t\r\n;|&`()<>'\"{}$=,"

// maxGlobWord bounds the words searched for globbed file names; a path
// is far shorter.
const maxGlobWord = 256

// shellPhrases are invocations that mean a shell or interpreter is being
// driven, wherever they appear.
var shellPhrases = [...]string{"/dev/tcp/", "/dev/udp/", "bash -i", "sh -i", "nc -e", "ncat -e", "nc -c", "mkfifo /tmp", "cmd /c", "cmd.exe /c", "cmd /k", "cmd.exe /k", "powershell -", "powershell.exe", "pwsh -", "invoke-expression", "invoke-webrequest", "iex(", "iex (", "downloadstring(", "downloadfile(", "start-process", "new-object net.webclient", "certutil -urlcache", "certutil.exe -urlcache", "bitsadmin /transfer", "wmic process", "net user ", "net localgroup", "/bin/sh -c", "/bin/bash -c", "sh -c ", "bash -c ", "python -c", "python3 -c", "perl -e", "ruby -e", "php -r", "xterm -display", "socat exec", "busybox nc", "busybox sh"}

// shellPhraseBytes holds the byte set of each of shellPhrases.
var shellPhraseBytes = lex.BytesOfAll(shellPhrases[:])

// cmdPhrase emits a signal for the first shell phrase in s; have is the
// byte set of s, or nil to build it here.
func (in *input) cmdPhrase(s string, have *lex.ByteSet) bool {
	if have == nil {
		set := lex.BytesOf(s)
		have = &set
	}
	for k, w := range shellPhrases {
		if !have.Covers(&shellPhraseBytes[k]) {
			continue
		}
		if i := strings.Index(s, w); i >= 0 && (i == 0 || !isWord(s[i-1])) {
			in.emit(CommandInj, "cmdi-shell", 9, i, i+32)
			return true
		}
	}
	return false
}

// detectCmdPhrases is the cheap check for plain text: shell phrases only.
func (in *input) detectCmdPhrases() {
	if in.e.Enabled(CommandInj) {
		in.cmdPhrase(in.lower(), in.lowerBytes())
	}
}

// detectCmd lexes text as shell input: after a command separator or
// substitution ($(, `, ;, |, ||, &&, newline) a known command word means
// command injection; so do ${IFS} padding, /dev/tcp reverse shells and
// Windows cmd/PowerShell invocations.
func (in *input) detectCmd() {
	if !in.e.Enabled(CommandInj) {
		return
	}
	m := in.mask
	if in.detectShellShapes() {
		return
	}
	if !m.has(bSemi|bPipe|bAmp|bDollar|bBacktick|bNewline|bLT|bGT|bParen|bSlash|bBackslash|bLBrace) && in.sink != sinkCmd {
		// cmd.exe IF/FOR statements need none of those characters
		if l := in.lower(); len(l) > 4 && (l[0] == 'i' || l[0] == 'f') {
			if i := windowsBatch(l); i >= 0 {
				in.emit(CommandInj, "cmdi-batch", 7, i, i+32)
			}
		} else if aliasDef(l) {
			in.emit(CommandInj, "cmdi-alias", 6, 0, 32)
		} else if tildeStack(l) || historyEvents(l) {
			in.emit(CommandInj, "cmdi-expansion", 5, 0, len(l))
		}
		// Quotes the shell removes hide command words: ti''me sh -c id,
		// 'TiMe Sh -c whoami.
		if m.has(bQuote | bDQuote) {
			in.sc.tmp = shellNorm(in.sc.tmp[:0], in.lower())
			if in.cmdPhrase(unsafeString(in.sc.tmp), nil) {
				return
			}
			in.detectCmdWords(unsafeString(in.sc.tmp))
			return
		}
		in.detectCmdWords(in.lower())
		return
	}
	in.sc.tmp = shellNorm(in.sc.tmp[:0], in.lower())
	s := unsafeString(in.sc.tmp)
	raw := in.lower()
	if strings.Contains(raw, "${ifs") || strings.Contains(raw, "$ifs") {
		in.emit(CommandInj, "cmdi-ifs", 8, strings.Index(raw, "ifs")-2, strings.Index(raw, "ifs")+16)
		return
	}
	if in.cmdPhrase(s, nil) {
		return
	}
	// Fork bomb: a shell function that calls itself through a pipe or in
	// the background, :(){ :|:& };:
	if i := strings.Index(raw, "()"); i > 0 {
		b := i
		for b > 0 && (isWord(raw[b-1]) || raw[b-1] == ':') {
			b--
		}
		name := raw[b:i]
		if rest := strings.TrimLeft(raw[i+2:], " \t"); name != "" && strings.HasPrefix(rest, "{") && (strings.Contains(rest, name+"|") || strings.Contains(rest, name+"()|") || strings.Contains(rest, name+"() |") || strings.Contains(rest, name+"() &") || strings.Contains(rest, name+"&")) {
			in.emit(CommandInj, "cmdi-fork-bomb", 8, b, b+32)
			return
		}
	}
	// Shellshock: a function definition where a variable is expected.
	if i := strings.Index(raw, "()"); i >= 0 && strings.HasPrefix(strings.TrimLeft(raw[i+2:], " \t"), "{") && strings.TrimSpace(raw[:i]) == "" {
		in.emit(CommandInj, "cmdi-shellshock", 9, i, i+32)
		return
	}
	if i := windowsBatch(s); i >= 0 || batchIf(raw) {
		in.emit(CommandInj, "cmdi-batch", 7, max(i, 0), max(i, 0)+32)
		return
	}
	if strings.HasPrefix(s, "alias ") && strings.IndexByte(s, '=') > 0 {
		in.emit(CommandInj, "cmdi-alias", 6, 0, 32)
		return
	}
	if shellVarCommand(raw) {
		in.emit(CommandInj, "cmdi-expansion", 7, 0, 24)
		return
	}
	for _, w := range [...]string{"$((", "$[", "${!", "${#", "${ifs", "$(<", "<<<"} {
		if i := strings.Index(raw, w); i >= 0 && (w != "$[" || strings.IndexByte(raw[i:], ']') > 0) {
			in.emit(CommandInj, "cmdi-expansion", 7, i, i+24)
			return
		}
	}
	if i := shellExpansion(raw); i >= 0 {
		in.emit(CommandInj, "cmdi-expansion", 7, i, i+24)
		return
	}
	if i := globbedFile(s); i >= 0 {
		in.emit(CommandInj, "cmdi-glob", 7, i, i+32)
		return
	}
	proseish := strings.Count(s, " ") > 8
	markdown := strings.Contains(s, "```") || strings.Count(s, "`") >= 2 && wordsOutsideBackticks(s) >= 4
	// Command positions: start of value and after separators.
	inSpan := false // inside a markdown code span of prose
	doc := shellDocument(s)
	lastTick := strings.LastIndexByte(s, '`')
	for i := 0; i <= len(s); i++ {
		atStart := i == 0
		sep := ""
		if !atStart {
			c := s[i-1]
			if (inSpan || doc) && (c == ';' || c == '\n' || c == '|' || c == '&') || doc && c == '(' && i >= 2 && s[i-2] == '$' {
				// A pipeline quoted in prose ("use `ps aux | grep
				// node`") shows a command line; its separators
				// chain the quoted commands, not the writer's
				// value to a new one. A pipe into a shell runs
				// whatever it is fed, however it is prefixed.
				if spanPipesToShell(s, i) {
					in.emit(CommandInj, "cmdi-separator", 8, i-1, i+24)
					return
				}
				if !spanCommandRuns(s, i) {
					continue
				}
			}
			switch c {
			case ';', '\n':
				sep = string(c)
			case '`':
				if markdown {
					// a span opens only where a backtick closes it
					inSpan = !inSpan && i-1 < lastTick
					continue // inline code in prose or a fenced block
				}
				sep = "`"
			case '|':
				sep = "|"
			case '&':
				if i >= 2 && s[i-2] == '&' {
					sep = "&&"
				} else if i < len(s) && s[i] == '&' {
					continue
				} else {
					sep = "&"
				}
			case '(':
				if i >= 2 && (s[i-2] == '$' || s[i-2] == '<' || s[i-2] == '>') {
					sep = "$("
				} else {
					continue
				}
			default:
				continue
			}
		}
		if sep == "|" && spanPipesToShell(s, i) {
			// fed to a shell behind a prefix: | env X=1 sh, | nice -n 5 sh
			in.emit(CommandInj, "cmdi-separator", 8, i-1, i+24)
			return
		}
		w, ws, we := cmdWordAt(s, i)
		strong, known := strongCommands[w]
		if w == "" || !known || !wordEnds(s, we) {
			// Every separator in the blanks cmdWordAt skipped leads to
			// the same word: go on after them (linear on "\n\n\n...").
			if ws-1 > i {
				i = ws - 1
			}
			continue
		}
		switch {
		case atStart:
			// No separator: only an explicit shell invocation with
			// shell-like arguments in a command-like parameter, or a
			// command word chained to the next one ("whoami;", "id|").
			if strong && in.sink == sinkCmd && !deviceVerb(s) || strings.Contains(s[ws:we], "bin/") && known ||
				strong && we < len(s) && strings.IndexByte(";|`", s[we]) >= 0 && !proseish {
				in.emit(CommandInj, "cmdi-command", 7, ws, we+24)
				return
			}
		case sep == "&":
			if strong && (argsLookShell(s, we) || strings.HasPrefix(s[skipSpace(s, we):], "&")) && !proseish {
				in.emit(CommandInj, "cmdi-separator", 7, i-1, we+24)
				return
			}
		default:
			if sep == "|" && (!strong && inertAlternative(s, ws, we) || harmlessFilter(s, i)) ||
				(sep == "$(" || sep == "`") && w == "date" && timestampSubst(s, we, sep[len(sep)-1]) {
				continue
			}
			if sep == "\n" {
				// Lines of a text area start with words: a newline
				// separates commands only with shell-like arguments.
				if strong && argsLookShell(s, we) && !proseish || segmentLooksShell(s, we) || we == len(s) && len(s) < 64 && strings.Count(s, " ") < 3 {
					in.emit(CommandInj, "cmdi-separator", 7, i-1, we+24)
					return
				}
				continue
			}
			if interpreterRunsLocalScript(s, w, we) {
				continue // "$env:DEBUG='app';node app.js": the application's own program
			}
			if strong && (!proseish || argsLookShell(s, we)) || !strong && argsLookShell(s, we) {
				in.emit(CommandInj, "cmdi-separator", 8, i-1, we+24)
				return
			}
		}
	}
	in.detectCmdWords(s)
}

// segmentLooksShell reports whether the arguments after a command word, up
// to the next separator, include a redirect, a variable or a path, as in
// "; echo pwned > /tmp/x".
func segmentLooksShell(s string, j int) bool {
	end := len(s)
	if k := strings.IndexAny(s[j:], ";|&\n`"); k >= 0 {
		end = j + k
	}
	seg := s[j:end]
	if len(seg) > 128 {
		return false
	}
	// ">|" forces a redirect over noclobber: "cat <x>| out" writes out
	if end < len(s) && s[end] == '|' && strings.HasSuffix(seg, ">") {
		return true
	}
	if shellRedirect(seg) || strings.Contains(seg, " /") || strings.Contains(seg, " ~/") || strings.Contains(seg, "passwd") || strings.Contains(seg, "shadow") {
		return true
	}
	for i := 0; i+2 < len(seg); i++ { // a flag: " -u", " -la"
		if seg[i] == ' ' && seg[i+1] == '-' && isAlpha(seg[i+2]) && (i+3 == len(seg) || !isAlpha(seg[i+3]) || i+4 >= len(seg) || seg[i+4] == ' ') {
			return true
		}
	}
	return false
}

// wordsOutsideBackticks counts the words of s outside `...` spans.
func wordsOutsideBackticks(s string) int {
	n, in, word := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '`' {
			in = !in
			word = false
			continue
		}
		if in {
			continue
		}
		if isAlpha(c) {
			if !word {
				n++
			}
			word = true
		} else {
			word = false
		}
	}
	return n
}

// wordEnds reports whether a command word ending at j is a whole shell word:
// followed by the end, a blank, a separator or a redirect, not "base64,".
func wordEnds(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	return isSpace(s[j]) || strings.IndexByte(";|&<>)`'\"\n#", s[j]) >= 0
}

// aliasDef reads a value as a shell alias definition: "alias", options
// (+m, -p), then a name, bare or quoted, directly followed by "=":
// "alias a=b", "alias 'letter'=curl". Prose such as "alias of the user"
// has no "=" after the name.
func aliasDef(s string) bool {
	if !strings.HasPrefix(s, "alias ") {
		return false
	}
	j := skipSpace(s, 6)
	for j < len(s) && (s[j] == '-' || s[j] == '+') {
		k := j + 1
		for k < len(s) && isAlpha(s[k]) {
			k++
		}
		if k < len(s) && s[k] == '+' {
			k++
		}
		if k == j+1 || k < len(s) && !isSpace(s[k]) {
			return false
		}
		j = skipSpace(s, k)
	}
	if j < len(s) && (s[j] == '\'' || s[j] == '"') {
		e := strings.IndexByte(s[j+1:], s[j])
		if e <= 0 {
			return false
		}
		j += e + 2
	} else {
		k := j
		for k < len(s) && (isWord(s[k]) || s[k] == '-' || s[k] == '.') {
			k++
		}
		if k == j {
			return false
		}
		j = k
	}
	return j < len(s) && s[j] == '='
}

// tildeStack reports a value that is only a bash tilde expansion of the
// directory stack or the working directories: "~+", "~-", "~-1", "~+5".
func tildeStack(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && s[0] == '~' && (s[1] == '+' || s[1] == '-') && strings.Trim(s[2:], "0123456789") == ""
}

// shellVarCommand reports a value whose command word is a variable naming
// a shell, run with -c: "$SHELL -c ...", "${COMSPEC} /c ...".
func shellVarCommand(s string) bool {
	for _, v := range [...]string{"$shell", "${shell}", "$bash", "${bash}", "$comspec", "${comspec}", "%comspec%"} {
		if strings.HasPrefix(s, v) {
			r := skipSpace(s, len(v))
			return r > len(v) && (strings.HasPrefix(s[r:], "-c") || strings.HasPrefix(s[r:], "/c") || strings.HasPrefix(s[r:], "/k"))
		}
	}
	return false
}

// historyEvents reports a value made only of bash history designators
// with a relative event number, "!-1!-2": the shell re-runs earlier
// commands.
func historyEvents(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 3 {
		return false
	}
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "!-") {
			return false
		}
		j := i + 2
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+2 {
			return false
		}
		i = j
	}
	return true
}
