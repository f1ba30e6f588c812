// Package shell reads a value as a POSIX sh or bash command line: command
// words and what follows them, separators, substitutions, expansions,
// redirects and the quoting that hides a command name. Its subpackages read
// the rest of what a shell sink accepts, each by what it recognises:
// evasion (command names split by expansions to nothing), glob (/???/c?t),
// windows (cmd.exe batch), sqlite (the SQLite shell's dot commands) and
// lookalike (developer text that only looks like a command). Package
// detect turns what they find into signals.
package shell

import (
	"iter"
	"slices"
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
	"fetch": false, "printf": false, "lwp-download": true, "lynx": true, "links": false, "aria2c": true, "axel": true,
}

// normalizeSpecial marks the bytes Normalize may drop or rewrite; it
// copies every other byte as it is.
var normalizeSpecial = [256]bool{'\'': true, '"': true, '\\': true, '$': true, '+': true, '{': true}

// Normalize removes the quoting and expansion tricks that hide command words:
// c'a't, c"a"t, c\at, c$@at, $IFS/${IFS}/$IFS$9, {cat,/etc/passwd}.
func Normalize(dst []byte, s string) []byte {
	dst = slices.Grow(dst, len(s))
	for i := 0; i < len(s); i++ {
		if !normalizeSpecial[s[i]] {
			// a run of bytes kept as they are, appended at once
			j := i + 1
			for j < len(s) && !normalizeSpecial[s[j]] {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j - 1
			continue
		}
		c := s[i]
		switch c {
		case '\'', '"':
			// drop quotes that sit inside or next to a word
			if i > 0 && lex.IsWord(s[i-1]) || i+1 < len(s) && lex.IsWord(s[i+1]) {
				continue
			}
		case '\\':
			if i+1 < len(s) && (lex.IsAlnum(s[i+1]) || s[i+1] == '/' || s[i+1] == '.') {
				continue
			}
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue
			}
		case '$':
			r := s[i+1:]
			if len(r) == 0 || !dollarReads(r) {
				break // no case below reads it: "$(", "${x", "$ "
			}
			switch {
			case strings.HasPrefix(r, "{ifs}"), strings.HasPrefix(r, "{ifs%??}"):
				dst = append(dst, ' ')
				i += strings.IndexByte(r, '}') + 1
				continue
			case strings.HasPrefix(r, "ifs"):
				dst = append(dst, ' ')
				i += 3
				if i+2 < len(s) && s[i+1] == '$' && lex.IsDigit(s[i+2]) {
					i += 2
				}
				continue
			case strings.HasPrefix(r, "@"), strings.HasPrefix(r, "*"):
				i++
				continue
			case len(r) > 1 && r[0] == '{' && slashVariable(r):
				// ${PATH:0:1}, ${HOME:0:1}: the first character of a
				// variable that holds a path is a slash
				dst = append(dst, '/')
				i += strings.IndexByte(r, '}') + 1
				continue
			case shellVariable(r) > 0 && (i == 0 || !lex.IsWord(s[i-1])):
				// $0, ${0}, $SHELL, ${SHELL}, $BASH: the shell itself
				dst = append(dst, "sh"...)
				i += shellVariable(r)
				continue
			case len(r) > 0 && lex.IsDigit(r[0]) && (i > 0 && lex.IsWord(s[i-1])):
				i++
				continue
			case len(r) > 0 && lex.IsAlpha(r[0]) && i > 0 && lex.IsWord(s[i-1]):
				// an unset variable glued to a word: sh$xx, c$u"a"t
				j := 0
				for j < len(r) && lex.IsWord(r[j]) {
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

// dollarReads reports whether some case of Normalize's '$' can match r,
// the text after the '$', by its first two bytes: a long run of "$(" or
// "${" then costs a table look per '$', not a dozen prefix tests. It must
// admit every r those cases read; TestNormalizeAgreesByteAtATime holds
// it to them.
func dollarReads(r string) bool {
	switch c := r[0]; {
	case c == '(':
		return len(r) > 1 && r[1] == ')'
	case c == '{':
		// {ifs}, {path:0:1}, {home..., {oldpwd..., {shell..., {tmpdir...,
		// {0}, {}
		return len(r) > 1 && strings.IndexByte("iphost0}", r[1]) >= 0
	case c == '@', c == '*':
		return true
	}
	return lex.IsAlnum(r[0])
}

// slashVariables hold a path, so their first character is '/'.
var slashVariables = [...]string{"path", "home", "pwd", "oldpwd", "shell", "tmpdir"}

// slashVariable reports whether r (after a '$') is "{name:0:1}" for a
// variable that holds a path.
func slashVariable(r string) bool {
	for _, v := range slashVariables {
		if strings.HasPrefix(r[1:], v) && strings.HasPrefix(r[1+len(v):], ":0:1}") {
			return true
		}
	}
	return false
}

// shellVariable returns the length of the variable at r (after a '$')
// that names the running shell ("0", "{0}", "shell", "{shell}", "bash"),
// when a blank or a separator follows it (as a command word), or 0.
func shellVariable(r string) int {
	for _, v := range [...]string{"{0}", "{shell}", "shell", "bash", "0"} {
		if strings.HasPrefix(r, v) && (len(r) == len(v) || r[len(v)] == ' ' || r[len(v)] == '\t' || Separator(r[len(v)])) {
			return len(v)
		}
	}
	return 0
}

// CommandWordAt reads a command word at i: optional path prefix and .exe suffix.
func CommandWordAt(s string, i int) (word string, start, end int) {
	// MayStartCommandWord must allow every byte at which this can find a
	// word: a blank or opener it skips, or the word's first byte.
	i = lex.SkipSpace(s, i)
	for i < len(s) && (s[i] == '(' || s[i] == '{' || s[i] == '!') {
		i = lex.SkipSpace(s, i+1)
	}
	start = i
	j := i
	for j < len(s) && (lex.IsWord(s[j]) || s[j] == '/' || s[j] == '.' || s[j] == '-' || s[j] == ':' && j == i+1) {
		j++
	}
	if j == i {
		return "", start, j // no word: nothing below applies to ""
	}
	w := s[i:j]
	if k := max(strings.LastIndexByte(w, '/'), strings.LastIndexByte(w, '\\')); k >= 0 {
		w = w[k+1:]
	}
	w = strings.TrimSuffix(w, ".exe")
	// interpreters with versions: python3.10, perl5.36, php8.2 (a
	// version ends in a digit or a dot, which most words do not)
	if n := len(w); n > 3 && (lex.IsDigit(w[n-1]) || w[n-1] == '.') {
		for _, p := range [...]string{"python", "perl", "ruby", "php", "node", "lua", "pip"} {
			if strings.HasPrefix(w, p) && len(w) > len(p) && strings.Trim(w[len(p):], "0123456789.") == "" {
				w = p
			}
		}
	}
	// command prefixes run the next word: time bsdtar, sudo -u x id, nohup nc
	switch w {
	case "time", "nohup", "sudo", "exec", "command", "builtin", "xargs", "nice", "stdbuf", "strace", "ltrace", "doas", "chroot", "unbuffer", "busybox":
		if nw, ns, ne := CommandWordAt(s, j); nw != "" && ns > j {
			if _, ok := strongCommands[nw]; ok {
				return nw, ns, ne
			}
		}
	}
	return w, start, j
}

// commandWordStart marks the bytes at which CommandWordAt can find a word:
// the blanks and openers ('(', '{', '!') it skips, and the bytes a word
// opens on (letters, digits, '_', '/', '.', '-').
var commandWordStart = func() (t [256]bool) {
	for c := range t {
		b := byte(c)
		t[c] = lex.IsSpace(b) || lex.IsWord(b) || strings.IndexByte("({!/.-", b) >= 0
	}
	return t
}()

// MayStartCommandWord reports whether CommandWordAt(s, i) can find a word
// when s[i] is c; false means it returns ("", i, i). A caller reading every
// separator of a long value asks this first, without the call.
func MayStartCommandWord(c byte) bool { return commandWordStart[c] }

// subcommands are the first arguments of weak command words whose own
// vocabulary says a command line: Windows' net and reg, iproute2's ip.
var subcommands = map[string][]string{
	"net": {"view", "user", "users", "localgroup", "group", "share", "use", "session", "accounts", "config", "start", "stop"},
	"reg": {"query", "add", "save", "delete", "export", "import", "load"},
	"ip":  {"addr", "a", "address", "link", "route", "neigh"},
}

// CommandArgs reports whether what follows the command word w, ending at
// j in s, reads as its arguments on a command line: ArgsLookShell, or a
// first argument that is one of w's subcommands (net view, reg query) or
// names a tool (which gcc, type wget): a command asked about another;
// either followed by what ArgsLookShell accepts (the end, a flag, a path).
func CommandArgs(w, s string, j int) bool {
	if ArgsLookShell(s, j) {
		return true
	}
	k := lex.SkipSpace(s, j)
	if k == j {
		return false
	}
	e := k
	for e < len(s) && (lex.IsWord(s[e]) || s[e] == '-') {
		e++
	}
	if e == k || e < len(s) && !lex.IsSpace(s[e]) && strings.IndexByte(";|&\n`", s[e]) < 0 {
		return false
	}
	if !ArgsLookShell(s, e) {
		return false // "net start was fine": a sentence goes on in words
	}
	arg := strings.ToLower(s[k:e])
	if slices.Contains(subcommands[w], arg) {
		return true
	}
	strong, _ := Command(arg)
	return strong
}

// ArgsLookShell reports whether what follows a weak command word looks like
// shell arguments: end of input, a flag, a path, a redirect, a number, a
// variable, or another separator ("&" or "&&" only where the value ends).
func ArgsLookShell(s string, j int) bool {
	if SegmentLooksShell(s, j) {
		return true
	}
	k := lex.SkipSpace(s, j)
	if k >= len(s) {
		return true
	}
	if k == j && lex.IsWord(s[k]) {
		return false // "cats"
	}
	c := s[k]
	switch c {
	case '-', '/', '~', '>', '<', '|', ';', '$', '`', '.', '*', ')', '\'', '"', '\n', '#', '%':
		return true
	}
	if lex.IsDigit(c) {
		return true
	}
	if c == '&' && strings.TrimLeft(s[k:], "& \t") == "" {
		return true // "&&id&&": chained on to what the value is spliced before
	}
	if c == 'c' && k+2 < len(s) && s[k+1] == ':' {
		return true
	}
	return false
}

// Expansion finds shell-only expansions: a process substitution
// running a command, <(cat file), and parameter expansion with pattern
// removal, ${x#pattern}, ${PATH%/*}, ${v//a/b}, which no template language
// writes (${PORT:-80} defaults are left alone: configuration uses them).
func Expansion(s string) int {
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], "<(")
		if i < 0 {
			break
		}
		i += off
		if w, _, _ := CommandWordAt(s, lex.SkipSpace(s, i+2)); w != "" {
			if _, ok := strongCommands[w]; ok {
				return i
			}
		}
		off = i + 2
	}
	// An opener at or after the last '}' cannot be closed: the search
	// ends there ("${${${…" without a '}' is not read at all).
	lastBrace := lex.LastIndexByte(s, '}')
	for off := 0; off < lastBrace; {
		i := lex.Index(s[off:lastBrace], "${")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j > i+2 && j < len(s) && (s[j] == '#' || s[j] == '%' || strings.HasPrefix(s[j:], "//")) && j < lastBrace {
			return i
		}
		off = i + 2
	}
	return -1
}

// shellPhrases are invocations that mean a shell or interpreter is being
// driven, wherever they appear.
var shellPhrases = [...]string{"/dev/tcp/", "/dev/udp/", "bash -i", "sh -i", "nc -e", "ncat -e", "nc -c", "mkfifo /tmp", "cmd /c", "cmd.exe /c", "cmd /k", "cmd.exe /k", "powershell -", "powershell.exe", "pwsh -", "invoke-expression", "invoke-webrequest", "iex(", "iex (", "downloadstring(", "downloadfile(", "start-process", "new-object net.webclient", "certutil -urlcache", "certutil.exe -urlcache", "bitsadmin /transfer", "wmic process", "net user ", "net localgroup", "/bin/sh -c", "/bin/bash -c", "sh -c ", "bash -c ", "python -c", "python3 -c", "perl -e", "ruby -e", "php -r", "xterm -display", "socat exec", "busybox nc", "busybox sh",
	// Windows: the firewall opened, the registry written or dumped
	"netsh firewall", "netsh advfirewall", "netsh interface portproxy", "reg add hk", "reg add \"hk", "reg query hk",
	"reg query \"hk", "reg save hk", "reg save \"hk"}

// shellPhraseList searches shellPhrases.
var shellPhraseList = lex.NewWordList(shellPhrases[:]...)

// Phrase returns the index in s of the first shell phrase (in list order)
// whose first occurrence starts a word, or -1; have is the byte set of s,
// or nil to build it here.
func Phrase(s string, have *lex.ByteSet) int {
	if have == nil {
		set := lex.BytesOf(s)
		have = &set
	}
	_, i := shellPhraseList.Index(s, have, func(i int, _ string) bool { return i == 0 || !lex.IsWord(s[i-1]) })
	return i
}

// expansionWords are expansions only a shell reads: arithmetic, indirect
// and length expansion, $IFS, reading a file, a here-string.
var expansionWords = lex.NewWordList("$((", "$[", "${!", "${#", "${ifs", "$(<")

// ExpansionSyntax returns the index of the first expansion word (in list
// order) at its first occurrence in s, "$[" only when a "]" follows it,
// and then of the first here-string (hereString), or -1; have is the byte
// set of s.
func ExpansionSyntax(s string, have *lex.ByteSet) int {
	lastClose := -2 // the last "]", asked at the first "$[" and not again
	_, i := expansionWords.Index(s, have, func(i int, w string) bool {
		if w != "$[" {
			return true
		}
		if lastClose == -2 {
			lastClose = strings.LastIndexByte(s, ']')
		}
		return lastClose > i
	})
	if i < 0 && have.Has('<') {
		i = hereString(s)
	}
	return i
}

// hereString returns the index of the first here-string in s, "<<<" that
// is not part of a longer run of '<' ("<<<<< EVACUATION ROUTE <<<<<", a
// banner), or -1. A run is passed over whole, so a text of '<' is read
// once.
func hereString(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<<<")
		if i < 0 {
			return -1
		}
		i += off
		e := i + 3
		for e < len(s) && s[e] == '<' {
			e++
		}
		if e == i+3 && (i == 0 || s[i-1] != '<') {
			return i
		}
		off = e
	}
	return -1
}

// Command reports whether w is a command word, and whether it is a strong
// one (a tool name that is not also an English word).
func Command(w string) (strong, known bool) {
	if w == "" {
		return false, false
	}
	if len(w) >= 2 && commandPairs[uint16(w[0])<<2|uint16(w[1])>>6]&(1<<(w[1]&63)) == 0 {
		return false, false // no command starts with these two bytes
	}
	strong, known = strongCommands[w]
	return strong, known
}

// Commands yields every command word and whether it is a strong one.
func Commands() iter.Seq2[string, bool] {
	return func(yield func(string, bool) bool) {
		for w, strong := range strongCommands {
			if !yield(w, strong) {
				return
			}
		}
	}
}

// commandPairs has a bit for the first two bytes of every command word:
// most words of a long hostile value are no command, and the table says
// so without hashing them.
var commandPairs = func() (t [256 * 4]uint64) {
	for w := range strongCommands {
		if len(w) >= 2 {
			t[uint16(w[0])<<2|uint16(w[1])>>6] |= 1 << (w[1] & 63)
		}
	}
	return t
}()

// ArgumentBefore reports whether p, the value before a separator, is one
// argument of a command line: a single token of a number, an address, a
// host or a path ("1", "127.0.0.1", "x.example:8080", "/tmp/a"), or a
// single character, as scanners send ("a;id"). A name ("Tom & cat"),
// words ("Section 3 & cat"), a label ("Usage:") or a flag or boundary
// line ("--b123") are not. empty reports that p holds nothing: the value
// opens with the separator. The first half of a doubled separator
// ("1||id") is not part of p.
func ArgumentBefore(p string) (arg, empty bool) {
	p = lex.TrimBlanksRight(p)
	if n := len(p); n > 0 && (p[n-1] == '|' || p[n-1] == '&') {
		p = lex.TrimBlanksRight(p[:n-1])
	}
	if len(p) == 0 {
		return false, true
	}
	if len(p) > 64 || p[0] == '-' || p[len(p)-1] == ':' {
		return false, false
	}
	marked := len(p) == 1
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case lex.IsDigit(c), c == '.', c == '/':
			marked = true
		case lex.IsAlpha(c), c == '-', c == '_', c == ':':
		default:
			return false, false
		}
	}
	return marked, false
}

