package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// highBitTagBefore is highBitTag as it was before it copied ASCII runs at
// once and read continuation bytes without decoding: one append and one
// DecodeRuneInString per byte. The oracle for
// TestHighBitTagAgreesWithRuneByRune.
func (in *input) highBitTagBefore() (int, bool) {
	s := in.lower()
	esc := in.mask.has(bBackslash) && strings.Contains(s, `\xbc`)
	if !esc && strings.IndexByte(s, 0xbc) < 0 {
		return 0, false // every form of '<' in this reading has a 0xBC byte
	}
	raw := s
	if esc {
		// \xHH escapes (a JavaScript, PHP or C string) first
		in.sc.norm = in.sc.norm[:0]
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
				if b, ok := unhex2(s[i+2], s[i+3]); ok {
					in.sc.norm = append(in.sc.norm, b)
					i += 3
					continue
				}
			}
			in.sc.norm = append(in.sc.norm, s[i])
		}
		raw = unsafeString(in.sc.norm)
	}
	in.sc.tmp = in.sc.tmp[:0]
	lt := false
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			in.sc.tmp = append(in.sc.tmp, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(raw[i:])
		low := byte(r & 0x7f)
		if r == utf8.RuneError && n == 1 {
			low = c & 0x7f
		}
		i += n
		switch low {
		case '<':
			lt = true
		case '>', '"', '\'', '(', ')', '/', '=', ' ':
		default:
			low = '_'
		}
		in.sc.tmp = append(in.sc.tmp, low)
	}
	if !lt {
		return 0, false
	}
	r := unsafeString(in.sc.tmp)
	off, sc := html.Tag(r)
	if sc < 8 {
		return 0, false
	}
	// The reading is a guess about the server, so it must give a whole
	// element, not just one stray '<' beside an ASCII word: a script
	// container opened and closed ("<script>...</script>"), or another
	// tag closed by its '>'.
	k := off + 1
	for k < len(r) && isAlnum(r[k]) {
		k++
	}
	switch name := r[off+1 : k]; name {
	case "script", "iframe", "object", "embed", "applet":
		c := strings.Index(r[k:], "</"+name)
		return 0, c >= 0 && strings.HasPrefix(r[k+c+2+len(name):], ">")
	}
	return 0, strings.IndexByte(r[k:], '>') >= 0
}

// TestHighBitTagAgreesWithRuneByRune holds highBitTag to the code it
// replaced on the corpora, hostile random strings, texts of ASCII markup
// with high-bit forms of '<' and '>' (0xBC, 0xBE, U+00BC, U+043C, \xbc
// escapes, invalid and truncated sequences), their mutations and long
// runs.
func TestHighBitTagAgreesWithRuneByRune(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	type result struct {
		i  int
		ok bool
	}
	run := func(s string, f func(*input) (int, bool)) result {
		v := body("q", s)
		sc := e.scratch.Get().(*scratch)
		defer e.scratch.Put(sc)
		in := input{e: e, v: v, text: v.Text, sink: sinkOf(&v), sc: sc}
		in.mask = scanMask(in.text)
		i, ok := f(&in)
		return result{i, ok}
	}
	r := rand.New(rand.NewPCG(83, 89))
	pieces := []string{"\xbc", "\xbe", "¼", "¾", "м", "о", `\xbc`, `\xbe`, "script", "img", " ", "src", "=", "x", "onerror", "(", ")", "/", "'", "\"",
		"\xc2", "\xe0\xa0", "\xf0\x9f", "\x80", "\xff", "é", "<", ">", "a", "svg", "\u00a0"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 16)...)
	for _, s := range texts {
		ms := []string{s}
		if r.IntN(4) == 0 { // mutations of a quarter: the oracle is slow
			ms = append(ms, difftest.Mutate(r, s)...)
		}
		for _, m := range ms {
			if got, want := run(m, (*input).highBitTag), run(m, (*input).highBitTagBefore); got != want {
				t.Fatalf("highBitTag(%.80q) = %v, rune by rune %v", m, got, want)
			}
		}
	}
	every := make([]byte, 8192)
	for i := range every {
		every[i] = byte(i * 13)
	}
	texts = append(difftest.Long(r, append(pieces, difftest.Tokens...), 4096), string(every))
	for _, s := range texts {
		if got, want := run(s, (*input).highBitTag), run(s, (*input).highBitTagBefore); got != want {
			t.Fatalf("highBitTag(%d bytes %.80q) = %v, rune by rune %v", len(s), s, got, want)
		}
	}
}
