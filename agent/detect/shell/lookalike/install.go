package lookalike

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/ssrf"
)

// InstallOneLiner reports whether the '|' at s[pipe] joins the install
// one-liner that tools publish in their READMEs and that people paste into
// docs, tickets and chats: "curl -fsSL https://get.example.io | sh",
// "wget -qO- https://get.docker.com | sudo bash", "curl -LsSf
// https://astral.sh/uv/install.sh | sh -s -- --yes". Read so:
//
//   - the download starts the value, the first line of a fenced code
//     block or a "$ " prompt line, or opens an inline code span, with no
//     separator of its own before the pipe: nothing before it on its line
//     runs first (a label, "Install: curl ...", only makes it an
//     argument);
//   - it is curl or wget fetching an https:// URL of a public host name
//     (not an address, not localhost, not an internal or metadata name),
//     which is what publishing a script means;
//   - the pipe feeds a shell or Python, optionally through sudo, with
//     options and no further command, and the line or span ends there.
//
// Such a line installs a tool from where its makers host it. A value
// spliced into a command line needs a separator before its own commands,
// which this reading does not allow; a command-like parameter (the
// caller's sink) is not asked.
func InstallOneLiner(s string, pipe int) bool {
	return installStart(s, pipe) >= 0
}

// InstallOneLinerAt reports whether the command word at s[ws] starts an
// install one-liner (see InstallOneLiner): the line a fenced block or a
// code span shows, read from its command word.
func InstallOneLinerAt(s string, ws int) bool {
	end := strings.IndexAny(s[ws:], "\n`;&|$()<>")
	return end >= 0 && s[ws+end] == '|' && installStart(s, ws+end) == ws
}

// installStart returns where the download of the install one-liner whose
// '|' is s[pipe] starts, or -1 when that pipe joins none.
func installStart(s string, pipe int) int {
	if pipe <= 0 || pipe >= len(s) || s[pipe] != '|' || pipe+1 < len(s) && s[pipe+1] == '|' {
		return -1
	}
	start := lineStart(s, pipe)
	if start < 0 || !strings.HasPrefix(s[start:], "curl ") && !strings.HasPrefix(s[start:], "wget ") {
		return -1 // the cheap test first: a pipe every few bytes asks this
	}
	if !downloadsPublicScript(s[start:pipe]) || !feedsShellToLineEnd(s[pipe+1:], start > 0 && s[start-1] == '`') {
		return -1
	}
	return start
}

// lineStart returns where the download before the pipe starts: after the
// value's start, a line break, a "$ " prompt or the backtick that opens an
// inline code span, with only blanks before the command; -1 when a
// separator or anything else stands between.
func lineStart(s string, pipe int) int {
	i := pipe
	for i > 0 && strings.IndexByte("\n`;&|$(){}<>", s[i-1]) < 0 {
		i--
	}
	head := lex.TrimBlanksLeft(s[i:pipe])
	if c := strings.Index(head, ": "); c > 0 && c < 24 && !strings.ContainsAny(head[:c], "/.=") {
		// a label before the command, "Install: curl ...", in a
		// line that starts there; a label is no command the shell
		// could run first, it only makes curl an argument
		if i > 0 && s[i-1] != '\n' {
			return -1
		}
		head = lex.TrimBlanksLeft(head[c+2:])
	}
	start := pipe - len(head)
	if i == 0 {
		return start
	}
	switch s[i-1] {
	case '\n':
		// the first line of a fenced code block: after a line break
		// anything else could be a second command line
		if fencedBlockLine(s, i) {
			return start
		}
	case '`':
		// an inline code span: the backtick opens the value or follows
		// a blank or a colon ("Install with `curl ...`")
		if i-1 == 0 || s[i-2] == ' ' || s[i-2] == ':' || s[i-2] == '\n' {
			return start
		}
	case '$':
		// a prompt: "$ curl ...", at the start of a line
		if i-1 == 0 || s[i-2] == '\n' {
			if s[i:start] != "" {
				return start
			}
		}
	}
	return -1
}

