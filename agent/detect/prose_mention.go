package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// Developers and customers write about files, commands and queries: a
// support ticket says "the log file /var/log/cleanup.log stays empty", a
// review comment says "use `ps aux | grep node`". The helpers here tell
// such a mention apart from a request that a file API, a shell or a
// database would execute. Each keeps the attack shapes that hide in
// prose: a traversal, a separator followed by a command ("; cat
// /etc/passwd"), a substitution ("$(id)").

// pathInCommand reports whether the sensitive path that starts at fo in
// the normalised text p is an argument of a command line rather than a
// word of a sentence. A path is a request when the value, a separated
// command or a substitution opens with a command word and the path is one
// of its arguments ("tail -f
// /var/log/syslog", "dd if=/etc/passwd of=/tmp/x"), when it follows a
// redirect ("< /etc/passwd"), or when it is glued to an assignment or
// a parameter inside its word ("if=/etc/passwd", "?page=/etc/passwd").
// Otherwise a path mid-sentence ("check /var/log/nginx/error.log on
// web-2?") is something the writer talks about: no file sink reads prose.
// Two backward and one forward walk over p[:fo].
func pathInCommand(p string, fo int) bool {
	// the word holding the path: back to the previous blank
	ts := fo
	for ts > 0 && !isSpace(p[ts-1]) {
		ts--
	}
	if strings.ContainsAny(p[ts:fo], "=<") {
		return true
	}
	if k := ts; k > 0 {
		for k > 0 && isSpace(p[k-1]) {
			k--
		}
		if k > 0 && p[k-1] == '<' {
			return true
		}
	}
	// A command line opens the value, or follows the last separator or
	// substitution before the path ("hi; cat /etc/passwd", "`cat
	// /etc/passwd`", "$(cat /etc/passwd)"), and every word between its
	// command word and the path is an argument: a flag, a path, a number
	// or an assignment.
	o := ts
	for o > 0 && strings.IndexByte(";|&`(\n", p[o-1]) < 0 {
		o--
	}
	w, _, we := shell.CommandWordAt(p, o)
	if _, known := shell.Command(w); !known || !shell.WordEnds(p, we) || we > ts {
		return false
	}
	prev := ""
	for i := skipSpace(p, we); i < ts; i = skipSpace(p, i) {
		j := i
		for j < ts && !isSpace(p[j]) {
			j++
		}
		if !shellArgWord(p[i:j]) {
			return false
		}
		prev = p[i:j]
		i = j
	}
	if !keyInUse(p, fo, w, prev) {
		return true
	}
	// The key in use is the first sensitive name found, not the only
	// one: "scp -i ~/.ssh/id_rsa ~/.ssh/id_rsa host:" and "cat
	// ~/.ssh/id_rsa.pub ~/.ssh/id_rsa" also hand over the private key.
	e := fo
	for e < len(p) && !isSpace(p[e]) {
		e++
	}
	if o, _ := traversal.SensitiveFile(p[:fo]); o >= 0 {
		return true
	}
	after, _ := traversal.SensitiveFile(p[e:])
	return after >= 0
}

// keyInUse reports whether the key file named by the path word at fo in a
// shown command line is used rather than read out: the identity an ssh
// client signs with ("ssh -i ~/.ssh/deploy_key host", "ssh-add
// ~/.ssh/id_ed25519") never leaves the machine, and the public half of a
// key pair ("cat ~/.ssh/id_ed25519.pub", pasted into a Git host's settings)
// is meant to be shared. cmd is the command word, prev the word before the
// path. Private keys printed or copied ("cat ~/.ssh/id_rsa", "scp
// ~/.ssh/id_rsa host:") stay requests.
func keyInUse(p string, fo int, cmd, prev string) bool {
	switch {
	case cmd == "ssh-add", prev == "-i" && (cmd == "ssh" || cmd == "scp" || cmd == "sftp" || cmd == "ssh-copy-id"):
		return true
	}
	e := fo
	for e < len(p) && !isSpace(p[e]) && strings.IndexByte("`'\"),;", p[e]) < 0 {
		e++
	}
	word := strings.TrimRight(p[fo:e], ".")
	return strings.HasSuffix(word, ".pub") && !strings.Contains(word, "..") &&
		(strings.HasPrefix(word, ".ssh/") || strings.HasPrefix(word, "id_"))
}

// shellArgWord reports whether w reads as a command's argument rather than
// an English word: a flag, a path, a number, or an option assignment.
func shellArgWord(w string) bool {
	if w == "" {
		return true
	}
	switch c := w[0]; {
	case c == '-', c == '/', c == '~', c == '.', c == '$', c == '\'', c == '"', isDigit(c):
		return true
	}
	return strings.ContainsAny(w, "/=")
}

// spanCommands are the commands that make a pipeline quoted in prose an
// attack wherever it stands: a shell or interpreter fed from a pipe ("curl
// x | sh") and the network tools that fetch a payload or send data away
// ("| nc host 4444", "| curl -d @- host").
var spanCommands = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "ksh": true, "csh": true, "tcsh": true, "dash": true, "ash": true,
	"python": true, "python2": true, "python3": true, "perl": true, "ruby": true, "php": true, "node": true,
	"lua": true, "powershell": true, "pwsh": true, "cmd": true, "iex": true,
	"nc": true, "ncat": true, "netcat": true, "socat": true, "telnet": true, "curl": true, "wget": true,
	"ftp": true, "tftp": true, "scp": true, "ssh": true, "openssl": true, "base64": true, "xxd": true,
}

