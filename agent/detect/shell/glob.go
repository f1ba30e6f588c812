package shell

// Shell globs: the shell expands '?', '*' and bracket classes in a word
// against the file system before running it, so "/???/c?t /e??/p?ss??"
// runs cat on /etc/passwd without either name written. These readings
// match globbed words against the commands and the sensitive files with
// the shell's own rules.

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// GlobbedFile finds sensitive files written with shell globs, as in
// "cat /etc/pa[s]swd" or "/[e]tc/pa??wd".
func GlobbedFile(s string) int {
	if !strings.ContainsAny(s, "[?") || strings.IndexByte(s, '/') < 0 {
		return -1
	}
	var b strings.Builder
	bracketed := false
	lastClose := strings.LastIndexByte(s, ']') // no "]" after it: a "[" there opens nothing
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' && i < lastClose {
			if j := strings.IndexByte(s[i:], ']'); j > 0 {
				body := strings.Trim(s[i+1:i+j], "/")
				bracketed = true
				switch {
				case len(body) == 1 && body[0] != '?' && body[0] != '!':
					b.WriteByte(body[0])
				case body == "" || strings.ContainsAny(body, "[/?*"):
					// read leniently, as the wildcard the writer meant
					b.WriteByte('?')
				default:
					// a class matches one byte of its own: kept
					// for globIndex to read
					b.WriteByte('[')
					b.WriteString(body)
					b.WriteByte(']')
				}
				i += j
				continue
			}
		}
		b.WriteByte(c)
	}
	p := b.String()
	if !bracketed && !strings.ContainsAny(s, "?") {
		return -1
	}
	// The shell globs words: look for globbed file names only in the
	// words of p that can be paths, which keeps this linear in the value.
	for rest := p; rest != ""; {
		var w string
		if i := strings.IndexAny(rest, globWordBreaks); i >= 0 {
			w, rest = rest[:i], rest[i+1:]
		} else {
			w, rest = rest, ""
		}
		if len(w) < 6 || len(w) > maxGlobWord || strings.IndexByte(w, '/') < 0 {
			continue
		}
		for f := range traversal.SensitiveFiles() {
			if len(f) >= 6 && len(f) <= len(w) && strings.IndexByte(f, '/') >= 0 && globIndex(w, f) >= 0 {
				return 0
			}
		}
	}
	// A bracket glob inside an absolute path names a system directory or
	// a command the shell will find: /bi[n]/bash, /usr/bin/[u]name,
	// /[e]tc, /usr/[a-z]in/bash. Plain text has no reason to glob there.
	if bracketed {
		// a glob in an argument of a command: ls /a[b]c (in its own
		// arguments, before a separator ends them)
		seg := s
		if e := strings.IndexAny(s, ";|&\n`"); e >= 0 {
			seg = s[:e]
		}
		if w, _, _ := CommandWordAt(s, 0); strongCommands[w] && strings.Contains(seg, "[") && strings.Contains(seg, "]") {
			return 0
		}
		for _, f := range strings.Fields(p) {
			if f[0] == '/' && strongCommands[f[strings.LastIndexByte(f, '/')+1:]] {
				return 0
			}
		}
		examined := 0 // globbed paths matched against the system names, at most 8
		for _, f := range strings.Fields(s) {
			if f[0] != '/' || len(f) > maxGlobWord || !strings.ContainsAny(f, "[?*") {
				continue
			}
			if globNamesSystemPath(f) {
				return 0
			}
			if examined++; examined == 8 {
				break
			}
		}
	}
	return -1
}

// globIndex finds f in p where each of p's '?' (at most three, and at
// least one) matches one byte.
func globIndex(p, f string) int {
	for i := 0; i < len(p); i++ {
		wild := 0
		ok := true
		j := i
		for k := 0; k < len(f); k++ {
			if j >= len(p) {
				ok = false
				break
			}
			c := p[j]
			if c == '?' {
				wild++
				j++
				continue
			}
			if c == '[' {
				if e := strings.IndexByte(p[j+1:], ']'); e > 0 {
					if !bracketMatches(p[j+1:j+1+e], f[k]) {
						ok = false
						break
					}
					wild++
					j += e + 2
					continue
				}
			}
			if c != f[k] {
				ok = false
				break
			}
			j++
		}
		if ok && wild >= 1 && wild <= 3 {
			return i
		}
	}
	return -1
}

// systemNames are the names a globbed path component must match for the
// glob to reach something worth hiding: system directories, the
// components of sensitive files, commands.
var systemNames = func() map[string]bool {
	m := map[string]bool{"etc": true, "proc": true, "dev": true, "tmp": true, "self": true, "var": true}
	for _, d := range binDirs {
		for _, c := range strings.Split(d, "/") {
			m[c] = c != ""
		}
	}
	for f := range traversal.SensitiveFiles() {
		for _, c := range strings.Split(f, "/") {
			m[c] = c != ""
		}
	}
	for c := range strongCommands {
		m[c] = true
	}
	return m
}()