// fencedBlockLine reports whether the line starting at s[i] is the first
// of a markdown fenced code block: the line before opens a fence ("```",
// "```bash", "~~~") and one closes after it.
func fencedBlockLine(s string, i int) bool {
	p := strings.LastIndexByte(s[:i-1], '\n') + 1
	prev := strings.TrimSpace(s[p : i-1])
	fence := ""
	switch {
	case strings.HasPrefix(prev, "```"):
		fence = "```"
	case strings.HasPrefix(prev, "~~~"):
		fence = "~~~"
	default:
		return false
	}
	if strings.ContainsAny(prev[3:], "`;&|$() ") {
		return false // an info string is one word: ```bash
	}
	e := strings.IndexByte(s[i:], '\n')
	return e >= 0 && strings.Contains(s[i+e:], "\n"+fence) || e >= 0 && strings.HasPrefix(lex.TrimBlanksLeft(s[i+e+1:]), fence)
}

// downloadsPublicScript reads "curl|wget <options> https://<public host>/..."
// with no other URL.
func downloadsPublicScript(cmd string) bool {
	f := strings.Fields(cmd)
	if len(f) < 2 || f[0] != "curl" && f[0] != "wget" {
		return false
	}
	urls := 0
	for _, a := range f[1:] {
		switch {
		case strings.HasPrefix(a, "https://"):
			if !publicHost(a[len("https://"):]) {
				return false
			}
			urls++
		case strings.Contains(a, "://"):
			return false
		case a[0] == '-':
			// an option: -fsSL, -o-, -qO-, --proto '=https', --tlsv1.2
		case strings.Trim(a, "'\"=") == "https":
			// the value of --proto
		default:
			return false
		}
	}
	return urls == 1
}

// publicHost reports whether the URL rest (after the scheme) names a
// public DNS host: a dotted name of letters, digits and hyphens, not an
// address, localhost or an internal or metadata name.
func publicHost(rest string) bool {
	host := rest
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if strings.ContainsAny(host, "@[]") {
		return false // credentials or an IPv6 literal
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		if !lex.IsDigits(host[i+1:]) {
			return false
		}
		host = host[:i]
	}
	host = strings.ToLower(host)
	// the SSRF reading's own classification: addresses in any spelling,
	// loopback and metadata names, names of wildcard DNS that embed an
	// address (127.0.0.1.nip.io)
	if k, isIP, obf := ssrf.ClassifyHost(host); k != ssrf.Public || isIP || obf {
		return false
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || dot == len(host)-1 {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !lex.IsAlnum(c) && c != '-' && c != '.' {
			return false
		}
	}
	if lex.IsDigits(host[dot+1:]) {
		return false // 10.0.0.5-style names with a numeric top level
	}
	// private names the classification leaves to DNS
	for _, internal := range [...]string{".localdomain", ".lan", ".home.arpa", ".svc"} {
		if strings.HasSuffix(host, internal) {
			return false
		}
	}
	return !strings.HasPrefix(host, "metadata.")
}

// feedsShellToLineEnd reads what follows the pipe: an optional sudo (with
// options), then sh, bash, zsh or python reading the script from its
// input ("-", "-s", "-s -- args"), up to the end of the line or (in a
// span) the closing backtick, with no other command on it.
func feedsShellToLineEnd(rest string, inSpan bool) bool {
	end := strings.IndexAny(rest, "\n`;&|$()<>")
	line := rest
	if end >= 0 {
		line = rest[:end]
		switch rest[end] {
		case '\n':
			if inSpan {
				return false
			}
		case '`':
			if !inSpan {
				return false
			}
		default:
			return false
		}
	} else if inSpan {
		return false // a span that never closes
	}
	f := strings.Fields(line)
	if len(f) > 0 && f[0] == "sudo" {
		f = f[1:]
		for len(f) > 0 && strings.HasPrefix(f[0], "-") {
			f = f[1:]
		}
	}
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "sh", "bash", "zsh", "python", "python3":
	default:
		return false
	}
	// the shell reads the script from its input: "-", "-s", then the
	// installer's own arguments after "--"; "-c" would run a command of
	// its own and ignore the script
	for i, a := range f[1:] {
		if a == "--" {
			for _, b := range f[i+2:] {
				if !alphaWordArg(b) {
					return false
				}
			}
			return true
		}
		if a != "-" && a != "-s" && a != "-e" && a != "-x" {
			return false
		}
	}
	return true
}

// alphaWordArg reports an argument an installer takes after "-s --": a
// word, a version or a name=value of such characters.
func alphaWordArg(a string) bool {
	for i := 0; i < len(a); i++ {
		if c := a[i]; !lex.IsAlnum(c) && strings.IndexByte("-_.=,:", c) < 0 {
			return false
		}
	}
	return true
}