// ChainedOn reports whether the command whose word ends at s[j] is chained
// on to another: its segment ends at a separator rather than with the
// value, and its arguments are none ("&id&") or look like a shell's
// ("&sleep 60&"). A weak command word between two "&" is then a command
// line, not the "and" of a name ("Tom & cat & dog").
func ChainedOn(s string, j int) bool {
	k := strings.IndexAny(s[j:], ";|&\n`")
	if k < 0 {
		return false
	}
	if k == 0 {
		return true // "&id&"
	}
	return lex.SkipSpace(s, j) < j+k && ArgsLookShell(s, j) // an argument, then the separator
}

// SegmentLooksShell reports whether the arguments after a command word, up
// to the next separator, include a redirect, a variable or a path, as in
// "; echo pwned > /tmp/x".
func SegmentLooksShell(s string, j int) bool {
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
		if seg[i] == ' ' && seg[i+1] == '-' && lex.IsAlpha(seg[i+2]) && (i+3 == len(seg) || !lex.IsAlpha(seg[i+3]) || i+4 >= len(seg) || seg[i+4] == ' ') {
			return true
		}
	}
	return false
}

// WordsOutsideBackticks reports whether s has at least n words outside
// `...` spans. It stops reading at the n-th: the count past it changes
// nothing.
func WordsOutsideBackticks(s string, n int) bool {
	count, in, word := 0, false, false
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
		if lex.IsAlpha(c) {
			if !word {
				if count++; count >= n {
					return true
				}
			}
			word = true
		} else {
			word = false
		}
	}
	return count >= n
}

