// Package evasion reads the shell shapes that hide a command from the
// command-position lexer of package shell: command names split by
// expansions that expand to nothing (pi$()ng, ""p""y""t""h""o""n),
// commands run through variables assigned in the same input,
// self-replicating functions, and separators glued to a command word.
// The shell runs each of them; nothing but an evasion writes a command
// that way.
package evasion

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// evasionBoundaries end a shell word for EvadedCommand: blanks,
// separators, redirects, argument punctuation.
const evasionBoundaries = " \t\n\r\v\f;|&,{}/=+()<>"

// evasionMarks are the bytes that may hide a command inside a word:
// quotes, escapes, expansions, classes.
const evasionMarks = "'\"\\$`["

// Byte classes for EvadedCommand, one table lookup a byte.
const (
	evasionPlain    = 0         // an ordinary word byte
	evasionBoundary = 1 << iota // in evasionBoundaries
	evasionMark                 // in evasionMarks
	evasionSubst                // may open an empty substitution: $ < > `
)

// evasionClass classifies every byte, so that EvadedCommand passes over
// ordinary word bytes, most of a long value, with one lookup each
// instead of a switch, a substitution check and a mark check.
var evasionClass = func() (t [256]uint8) {
	for i := 0; i < len(evasionBoundaries); i++ {
		t[evasionBoundaries[i]] |= evasionBoundary
	}
	for i := 0; i < len(evasionMarks); i++ {
		t[evasionMarks[i]] |= evasionMark
	}
	for _, c := range []byte("$<>`") {
		t[c] |= evasionSubst
	}
	return t
}()

