package script

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// sinkBefore is Sink as it was before its word lists were read in one pass
// each and a long value's sink calls in one pass (sinkCallIndex): a
// strings.Index per word, and per sink and occurrence. The oracle for
// TestSinkAgreesWithSearchPerWord.
func sinkBefore(s string) (int, int) {
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
	for _, w := range [...]string{".call`", ".apply`", ".bind`", "`${eval}", "${alert", "import("} {
		if i := strings.Index(t, w); i >= 0 {
			if len(t) != len(s) {
				i = 0
			}
			return i, 7
		}
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
	roots := false
	for _, r := range [...]string{"document", "self", "window", "top", "constructor"} {
		roots = roots || strings.Contains(s, r)
	}
	if (strings.Contains(s, "/*") || strings.Contains(s, "[")) && roots {
		c := compacted()
		for _, w := range [...]string{"document.cookie", "document[\"cookie\"]", "document['cookie']", "(document)[\"cookie\"]", "(document)['cookie']", "self[\"alert\"]", "self['alert']", "window[\"alert\"]", "top[\"alert\"]", "[\"constructor\"]", "['constructor']"} {
			if strings.Contains(c, w) {
				return 0, 7
			}
		}
	}
	// JSFuck: code written with []()!+ only.
	if len(s) > 40 {
		n := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '[', ']', '(', ')', '!', '+':
				n++
			}
		}
		if n*10 >= len(s)*9 {
			return 0, 7
		}
	}
	for _, w := range [...]string{"document.domain", "window.location", "document.location", ".innerhtml", "document.write(", "-moz-binding", "window.name", "top.location", "location.href", "localstorage.", "constructor.constructor", "window[", "self[", "top["} {
		if i := strings.Index(s, w); i >= 0 {
			return i, 6
		}
	}
	for _, w := range sinks[:6] {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			i += off
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
					for b > 0 && lex.IsSpace(s[b-1]) {
						b--
					}
					if b == 0 || strings.IndexByte("'\";-+*/|&(=`>,{}[)", s[b-1]) >= 0 || s[b-1] == '.' {
						return i, 7
					}
				}
			}
			off = i + 1
		}
	}
	have := lex.BytesOf(s)
	if i := indirectCall(s, &have); i >= 0 {
		return i, 7
	}
	return 0, 0
}

// sinkOf is Sink with the byte set of s.
func sinkOf(s string) (int, int) {
	have := lex.BytesOf(s)
	return Sink(s, &have)
}

// TestSinkAgreesWithSearchPerWord holds Sink to the search per word on the
// corpora, hostile random strings, texts of sinks, members, breakouts and
// arguments (short ones and ones past sinkOnePassMin), their mutations and
// long runs.
func TestSinkAgreesWithSearchPerWord(t *testing.T) {
	check := func(s string) {
		t.Helper()
		gi, gs := sinkOf(s)
		wi, ws := sinkBefore(s)
		if gi != wi || gs != ws {
			t.Fatalf("Sink(%d bytes %.80q) = %d, %d; search per word %d, %d", len(s), s, gi, gs, wi, ws)
		}
	}
	r := rand.New(rand.NewPCG(157, 163))
	pieces := []string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "(", ")", "`", "'", "\"", ";", "-", " ", "1", "x", ",", ".", "document", ".cookie", "window", "[\"alert\"]", "/**/", "self", "top", "location", ".href", "run", "atob(", ".call`", "${eval}", "import(", "[]", "!", "+", "a", "[", "self[", "top[", "window[", "document.domain", ".innerhtml"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 14)...)
	found := 0
	for k, s := range texts {
		s = strings.ToLower(s)
		check(s)
		if k%4 == 0 {
			for _, m := range difftest.Mutate(r, s) {
				check(m)
			}
		}
		if _, sc := sinkOf(s); sc > 0 {
			found++
		}
	}
	// long texts: short ones joined past sinkOnePassMin, so that the
	// one-pass path meets what the short ones hold
	for range 3000 {
		var b strings.Builder
		for b.Len() < sinkOnePassMin {
			b.WriteString(texts[len(texts)-1-r.IntN(20000)])
			b.WriteString([]string{"", " ", ";", "x"}[r.IntN(4)])
		}
		check(strings.ToLower(b.String()))
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
	}
	if found < 1000 {
		t.Errorf("only %d sinks found: the texts do not exercise Sink", found)
	}
}