// WordEnds reports whether a command word ending at j is a whole shell word:
// followed by the end, a blank, a separator or a redirect, not "base64,".
func WordEnds(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	return lex.IsSpace(s[j]) || strings.IndexByte(";|&<>)`'\"\n#", s[j]) >= 0
}

// AliasDef reads a value as a shell alias definition: "alias", options
// (+m, -p), then a name, bare or quoted, directly followed by "=":
// "alias a=b", "alias 'letter'=curl". Prose such as "alias of the user"
// has no "=" after the name.
func AliasDef(s string) bool {
	if !strings.HasPrefix(s, "alias ") {
		return false
	}
	j := lex.SkipSpace(s, 6)
	for j < len(s) && (s[j] == '-' || s[j] == '+') {
		k := j + 1
		for k < len(s) && lex.IsAlpha(s[k]) {
			k++
		}
		if k < len(s) && s[k] == '+' {
			k++
		}
		if k == j+1 || k < len(s) && !lex.IsSpace(s[k]) {
			return false
		}
		j = lex.SkipSpace(s, k)
	}
	if j < len(s) && (s[j] == '\'' || s[j] == '"') {
		e := strings.IndexByte(s[j+1:], s[j])
		if e <= 0 {
			return false
		}
		j += e + 2
	} else {
		k := j
		for k < len(s) && (lex.IsWord(s[k]) || s[k] == '-' || s[k] == '.') {
			k++
		}
		if k == j {
			return false
		}
		j = k
	}
	return j < len(s) && s[j] == '='
}