// globNamesSystemPath reports whether the absolute path f globs a
// component ("/[e]tc", "/usr/[a-z]in/bash", "/proc/se?f/environ") and every
// globbed component matches a system name under the shell's own rules. A
// bracket in documentation, "/proc/[pid]/fd" or "/dev/vcs[1-63]", matches
// one character of its class and so names nothing there.
func globNamesSystemPath(f string) bool {
	if strings.Contains(f, "[") {
		// a slash inside a bracket matches nothing a path component can
		// hold; the shell's reading drops it: "/[e///]tc" is "/[e]tc"
		var b strings.Builder
		in := false
		for i := 0; i < len(f); i++ {
			switch {
			case f[i] == '[':
				in = true
			case f[i] == ']':
				in = false
			case f[i] == '/' && in:
				continue
			}
			b.WriteByte(f[i])
		}
		f = b.String()
	}
	globbed := false
	for _, c := range strings.Split(f, "/") {
		if !strings.ContainsAny(c, "[?*") {
			continue
		}
		globbed = true
		if strings.Trim(c, "?*") == "" {
			return false // a bare wildcard names no particular thing
		}
		known := false
		for name, ok := range systemNames {
			if ok && GlobMatch(c, name) {
				known = true
				break
			}
		}
		if !known {
			return false
		}
	}
	return globbed
}

// GlobMatch reports whether name matches the shell glob p: '?' matches one
// byte, a bracket expression one byte of its class ("[a-z]", "[!0-9]"),
// '*' any run. Both are short words.
func GlobMatch(p, name string) bool {
	px, nx := 0, 0
	star, mark := -1, 0
	for nx < len(name) {
		if px < len(p) {
			switch c := p[px]; c {
			case '?':
				px++
				nx++
				continue
			case '[':
				if e := strings.IndexByte(p[px+1:], ']'); e > 0 {
					if bracketMatches(p[px+1:px+1+e], name[nx]) {
						px += e + 2
						nx++
						continue
					}
					break
				}
				if c == name[nx] {
					px++
					nx++
					continue
				}
			case '*':
				star, mark = px, nx
				px++
				continue
			default:
				if c == name[nx] {
					px++
					nx++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		px, mark = star+1, mark+1
		nx = mark
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

// bracketMatches reports whether c is in the class of a shell bracket
// expression's body (between "[" and "]"): single bytes and ranges, negated
// by a leading '!' or '^'.
func bracketMatches(body string, c byte) bool {
	neg := false
	if len(body) > 1 && (body[0] == '!' || body[0] == '^') {
		neg, body = true, body[1:]
	}
	in := false
	for i := 0; i < len(body); i++ {
		if i+2 < len(body) && body[i+1] == '-' {
			if body[i] <= c && c <= body[i+2] {
				in = true
			}
			i += 2
			continue
		}
		if body[i] == c {
			in = true
		}
	}
	return in != neg
}

// binDirs are where the shell's PATH finds commands.
var binDirs = [...]string{"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}

// GlobbedCommand finds a command named by a globbed absolute path, the
// way attackers avoid writing its name: "/bin/ca? /etc/passwd",
// "/?s?/?i?/c?t", "/u*/b*/wh*mi". At most 8 globbed paths are examined,
// each against the binary directories and then the command names.
func GlobbedCommand(s string) int {
	seen := 0
	for i := 0; i < len(s) && seen < 8; i++ {
		if s[i] != '/' || i > 0 && s[i-1] != ' ' && !cmdSeparator(s[i-1]) && s[i-1] != ',' && s[i-1] != '{' && s[i-1] != '"' && s[i-1] != '\'' {
			continue
		}
		j := i
		for j < len(s) && (lex.IsWord(s[j]) || strings.IndexByte("/?*[]-.", s[j]) >= 0) {
			j++
		}
		p := s[i:j]
		if !strings.ContainsAny(p, "?*[") || len(p) > 64 {
			i = j
			continue
		}
		seen++
		k := strings.LastIndexByte(p, '/')
		dir, base := p[:k], p[k+1:]
		if base == "" || strings.Trim(base, "?*") == "" && len(base) < 2 {
			i = j
			continue
		}
		dirOK := false
		for _, d := range binDirs {
			if GlobMatch(dir, d) {
				dirOK = true
				break
			}
		}
		if dirOK {
			for name, strong := range strongCommands {
				if (strong || len(name) >= 3) && GlobMatch(base, name) {
					return i
				}
			}
		}
		i = j
	}
	return -1
}