// spanCommandRuns reports whether the command after a separator at s[i-1]
// inside a markdown code span still reads as an attack: a shell, an
// interpreter or a network tool (behind any sudo/xargs prefix). The
// span's other commands are a shown command line, as in "use `du -sh * |
// sort -h` to find it".
func spanCommandRuns(s string, i int) bool {
	w, _ := spanCommandWord(s, i)
	return spanCommands[w] || spanPipesToShell(s, i)
}

// spanPipesToShell reports whether the separator at s[i-1] is a pipe into
// a shell or an interpreter, however prefixed ("| sudo -u root bash",
// "| env FOO=1 sh", "| nice -n 5 sh", "| . /dev/stdin"): whatever the
// pipe brings runs, so that is an attack wherever it is quoted.
func spanPipesToShell(s string, i int) bool {
	if i == 0 || s[i-1] != '|' || i == len(s) || !shell.MayStartCommandWord(s[i]) {
		return false // no pipe, or no word after it ("|||…", "|[")
	}
	w, we := spanCommandWord(s, i)
	switch w {
	case "":
		return false // "|||...": no word to look up
	case "source", ".", "eval":
		// These run what their argument names, not what the pipe
		// feeds them: "| . /dev/stdin" runs the input, "is&|." in a
		// sentence runs nothing
		return argumentFollows(s, we)
	default:
		return spanCommands[w] && spanInterpreters[w]
	}
}

// spanInterpreters are the spanCommands that run the program they read.
var spanInterpreters = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "ksh": true, "csh": true, "tcsh": true, "dash": true, "ash": true,
	"python": true, "python2": true, "python3": true, "perl": true, "ruby": true, "php": true, "node": true,
	"lua": true, "powershell": true, "pwsh": true, "cmd": true, "iex": true,
}

// argumentFollows reports whether a word of arguments follows s[:we]
// on the same command: blanks, then something other than a separator.
func argumentFollows(s string, we int) bool {
	k := skipSpace(s, we)
	return k > we && k < len(s) && strings.IndexByte(";|&\n)`", s[k]) < 0
}

// spanCommandWord returns the command word after s[i:], and where it
// ends, behind any prefix: a prefix runs the word after its options, their arguments, its
// assignments and its numbers (sudo -E bash, sudo -u root bash, nice -n 5
// sh, timeout 60 sh, env FOO=1 sh). An option's argument is the one word
// after it that is no command of interest itself.
func spanCommandWord(s string, i int) (string, int) {
	w, _, we := shell.CommandWordAt(s, i)
	for n := 0; n < 4 && commandPrefixes[w]; n++ {
		k := skipSpace(s, we)
		for steps := 0; k < len(s) && steps < 8; steps++ {
			e := k
			for e < len(s) && !isSpace(s[e]) {
				e++
			}
			a := s[k:e]
			switch {
			case a != "" && a[0] == '-':
				k = skipSpace(s, e)
				if aw, _, ae := shell.CommandWordAt(s, k); k < len(s) && s[k] != '-' && !spanCommands[aw] && !commandPrefixes[aw] {
					k = skipSpace(s, ae) // the option's argument
				}
				continue
			case a != "" && (isDigit(a[0]) || strings.IndexByte(a, '=') > 0):
				k = skipSpace(s, e)
				continue
			}
			break
		}
		w, _, we = shell.CommandWordAt(s, k)
	}
	return w, we
}

// commandPrefixes run the command word that follows their options.
var commandPrefixes = map[string]bool{
	"sudo": true, "doas": true, "xargs": true, "nohup": true, "time": true, "env": true, "exec": true,
	"nice": true, "command": true, "builtin": true, "stdbuf": true, "timeout": true, "busybox": true,
}

// assetUpOne reports a relative reference one directory up to a static
// asset, "../assets/logo.png", "../styles/main.css": how bundler configs,
// markdown and CMS fields name images, styles, fonts and documents next to
// the current folder. One level up reaches no system file, and serving an
// image or a stylesheet discloses nothing; a traversal that climbs further,
// names a sensitive file, carries an encoding, a NUL, a query or a path
// parameter, or ends in source code or configuration stays a finding. p is
// the normalised path, first the offset of its one "..".
func assetUpOne(p string, first int) bool {
	if first != 0 && !(first == 2 && strings.HasPrefix(p, "./")) || strings.ContainsAny(p, "?;#%: \x00") {
		return false
	}
	dot := strings.LastIndexByte(p, '.')
	if dot <= first+2 || strings.IndexByte(p[dot:], '/') >= 0 {
		return false
	}
	switch p[dot+1:] {
	case "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "css", "scss", "less",
		"woff", "woff2", "ttf", "otf", "eot", "md", "mdx", "txt", "html", "htm", "mp4", "webm", "mp3", "pdf":
		return true
	}
	return false
}
