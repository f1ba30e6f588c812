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
	pick := func(n int) string { return randomText(r, alphabet, n) }
	rejectEven := func(i int, _ string) bool { return i%2 == 1 }
	check := func(words []string, s string, from, to int, ok func(int, string) bool) {
		t.Helper()
		l := NewWordList(words...)
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		indexAgrees(t, &l, words, s[from:to], s, &have, ok)
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
		indexAgrees(t, &l, words, s, s, &have, nil)
	})
}

// TestIndexWithLongPairsAgrees holds WordList.Index and Contains given a
// long text's exact Pairs to the plain reading: on random long texts
// over a small alphabet (where most words' pairs occur), on texts made
// of a few pairs (where most words' pairs do not), on long and short
// parts of the text, with one Pairs reused from text to text, and on
// lists too long for one pass.
func TestIndexWithLongPairsAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 23))
	const alphabet = "abcde ./x-"
	pick := func(from string, n int) string { return randomText(r, from, n) }
	rejectEven := func(i int, _ string) bool { return i%2 == 1 }
	var p Pairs // reused: each text's table must not hold the last one's pairs
	for n := 0; n < 3000; n++ {
		var s string
		switch n % 3 {
		case 0:
			s = pick(alphabet, onePassMin+r.IntN(3*onePassMin))
		case 1: // a cycle: every byte of the alphabet, few pairs
			s = strings.Repeat(alphabet[r.IntN(3):], 4*onePassMin/len(alphabet))
		default: // a few pairs, then the words' bytes near the end
			s = strings.Repeat("ab.", onePassMin) + pick(alphabet, 8)
		}
		words := make([]string, 1+r.IntN(20))
		if n%7 == 0 {
			words = make([]string, 65+r.IntN(10)) // searched word by word
		}
		for k := range words {
			words[k] = pick(alphabet, 1+r.IntN(5))
		}
		l := NewWordList(words...)
		have := BytesAndPairsOf(s, &p)
		if plain := BytesOf(s); have.b != plain.b {
			t.Fatalf("BytesAndPairsOf(%q) bytes %x, BytesOf %x", s, have.b, plain.b)
		}
		from := r.IntN(len(s))
		to := from + r.IntN(len(s)-from+1)
		if n%2 == 0 {
			to = min(len(s), from+r.IntN(onePassMin)) // a short part
		}
		var ok func(int, string) bool
		if n%3 == 0 {
			ok = rejectEven
		}
		for _, part := range []string{s, s[from:to]} {
			indexAgrees(t, &l, words, part, s, &have, ok)
			want := false
			for _, w := range words {
				want = want || strings.Contains(part, w)
			}
			if got := l.Contains(part, &have); got != want {
				t.Fatalf("Contains(%q of %q) over %q = %v, strings.Contains per word %v", part, s, words, got, want)
			}
		}
	}
}

// TestLongPairsTellShapesAsTheTextDoes holds the shapes a long text's
// Pairs answer from their table to textShapes reading the text.
func TestLongPairsTellShapesAsTheTextDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 31))
	for _, tc := range []struct {
		name, text string
	}{
		{"full stops only", strings.Repeat("end. next. ", 40)},
		{"a member access", strings.Repeat("x", 300) + "os.system"},
		{"a dot before a capital", strings.Repeat("a. ", 100) + ".Z"},
		{"a dot before a digit", strings.Repeat("1.2 ", 100)},
		{"a flag after a blank", strings.Repeat("a", 300) + " -i"},
		{"a dash between words", strings.Repeat("well-known ", 40)},
		{"a switch after a blank", strings.Repeat("a", 300) + " /c"},
		{"a slash in a path", strings.Repeat("a/b ", 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Pairs
			BytesAndPairsOf(tc.text, &p)
			all := ^uint8(0)
			if got, want := p.shapes(all), textShapes(tc.text, all); got != want {
				t.Errorf("shapes %03b, textShapes %03b", got, want)
			}
		})
	}
	const alphabet = " -/.aZ09@["
	for range 2000 {
		s := randomText(r, alphabet, onePassMin+r.IntN(64))
		var p Pairs
		BytesAndPairsOf(s, &p)
		want := uint8(r.IntN(8))
		if got, plain := p.shapes(want), textShapes(s, want); got != plain {
			t.Fatalf("shapes(%03b) of %q = %03b, textShapes %03b", want, s, got, plain)
		}
	}
}

