package script

import (
	"iter"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

var sinks = [...]string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "fromcharcode", "atob", "document.write", "import", "fetch", "function"}

// Sink finds JavaScript that runs a sink after breaking out of a string or
// attribute: '-alert(1)-', ";prompt`1`//", document.cookie exfiltration.
//
// have is the byte set of s (or a superset): the word lists skip the words
// it rules out, and a value that holds none of a list's words is not read
// for it.
func Sink(s string, have *lex.ByteSet) (int, int) {
	if i := strings.Index(s, "document.cookie"); i >= 0 {
		return i, 6
	}
	// Tagged-template calls run code without parentheses: x.call`${eval}`,
	// also with blanks and comments between the tokens.
	// compacted is s without comments and blanks, built at most once
	var compact string
	built := false
	compacted := func() string {
		if !built {
			compact, built = compactJS(s), true
		}
		return compact
	}
	t := s
	if strings.IndexByte(s, '`') >= 0 && strings.ContainsAny(s, " \t\n/") {
		t = compacted()
	}
	if _, i := taggedCalls.Index(t, have, nil); i >= 0 {
		if len(t) != len(s) {
			i = 0
		}
		return i, 7
	}
	if jsFuck(s) {
		return 0, 7
	}
	// The value is exactly a call of a JavaScript encoding builtin, a
	// probe for evaluation: atob(), btoa(x).
	if t := strings.TrimSpace(s); (strings.HasPrefix(t, "atob(") || strings.HasPrefix(t, "btoa(")) && strings.HasSuffix(t, ")") && strings.Count(t, "(") == 1 {
		return 0, 4
	}
	if i := domWrite(s); i >= 0 {
		return i, 6
	}
	// Comments and blanks between tokens: document /*x*/ . cookie,
	// (document)["cookie"], self /**/ ["alert"].
	if (strings.Contains(s, "/*") || strings.Contains(s, "[")) && memberRoots.Contains(s, have) {
		// Comments and blanks cannot split an identifier in JavaScript,
		// so each member access names its object in s itself: without
		// one, s is not compacted (a copy of the whole text).
		if compactMembers.Contains(compacted(), have) {
			return 0, 7
		}
	}
	// JSFuck: code written with []()!+ only (nine bytes in ten or more).
	// The count stops at the first byte that puts the others over a
	// tenth, where most texts are told apart.
	if len(s) > 40 {
		others := 0
		for i := 0; i < len(s) && others*10 <= len(s); i++ {
			switch s[i] {
			case '[', ']', '(', ')', '!', '+':
			default:
				others++
			}
		}
		if others*10 <= len(s) {
			return 0, 7
		}
	}
	if _, i := domMembers.Index(s, have, nil); i >= 0 {
		return i, 6
	}
	if len(s) >= sinkOnePassMin {
		if !have.Covers(&sinkBytes[0]) && !have.Covers(&sinkBytes[1]) && !have.Covers(&sinkBytes[2]) && !have.Covers(&sinkBytes[3]) && !have.Covers(&sinkBytes[4]) && !have.Covers(&sinkBytes[5]) {
			return 0, 0 // no sink can occur: s is not read
		}
		if _, i := sinkCallIndex.FindIn(s, have, sinkCallAt); i >= 0 {
			return i, 7
		}
		if i := indirectCall(s, have); i >= 0 {
			return i, 7
		}
		return 0, 0
	}
	for i, w := range sinkOccurrences(s, have) {
		if sinkCallAt(s, i, w) {
			return i, 7
		}
	}
	if i := indirectCall(s, have); i >= 0 {
		return i, 7
	}
	return 0, 0
}

// sinkOccurrences yields every occurrence of the call sinks in s, sink
// by sink in list order, passing over the sinks whose bytes are not all in
// have (the ByteSet of s, or a superset).
func sinkOccurrences(s string, have *lex.ByteSet) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for k, w := range sinks[:6] {
			if !have.Covers(&sinkBytes[k]) {
				continue
			}
			for off := 0; off < len(s); {
				i := strings.Index(s[off:], w)
				if i < 0 {
					break
				}
				i += off
				if !yield(i, w) {
					return
				}
				off = i + 1
			}
		}
	}
}

