// Package glob reads shell globs. The shell expands '?', '*' and bracket
// classes in a word against the file system before running it, so
// "/???/c?t /e??/p?ss??" runs cat on /etc/passwd without either name
// written. These readings match globbed words against the commands and
// the sensitive files with the shell's own rules; package detect turns
// what they find into signals.
package glob

import (
	"strings"
	"sync"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// globWordBreaks end a shell word for globbing: blanks, operators,
// quotes, expansions and brace-expansion commas.
const globWordBreaks = " \t\r\n;|&`()<>'\"{}$=,"

// maxGlobWord bounds the words searched for globbed file names; a path
// is far shorter.
const maxGlobWord = 256

// isStrong reports whether w is a strong command word.
func isStrong(w string) bool {
	strong, _ := shell.Command(w)
	return strong
}

// File finds sensitive files written with shell globs, as in
// "cat /etc/pa[s]swd" or "/[e]tc/pa??wd".
//
// It is linear in s with small constants, since a hostile value of 1 MiB
// of "?" and "/" reaches it: s is copied only when it has a bracket class
// to rewrite, words without a wildcard are not matched against the file
// names (globIndex needs at least one), and nothing is allocated per word.
func File(s string) int {
	if !strings.ContainsAny(s, "[?") || strings.IndexByte(s, '/') < 0 {
		return -1
	}
	p, bracketed := s, false
	lastClose := lex.LastIndexByte(s, ']') // no "]" after it: a "[" there opens nothing
	if open := strings.IndexByte(s, '['); open >= 0 && open < lastClose {
		p, bracketed = rewriteBrackets(s, lastClose)
	}
	if !bracketed && strings.IndexByte(s, '?') < 0 {
		return -1
	}
	// The shell globs words: look for globbed file names only in the
	// words of p that can be paths, which keeps this linear in the value.
	lastWord := ""
	for rest := p; rest != ""; {
		i := 0
		for i < len(rest) && !globWordBreak[rest[i]] {
			i++
		}
		w := rest[:i]
		if i < len(rest) {
			rest = rest[i+1:]
		} else {
			rest = ""
		}
		if len(w) < 6 || len(w) > maxGlobWord || strings.IndexByte(w, '/') < 0 || strings.IndexByte(w, '?') < 0 && strings.IndexByte(w, '[') < 0 {
			continue
		}
		// A match globs at most three bytes of the file, so the word
		// holds all but at most three of the file's distinct bytes: a
		// word of wildcards is no file name.
		if w == lastWord {
			continue // a repeated word: it named no file the first time
		}
		lastWord = w
		set := lex.BytesOf(w)
		files, sets := globFiles()
		for k, f := range files {
			if len(f) <= len(w) && set.Missing(&sets[k]) <= 3 && globIndex(w, f) >= 0 {
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
		if w, _, _ := shell.CommandWordAt(s, 0); isStrong(w) && strings.Contains(seg, "[") && strings.Contains(seg, "]") {
			return 0
		}
		for f := range slashFields(p) {
			if isStrong(f[strings.LastIndexByte(f, '/')+1:]) {
				return 0
			}
		}
		examined := 0 // globbed paths matched against the system names, at most 8
		for f := range slashFields(s) {
			if len(f) > maxGlobWord || !strings.ContainsAny(f, "[?*") {
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

// rewriteBrackets returns s with each bracket class before lastClose (the
// last "]") rewritten for globIndex: a class of one byte as that byte, an
// empty or wildcard-holding class as '?', any other kept as "[body]";
// bracketed reports whether there was one.
func rewriteBrackets(s string, lastClose int) (p string, bracketed bool) {
	var b strings.Builder
	b.Grow(len(s))
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
	return b.String(), bracketed
}

// globWordBreak marks the bytes of globWordBreaks.
var globWordBreak = func() (t [256]bool) {
	for i := 0; i < len(globWordBreaks); i++ {
		t[globWordBreaks[i]] = true
	}
	return t
}()

// globFiles are the sensitive files a globbed word can name: those with a
// directory and at least six bytes (a shorter glob matches too much),
// with their byte sets. Built on first use: package initialisation is
// cold start (see lex.WordList).
var globFiles = sync.OnceValues(func() ([]string, []lex.ByteSet) {
	fs := sensitiveGlobFiles()
	return fs, lex.BytesOfAll(fs)
})

func sensitiveGlobFiles() (fs []string) {
	for f := range traversal.SensitiveFiles() {
		if len(f) >= 6 && strings.IndexByte(f, '/') >= 0 {
			fs = append(fs, f)
		}
	}
	return fs
}

// globIndex finds f in p where each of p's '?' (at most three, and at
// least one) matches one byte.
//
// A match starts where p holds f's first byte or a wildcard, and holds at
// most three wildcards, so a word dense with '?' is passed over a window
// at a time: without bracket classes, p[i:i+len(f)] is the whole window
// and its count of '?' is kept as the window slides.
func globIndex(p, f string) int {
	noClass := strings.IndexByte(p, '[') < 0
	if noClass && len(p) < len(f) {
		return -1
	}
	q := 0 // '?' in p[i:i+len(f)] while noClass
	if noClass {
		q = strings.Count(p[:len(f)], "?")
	}
	for i := 0; i < len(p); i++ {
		if noClass {
			if i > 0 {
				if i+len(f) > len(p) {
					break
				}
				if p[i-1] == '?' {
					q--
				}
				if p[i+len(f)-1] == '?' {
					q++
				}
			}
			if q == 0 || q > 3 {
				continue
			}
		}
		if c := p[i]; c != f[0] && c != '?' && c != '[' {
			continue
		}
		if globAt(p, i, f) {
			return i
		}
	}
	return -1
}

// globAt reports whether f matches p from i with one to three wildcards.
func globAt(p string, i int, f string) bool {
	wild := 0
	j := i
	for k := 0; k < len(f); k++ {
		if j >= len(p) {
			return false
		}
		c := p[j]
		if c == '?' {
			if wild++; wild > 3 {
				return false // more wildcards than a match may hold
			}
			j++
			continue
		}
		if c == '[' {
			if e := strings.IndexByte(p[j+1:], ']'); e > 0 {
				if !bracketMatches(p[j+1:j+1+e], f[k]) {
					return false
				}
				if wild++; wild > 3 {
					return false
				}
				j += e + 2
				continue
			}
		}
		if c != f[k] {
			return false
		}
		j++
	}
	return wild >= 1
}

// systemNames are the names a globbed path component must match for the
// glob to reach something worth hiding: system directories, the
// components of sensitive files, commands.
var systemNames = sync.OnceValue(func() map[string]bool {
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
	for c := range shell.Commands() {
		m[c] = true
	}
	return m
})

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
		for name, ok := range systemNames() {
			if ok && Match(c, name) {
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

// Match reports whether name matches the shell glob p: '?' matches one
// byte, a bracket expression one byte of its class ("[a-z]", "[!0-9]"),
// '*' any run. Both are short words.
func Match(p, name string) bool {
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

// Command finds a command named by a globbed absolute path, the
// way attackers avoid writing its name: "/bin/ca? /etc/passwd",
// "/?s?/?i?/c?t", "/u*/b*/wh*mi". At most 8 globbed paths are examined,
// each against the binary directories and then the command names.
func Command(s string) int {
	seen := 0
	jumps := 0 // strings.IndexByte calls so far: at most one per 16 bytes, past the first 8
	for i := 0; i < len(s) && seen < 8; i++ {
		if s[i] != '/' && jumps < 8+i>>4 {
			// the next slash by a vector search while slashes are
			// sparse; where they are dense a call per slash would cost
			// more than the byte loop
			jumps++
			k := strings.IndexByte(s[i:], '/')
			if k < 0 {
				break
			}
			i += k
		}
		if s[i] != '/' || i > 0 && s[i-1] != ' ' && !shell.Separator(s[i-1]) && s[i-1] != ',' && s[i-1] != '{' && s[i-1] != '"' && s[i-1] != '\'' {
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
			if Match(dir, d) {
				dirOK = true
				break
			}
		}
		if dirOK {
			for name, strong := range shell.Commands() {
				if (strong || len(name) >= 3) && Match(base, name) {
					return i
				}
			}
		}
		i = j
	}
	return -1
}