// TestFirstByteJumpTakesTheWordsFirstBytes holds newFirstByteJump, which
// reads the first bytes off the live words, to a reading of the 256
// first-byte masks in byte order.
func TestFirstByteJumpTakesTheWordsFirstBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 41))
	for range 2000 {
		words := make([]string, 1+r.IntN(64))
		for k := range words {
			words[k] = string([]byte{byte(r.IntN(256)), 'x'}[:1+r.IntN(2)])
			if r.IntN(2) == 0 {
				words[k] = string([]byte{"$@#"[r.IntN(3)], 'y'})
			}
		}
		l := NewWordList(words...)
		p := l.tables().pairs
		live := r.Uint64()
		if len(words) < 64 {
			live &= 1<<len(words) - 1
		}
		var want firstByteJump
		for c := range p.first {
			if p.first[c]&live == 0 {
				continue
			}
			if want.n == maxJumpBytes {
				want = firstByteJump{}
				break
			}
			want.c[want.n], want.at[want.n], want.on = byte(c), -1, true
			want.n++
		}
		if live == 0 {
			want.on = true
		}
		if got := newFirstByteJump(p, live); got != want {
			t.Fatalf("words %q live %b: %+v, want %+v", words, live, got, want)
		}
	}
}

// FuzzIndexWithLongPairs holds the reading with a long text's Pairs to
// the plain one on any text, repeated past onePassMin, and any word.
func FuzzIndexWithLongPairs(f *testing.F) {
	f.Add("select * from users where id=1 ", "from")
	f.Add("jqxz_kvbyw.()[]{}<>;|&$%@#!?*=+-/", "os.system")
	f.Add("a", "aa")
	f.Fuzz(func(t *testing.T, s, w string) {
		if s == "" || w == "" {
			return
		}
		s = strings.Repeat(s, onePassMin/len(s)+1)
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		words := []string{w, strings.ToUpper(w), w + "x", " -" + w, "." + w}
		l := NewWordList(words...)
		indexAgrees(t, &l, words, s, s, &have, nil)
	})
}

// BenchmarkBytesAndPairsOfLong measures the one pass that makes a long
// text's ByteSet and exact Pairs, beside BytesOf alone, on 1 MiB of a
// repeated pair (a hostile text), of random bytes (a new pair every few
// bytes at first) and of a cycle of the bytes the lists search by.
func BenchmarkBytesAndPairsOfLong(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 1<<20)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	for _, tc := range []struct{ name, text string }{
		{"tag openers", strings.Repeat("<a", 1<<19)},
		{"random", string(random)},
		{"rare bytes", strings.Repeat("jqxz_kvbyw.()[]{}<>;|&$%@#!?*=+-/\\'`:eiaostnrlcdhmupfg ", 1<<20/56)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var p Pairs
			b.SetBytes(int64(len(tc.text)))
			for range b.N {
				BytesAndPairsOf(tc.text, &p)
			}
		})
		b.Run(tc.name+"/BytesOf", func(b *testing.B) {
			b.SetBytes(int64(len(tc.text)))
			for range b.N {
				BytesOf(tc.text)
			}
		})
	}
}