// sinkCallAt reports whether the sink w at s[i:] is called as a breakout
// does: the name as a word, '(' or '`' after blanks, an argument that is
// a literal, not prose, and a breakout or separator before the call.
func sinkCallAt(s string, i int, w string) bool {
	k := i + len(w)
	for k < len(s) && (lex.IsSpace(s[k]) || s[k] == ')' && false) {
		k++
	}
	if (i == 0 || !lex.IsWord(s[i-1])) && k < len(s) && (s[k] == '(' || s[k] == '`') {
		a := lex.SkipSpace(s, k+1)
		// an argument that is a literal, not prose
		// setTimeout(code, 1), setInterval(name, 9): a string or
		// identifier run as code after a delay
		timer := w == "settimeout" || w == "setinterval"
		if timer && a < len(s) && lex.IsAlpha(s[a]) {
			e := a
			for e < len(s) && (lex.IsWord(s[e]) || s[e] == '.') {
				e++
			}
			if e = lex.SkipSpace(s, e); e < len(s) && s[e] == ',' {
				a = len(s) + 1
			}
		}
		if a == len(s)+1 || a < len(s) && (lex.IsDigit(s[a]) || s[a] == '\'' || s[a] == '"' || s[a] == '`' || s[a] == '/' || s[a] == ')' || strings.HasPrefix(s[a:], "document") || strings.HasPrefix(s[a:], "window") || strings.HasPrefix(s[a:], "this") || strings.HasPrefix(s[a:], "string.") || strings.HasPrefix(s[a:], "atob(") || strings.HasPrefix(s[a:], "self") || strings.HasPrefix(s[a:], "top") || strings.HasPrefix(s[a:], "location") || strings.HasPrefix(s[a:], "origin") || strings.HasPrefix(s[a:], "navigator") || strings.HasPrefix(s[a:], "globalthis")) {
			// a breakout or separator before the call
			b := i
			b = lex.SkipSpaceBack(s, b)
			if b == 0 || strings.IndexByte("'\";-+*/|&(=`>,{}[)", s[b-1]) >= 0 || s[b-1] == '.' {
				return true
			}
		}
	}
	return false
}

// sinkOnePassMin is the text length from which Sink searches the sink
// calls in one pass (sinkCallIndex) rather than one strings.Index per
// sink and occurrence.
const sinkOnePassMin = 256

// The word lists of Sink, each read in one pass over a long value, with
// the answer of a strings.Index or strings.Contains per word in list
// order; sinkBytes the byte set of each sink.
var (
	taggedCalls    = lex.NewWordList(".call`", ".apply`", ".bind`", "`${eval}", "${alert", "import(")
	memberRoots    = lex.NewWordList("document", "self", "window", "top", "constructor")
	compactMembers = lex.NewWordList("document.cookie", "document[\"cookie\"]", "document['cookie']", "(document)[\"cookie\"]", "(document)['cookie']", "self[\"alert\"]", "self['alert']", "window[\"alert\"]", "top[\"alert\"]", "[\"constructor\"]", "['constructor']")
	domMembers     = lex.NewWordList("document.domain", "window.location", "document.location", ".innerhtml", "document.write(", "-moz-binding", "window.name", "top.location", "location.href", "localstorage.", "constructor.constructor", "window[", "self[", "top[")
	sinkCallIndex  = lex.NewFirstIndex(sinks[:6])
	sinkBytes      = lex.BytesOfAll(sinks[:6])
)

// compactJS removes /* */ comments and blanks. An unclosed comment drops
// the rest of s. The bytes between blanks and comments are copied a run
// at a time.
func compactJS(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := 0 // the run of kept bytes s[start:i]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !compactStop[c] {
			continue // one lookup for every byte a comment or blank cannot start at
		}
		if c != '/' { // a blank
			b.WriteString(s[start:i])
			start = i + 1
			continue
		}
		if i+1 < len(s) && s[i+1] == '*' {
			b.WriteString(s[start:i])
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			i += j + 3
			start = i + 1
		}
	}
	b.WriteString(s[start:])
	return b.String()
}

// compactStop marks the bytes compactJS looks at: the blanks (lex.IsSpace)
// and '/', which may open a comment.
var compactStop = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true, '/': true}

// jsFuck reports JavaScript written only with []()!+ (and blanks, which a
// form decoder makes of "+"): "+!![]", "(![]+[])[+!+[]]". The value must
// hold an array literal and at least two operators, which no prose,
// markdown ("![]()") or empty list ("[]") does.
func jsFuck(s string) bool {
	ops, arr, n := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '!', '+':
			ops++
		case '[':
			arr = arr || i+1 < len(s) && s[i+1] == ']'
		case ']', '(', ')':
		case ' ', '\t':
			continue
		default:
			return false
		}
		n++
	}
	return arr && ops >= 2 && n >= 4
}

// domWrite finds script that writes to the page: a document lookup or
// element creation followed by a write to the DOM (textContent=,
// innerHTML=, appendChild(...)).
func domWrite(s string) int {
	i := strings.Index(s, "document.")
	if i < 0 || i > 0 && lex.IsWord(s[i-1]) {
		return -1
	}
	r := s[i+len("document."):]
	if !(strings.HasPrefix(r, "queryselector") || strings.HasPrefix(r, "getelementby") || strings.HasPrefix(r, "createelement") || strings.HasPrefix(r, "body.")) {
		return -1
	}
	for _, w := range [...]string{".textcontent", ".innertext", ".outerhtml", ".insertadjacenthtml(", ".appendchild(", ".setattribute(", ".src", ".href"} {
		if j := strings.Index(r, w); j >= 0 {
			e := lex.SkipSpace(r, j+len(w))
			if w[len(w)-1] == '(' || e < len(r) && r[e] == '=' && (e+1 >= len(r) || r[e+1] != '=') {
				return i
			}
		}
	}
	return -1
}