// EvadedCommand finds a command name hidden by shell constructs that expand
// to nothing inside the word: pi“ng, pi$()ng, pi<()ng, c$!at, una$$me,
// uname$u, ${x}gcc, n$u\c$u, ""p""y""t""h""o""n. The shell runs the
// command; nothing but an evasion writes a command name that way. Each word
// is read once (linear in s); buf is scratch. It returns the word's bounds.
func EvadedCommand(s string, buf []byte) (start, end int, _ []byte) {
	for i := 0; i < len(s); {
		// "$()", "<()" and ">()" are parts of a word, not boundaries.
		if evasionClass[s[i]]&evasionBoundary != 0 && emptySubst(s, i) == 0 {
			i++
			continue
		}
		j := i
		marked := false
		plain := 0 // the word's ordinary bytes: unevade keeps no others
		for j < len(s) {
			class := evasionClass[s[j]]
			if class == evasionPlain {
				plain++
				j++
				continue
			}
			if n := emptySubst(s, j); n > 0 {
				j += n
				marked = true
				continue
			}
			if class&evasionBoundary != 0 {
				break
			}
			marked = marked || class&evasionMark != 0
			j++
		}
		if marked && plain >= 2 { // a command name has two bytes at least ("id")
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
	name, strong, ok := shell.CommandName(lex.View(dst))
	if !ok {
		return dst, false
	}
	if !strongPiece && (quotes < 2 || len(name) < 3 && !strong) {
		return dst, false
	}
	return dst, true
}

// assignmentAfter marks the bytes after which VarCommand reads an
// assignment: a command separator (shell.Separator) or '=' (a=b=c). One
// lookup a byte of a long value.
var assignmentAfter = func() (t [256]bool) {
	for c := range t {
		t[c] = shell.Separator(byte(c)) || c == '='
	}
	return t
}()

// assignmentAfterBlanks reports whether a name starts at s[i] after
// blanks that follow a separator (or the start): "; x=id; $x". Only a
// name's first byte asks, so a run of blanks is read back once.
func assignmentAfterBlanks(s string, i int) bool {
	if !lex.IsSpace(s[i-1]) || !lex.IsAlpha(s[i]) && s[i] != '_' {
		return false
	}
	b := lex.SkipSpaceBack(s, i)
	return b == 0 || shell.Separator(s[b-1])
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
	// An assignment is a name and '=': each '=' is found many bytes a
	// step and its name read back over the word bytes before it. A name
	// starts only after a byte that is not a word byte (a separator,
	// '=' or a blank), so the name read back is the one a reading from
	// each position would find, and the names are met in the same order;
	// no byte is read back twice, as no name holds a '='.
	for off := 0; nv < len(vars); {
		e := strings.IndexByte(s[off:], '=')
		if e < 0 {
			break
		}
		j := off + e
		off = j + 1
		i := j
		for i > 0 && lex.IsWord(s[i-1]) {
			i--
		}
		if i == j || lex.IsDigit(s[i]) || i > 0 && !assignmentAfter[s[i-1]] && !assignmentAfterBlanks(s, i) {
			continue
		}
		k := j + 1
		var val string
		if k+1 < len(s) && s[k] == '$' && (s[k+1] == '\'' || s[k+1] == '"' || s[k+1] == '\\' && k+2 < len(s) && (s[k+2] == '\'' || s[k+2] == '"')) {
			k++ // ANSI-C or locale quoting, $'id' or $"id": the same word
		}
		switch {
		case k+2 < len(s) && s[k-1] == '$' && s[k] == '\\' && (s[k+1] == '\'' || s[k+1] == '"'):
			// the quotes escaped, as a payload meant for the inside of
			// a quoted string carries them: CMD=$\'id\';$CMD
			e := strings.Index(s[k+2:], s[k:k+2])
			if e < 0 {
				continue
			}
			val = s[k+2 : k+2+e]
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
			for e < len(s) && !shell.Separator(s[e]) && !lex.IsSpace(s[e]) {
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
		if s[i] != '$' || i > 0 && !shell.Separator(s[i-1]) && !(i > 1 && lex.IsSpace(s[i-1]) && shell.Separator(s[i-2])) {
			continue
		}
		// expand the word at i: $name, ${name}, literal bytes
		buf = buf[:0]
		expanded := false
		k := i
		for k < len(s) && !lex.IsSpace(s[k]) && !shell.Separator(s[k]) && len(buf) < 128 {
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
		if _, _, ok := shell.CommandName(w); ok && len(w) >= 2 {
			return i, buf
		}
		var scratch [64]byte
		if d, ok := unevade(scratch[:0], w); ok || len(d) >= 2 && func() bool { _, _, ok := shell.CommandName(lex.View(d)); return ok }() {
			return i, buf
		}
	}
	return -1, buf
}

// SelfCallingFunction finds a shell function whose body runs itself in a
// pipeline or in the background, the fork-bomb shape: ":(){ :|:& };:",
// "f(){ f & f; };f", "test() { test | test & } test". Linear: each "()"
// is examined once, with its body.
func SelfCallingFunction(s string) int {
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], "()")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		b := i
		for b > 0 && (lex.IsWord(s[b-1]) || s[b-1] == ':' || s[b-1] == '.') {
			b--
		}
		if b == i || b > 0 && !lex.IsSpace(s[b-1]) && !shell.Separator(s[b-1]) {
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
			r := lex.TrimBlanksLeft(strings.TrimPrefix(body[k:], "()"))
			if strings.HasPrefix(r, "|") || strings.HasPrefix(r, "&") && !strings.HasPrefix(r, "&&") {
				return b
			}
		}
	}
	return -1
}

// GluedSeparatorCommand finds a separator glued to a command word at the
// start of the value or after a blank: ";top", " |id", "&&ls", ";at 2:00".
// Prose puts a blank after ';' and '|'; backticks are left to detect's
// command reading, which tells inline code in prose from substitutions.
// Paranoia 2.
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
		w, _, we := shell.CommandWordAt(s, j)
		if _, _, ok := shell.CommandName(w); ok && shell.WordEnds(s, we) {
			return i
		}
		if w == "at" && we+1 < len(s) && s[we] == ' ' && (lex.IsDigit(s[we+1]) || strings.HasPrefix(s[we+1:], "now")) {
			return i
		}
		i += n - 1
	}
	return -1
}