// TestIndexInAgrees holds IndexIn to strings.Index: on short texts (a
// Bloom filter of pairs) and long ones (the exact table), texts of a few
// pairs and texts of every pair, parts of the text the set was made of,
// a set without Pairs, and one Pairs reused from text to text.
func TestIndexInAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 29))
	const alphabet = "ab{}<!-x"
	var p Pairs // reused: each text's table must not hold the last one's pairs
	for n := 0; n < 6000; n++ {
		var s string
		switch n % 3 {
		case 0:
			s = randomText(r, alphabet, 2+r.IntN(3*onePassMin))
		case 1: // a cycle: every byte of the alphabet, few pairs
			s = strings.Repeat(alphabet[r.IntN(3):], 1+r.IntN(4*onePassMin/len(alphabet)))
		default: // a few pairs, then other bytes near the end
			s = strings.Repeat("ab{", 1+r.IntN(onePassMin)) + randomText(r, alphabet, 8)
		}
		have := BytesAndPairsOf(s, &p)
		plain := BytesOf(s)
		from := r.IntN(len(s))
		to := from + r.IntN(len(s)-from+1)
		for range 8 {
			w := randomText(r, alphabet, 1+r.IntN(4))
			for _, part := range []string{s, s[from:to]} {
				want := strings.Index(part, w)
				if got := IndexIn(part, &have, w); got != want {
					t.Fatalf("IndexIn(%q (of %q), %q) = %d, want %d", part, s, w, got, want)
				}
				if got := IndexIn(part, &plain, w); got != want {
					t.Fatalf("IndexIn(%q, %q) without Pairs = %d, want %d", part, w, got, want)
				}
			}
		}
	}
}

// FuzzIndexIn holds IndexIn to strings.Index on texts and words the
// fuzzer makes, with the Pairs of a text the searched one lies within.
func FuzzIndexIn(f *testing.F) {
	f.Add("<!doctype x system", "<!entity", 3)
	f.Add(strings.Repeat("{a}", 100), "{{", 0)
	f.Add("aaaa", "aa", 1)
	f.Fuzz(func(t *testing.T, s, w string, from int) {
		if s == "" {
			return
		}
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		part := s[uint(from)%uint(len(s)):]
		if got, want := IndexIn(part, &have, w), strings.Index(part, w); got != want {
			t.Fatalf("IndexIn(%q (of %q), %q) = %d, want %d", part, s, w, got, want)
		}
	})
}

// TestFindInAgrees holds FirstIndex.FindIn to Find: on short and long
// texts of few pairs and of many, with words that occur and words one of
// whose pairs does not, with and without an ok that rejects occurrences.
func TestFindInAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 31))
	const alphabet = "abcde(`.x"
	rejectEven := func(_ string, i int, _ string) bool { return i%2 == 1 }
	var p Pairs
	for n := 0; n < 4000; n++ {
		s := randomText(r, alphabet, 2+r.IntN(3*onePassMin))
		if n%2 == 1 {
			s = strings.Repeat(alphabet[r.IntN(4):], 1+r.IntN(4*onePassMin/len(alphabet)))
		}
		words := make([]string, 1+r.IntN(8))
		for k := range words {
			words[k] = randomText(r, alphabet, 2+r.IntN(4))
		}
		x := NewFirstIndex(words)
		have := BytesAndPairsOf(s, &p)
		from := r.IntN(len(s))
		for _, part := range []string{s, s[from:]} {
			for _, ok := range []func(string, int, string) bool{nil, rejectEven} {
				wk, wat := x.Find(part, ok)
				if k, at := x.FindIn(part, &have, ok); k != wk || at != wat {
					t.Fatalf("FindIn(%q (of %q)) of %q = %d, %d; Find reads %d, %d", part, s, words, k, at, wk, wat)
				}
			}
		}
	}
}

// FuzzFindIn holds FirstIndex.FindIn to Find on texts and words the
// fuzzer makes.
func FuzzFindIn(f *testing.F) {
	f.Add("x;alert(1)", "alert", "eval")
	f.Add(strings.Repeat("jqxz_kvbyw.()", 30), "eval", "(x")
	f.Fuzz(func(t *testing.T, s, w1, w2 string) {
		if len(s) < 2 || len(w1) < 2 || len(w2) < 2 {
			return
		}
		var p Pairs
		have := BytesAndPairsOf(s, &p)
		x := NewFirstIndex([]string{w1, w2})
		wk, wat := x.Find(s, nil)
		if k, at := x.FindIn(s, &have, nil); k != wk || at != wat {
			t.Fatalf("FindIn(%q) of %q, %q = %d, %d; Find reads %d, %d", s, w1, w2, k, at, wk, wat)
		}
	})
}
