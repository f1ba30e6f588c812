package lex

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIndexWithPairsAgrees holds WordList.Index given a text's Pairs to
// the plain reading (indexByWord): on random short texts over a small
// alphabet, where words overlap and share bytes, on parts of the text
// the Pairs were made of, and on the lines of the corpora with words
// cut from other lines.
func TestIndexWithPairsAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	const alphabet = "abcde ./x"
	pick := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	rejectEven := func(i int, _ string) bool { return i%2 == 1 }
	check := func(words []string, s string, from, to int, ok func(int, string) bool) {
		t.Helper()
		l := NewWordList(words...)
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		part := s[from:to]
		w, i := l.Index(part, &have, ok)
		ww, wi := indexByWord(words, part, &have, ok)
		if w != ww || i != wi {
			t.Fatalf("Index(%q of %q) over %q = %q at %d, plain reading %q at %d", part, s, words, w, i, ww, wi)
		}
	}
	for n := 0; n < 4000; n++ {
		s := pick(2 + r.IntN(onePassMin-2))
		words := make([]string, 1+r.IntN(20))
		for k := range words {
			words[k] = pick(1 + r.IntN(5))
		}
		from := r.IntN(len(s))
		to := from + r.IntN(len(s)-from+1)
		var ok func(int, string) bool
		if n%3 == 0 {
			ok = rejectEven
		}
		check(words, s, 0, len(s), ok)
		check(words, s, from, to, ok)
	}
	var lines []string
	for _, text := range corpusTexts(t) {
		if len(text) >= 2 && len(text) < onePassMin {
			lines = append(lines, strings.ToLower(text))
		}
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d corpus lines", len(lines))
	}
	for n := 0; n < 3000; n++ {
		s := lines[r.IntN(len(lines))]
		words := make([]string, 0, 24)
		for len(words) < cap(words) {
			o := lines[r.IntN(len(lines))]
			i := r.IntN(len(o))
			words = append(words, o[i:min(len(o), i+2+r.IntN(8))])
		}
		if n%5 == 0 { // words the text holds, among the rest
			i := r.IntN(len(s))
			words[r.IntN(len(words))] = s[i:min(len(s), i+1+r.IntN(6))]
		}
		check(words, s, 0, len(s), nil)
	}
}

// TestPairsOfAnotherTextAreNotRead: a set whose Pairs were made of one
// text, asked about another (a normalised copy, say) whose bytes it
// covers, reads the bytes alone: the other text's pairs are not its own.
func TestPairsOfAnotherTextAreNotRead(t *testing.T) {
	var p Pairs
	have := BytesAndPairsOf("ex ce", &p) // pairs "ex", "x ", " c", "ce": no "xe", no "ec"
	l := NewWordList("exec")
	if w, i := l.Index(strings.Clone("exec"), &have, nil); w != "exec" || i != 0 {
		t.Errorf("Index in another text = %q at %d, want exec at 0", w, i)
	}
	if w, i := l.Index("ex ce", &have, nil); i >= 0 {
		t.Errorf("Index in the text itself = %q at %d, want none", w, i)
	}
}

// FuzzIndexWithPairs holds the reading with Pairs to the plain one on
// any short text and word.
func FuzzIndexWithPairs(f *testing.F) {
	f.Add("select * from users where id=1", "from")
	f.Add("mozilla/5.0 (x11; linux x86_64)", "x86")
	f.Add("aaaa", "aa")
	f.Fuzz(func(t *testing.T, s, w string) {
		if len(s) < 2 || len(s) >= onePassMin || w == "" {
			return
		}
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		words := []string{w, strings.ToUpper(w), w + "x"}
		l := NewWordList(words...)
		gw, gi := l.Index(s, &have, nil)
		ww, wi := indexByWord(words, s, &have, nil)
		if gw != ww || gi != wi {
			t.Fatalf("Index(%q) over %q = %q at %d, plain reading %q at %d", s, words, gw, gi, ww, wi)
		}
	})
}