// TildeStack reports a value that is only a bash tilde expansion of the
// directory stack or the working directories: "~+", "~-", "~-1", "~+5".
func TildeStack(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && s[0] == '~' && (s[1] == '+' || s[1] == '-') && strings.Trim(s[2:], "0123456789") == ""
}

// VarAssignedCommand reports a value whose command word is a variable naming
// a shell, run with -c: "$SHELL -c ...", "${COMSPEC} /c ...".
func VarAssignedCommand(s string) bool {
	for _, v := range [...]string{"$shell", "${shell}", "$bash", "${bash}", "$comspec", "${comspec}", "%comspec%"} {
		if strings.HasPrefix(s, v) {
			r := lex.SkipSpace(s, len(v))
			return r > len(v) && (strings.HasPrefix(s[r:], "-c") || strings.HasPrefix(s[r:], "/c") || strings.HasPrefix(s[r:], "/k"))
		}
	}
	return false
}

// HistoryEvents reports a value made only of bash history designators
// with a relative event number, "!-1!-2": the shell re-runs earlier
// commands.
func HistoryEvents(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 3 {
		return false
	}
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "!-") {
			return false
		}
		j := i + 2
		for j < len(s) && lex.IsDigit(s[j]) {
			j++
		}
		if j == i+2 {
			return false
		}
		i = j
	}
	return true
}
