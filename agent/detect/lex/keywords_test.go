package lex

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBytesOf checks the byte set against a plain membership test for
// ASCII, high and edge bytes.
func TestBytesOf(t *testing.T) {
	for _, s := range []string{"", "a", "Conan O'Brien", "etc/passwd", "\x00\x3f\x40\x7f\x80\xbf\xc0\xff", "ünïcödé €", "ABCxyz{|}~"} {
		b := BytesOf(s)
		for c := 0; c < 256; c++ {
			in := false
			for i := 0; i < len(s); i++ {
				if int(s[i]) == c {
					in = true
				}
			}
			if got := b.b[c>>6]&(1<<(c&63)) != 0; got != in {
				t.Errorf("BytesOf(%q) has %#x = %v, want %v", s, c, got, in)
			}
		}
		w := BytesOf("passwd")
		if got, want := b.Covers(&w), s == "etc/passwd"; got != want {
			t.Errorf("BytesOf(%q).Covers(passwd) = %v, want %v", s, got, want)
		}
	}
}

// indexByWord is WordList.Index read plainly: in list order, each word at
// every offset of s, the first that ok accepts. The oracle for
// TestWordListIndexAgrees.
func indexByWord(words []string, s string, have *ByteSet, ok func(i int, w string) bool) (string, int) {
	for _, w := range words {
		set := BytesOf(w)
		if !have.Covers(&set) {
			continue
		}
		for i := 0; i+len(w) <= len(s); i++ {
			if s[i:i+len(w)] == w && (ok == nil || ok(i, w)) {
				return w, i
			}
		}
	}
	return "", -1
}

// randomText returns n bytes drawn from alphabet: texts over a small
// alphabet, where words overlap, share prefixes and repeat.
func randomText(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// indexAgrees fails t unless l, the list of words, finds in part (of the
// text whole) with the byte set have what the plain reading (indexByWord)
// finds.
func indexAgrees(t *testing.T, l *WordList, words []string, part, whole string, have *ByteSet, ok func(int, string) bool) {
	t.Helper()
	w, i := l.Index(part, have, ok)
	ww, wi := indexByWord(words, part, have, ok)
	if w != ww || i != wi {
		t.Fatalf("Index(%q of %q) over %q = %q at %d, plain reading %q at %d", part, whole, words, w, i, ww, wi)
	}
}

// TestWordListIndexAgrees checks the one-pass search against the oracle on
// random texts over a small alphabet (so that words overlap, share
// prefixes and repeat), with acceptance rules that reject some first
// occurrences, and with byte sets that rule words out.
func TestWordListIndexAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	const alphabet = "abc./_ x"
	pick := func(n int) string { return randomText(r, alphabet, n) }
	accept := []func(s string) func(int, string) bool{
		func(string) func(int, string) bool { return nil },
		func(s string) func(int, string) bool {
			return func(i int, _ string) bool { return i == 0 || !IsWord(s[i-1]) }
		},
		func(string) func(int, string) bool { return func(i int, w string) bool { return (i+len(w))%3 != 0 } },
		func(s string) func(int, string) bool {
			last := strings.LastIndexByte(s, '.')
			return func(i int, _ string) bool { return i < last }
		},
	}
	for range 400 {
		words := make([]string, 1+r.IntN(12))
		for k := range words {
			words[k] = pick(1 + r.IntN(4))
		}
		l := NewWordList(words...)
		for range 8 {
			s := pick(r.IntN(3 * onePassMin))
			have := BytesOf(s)
			if r.IntN(4) == 0 {
				have = BytesOf(pick(4)) // a set that rules words out
			}
			for _, a := range accept {
				gw, gi := l.indexOnePass(s, &have, a(s))
				ww, wi := indexByWord(words, s, &have, a(s))
				if gw != ww || gi != wi {
					t.Fatalf("words %q in %q: one pass %q at %d, by word %q at %d", words, s, gw, gi, ww, wi)
				}
				if gw, gi = l.Index(s, &have, a(s)); gw != ww || gi != wi {
					t.Fatalf("words %q in %q: Index %q at %d, by word %q at %d", words, s, gw, gi, ww, wi)
				}
			}
		}
	}
}

func TestByteSetHas(t *testing.T) {
	b := BytesOf("a'b;\xe2")
	tests := []struct {
		name  string
		chars string
		want  bool
	}{
		{"a byte of the text", "'", true},
		{"one of several present", "\"`;", true},
		{"a high byte", "\xe2", true},
		{"none present", "\"`#()", false},
		{"no bytes asked", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.HasAny(tt.chars); got != tt.want {
				t.Errorf("HasAny(%q) = %v, want %v", tt.chars, got, tt.want)
			}
			if len(tt.chars) == 1 && b.Has(tt.chars[0]) != tt.want {
				t.Errorf("Has(%q) = %v, want %v", tt.chars, !tt.want, tt.want)
			}
		})
	}
}

// TestWordListContainsAgrees holds WordList.Contains to a strings.Contains
// per word, on lists short enough for the one-pass masks and on one too
// long for them, over random texts of their words' bytes.
func TestWordListContainsAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	long := make([]string, 70)
	for i := range long {
		long[i] = fmt.Sprintf("w%02d", i)
	}
	for _, words := range [][]string{
		{"a", "ab", "abc", "b"},
		{"__class__", "__", "?new(", "''.", "x"},
		{"java.lang.", "java.", "javax.", "sun.", "jdk."},
		long,
	} {
		l := NewWordList(words...)
		alphabet := strings.Join(words, "") + " .("
		for range 20000 {
			var b strings.Builder
			for range r.IntN(24) {
				if r.IntN(4) == 0 {
					w := words[r.IntN(len(words))]
					b.WriteString(w[:1+r.IntN(len(w))]) // a word or a prefix of it
					continue
				}
				b.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
			s := b.String()
			want := false
			for _, w := range words {
				want = want || strings.Contains(s, w)
			}
			if got := l.Contains(s, nil); got != want {
				t.Fatalf("Contains(%q) over %q = %v, strings.Contains per word %v", s, words, got, want)
			}
			// a byte set that rules words out: only the words it covers count
			have := BytesOf(alphabet[:r.IntN(len(alphabet))])
			want = false
			for _, w := range words {
				ws := BytesOf(w)
				want = want || have.Covers(&ws) && strings.Contains(s, w)
			}
			if got := l.Contains(s, &have); got != want {
				t.Fatalf("Contains(%q, %x) over %q = %v, strings.Contains per covered word %v", s, have.b, words, got, want)
			}
		}
	}
}

// sparseText returns n bytes of filler no word starts with, with words of
// the list and their prefixes spliced in here and there: the texts on
// which the one-pass searches pass over whole blocks of positions.
func sparseText(r *rand.Rand, words []string, n int) string {
	const filler = "0123456789;=+-"
	var b strings.Builder
	for b.Len() < n {
		if r.IntN(12) == 0 {
			w := words[r.IntN(len(words))]
			b.WriteString(w[:1+r.IntN(len(w))])
			continue
		}
		b.WriteByte(filler[r.IntN(len(filler))])
	}
	return b.String()
}

// TestWordListAgreesOnSparseText holds Index and Contains to a search word
// by word on long texts where words and their prefixes are rare (where
// Index jumps from one first byte to the next), some with a dense middle
// (where it goes back to reading every byte), up to the text's last byte.
func TestWordListAgreesOnSparseText(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 19))
	for range 600 {
		words := make([]string, 1+r.IntN(12))
		for k := range words {
			w := make([]byte, 1+r.IntN(5))
			for i := range w {
				w[i] = "abc./_ x"[r.IntN(8)]
			}
			words[k] = string(w)
		}
		l := NewWordList(words...)
		for range 6 {
			s := sparseText(r, words, onePassMin+r.IntN(2*onePassMin))
			if r.IntN(3) == 0 {
				// words dense after a sparse start: the jump to first
				// bytes hands over to the table loop midway
				var b strings.Builder
				for b.Len() < 3*jumpProbe*jumpMinGap {
					b.WriteString(words[r.IntN(len(words))])
				}
				s = s + b.String() + sparseText(r, words, onePassMin)
			}
			have := BytesOf(s)
			for _, ok := range []func(int, string) bool{nil, func(i int, w string) bool { return (i+len(w))%3 != 0 }} {
				gw, gi := l.Index(s, &have, ok)
				ww, wi := indexByWord(words, s, &have, ok)
				if gw != ww || gi != wi {
					t.Fatalf("words %q in %q: Index %q at %d, by word %q at %d", words, s, gw, gi, ww, wi)
				}
			}
			want := false
			for _, w := range words {
				want = want || strings.Contains(s, w)
			}
			if got := l.Contains(s, &have); got != want {
				t.Fatalf("words %q in %q: Contains %v, by word %v", words, s, got, want)
			}
		}
	}
}

// BenchmarkWordListIndex measures the one-pass search over 1 MiB of every
// byte value in turn, the text in which each word's first byte recurs
// every 256 bytes: a list of 37 words opening on many bytes (read byte by
// byte) and the PHP superglobals, which all open on '$' (read by jumping
// from one '$' to the next).
func BenchmarkWordListIndex(b *testing.B) {
	lists := map[string][]string{
		"many-first-bytes": strings.Fields("java.lang. java.io. java.net. java.util. javax. jdk. sun. com.sun. org.apache. bsh. ognl. groovy. runtime getruntime processbuilder forname( exec( system( eval( popen subprocess __class__ __globals__ constructor prototype require( import os.system phpinfo ini_set $_get $_post $_server ${ifs /dev/tcp/ nc -e"),
		"one-first-byte":   strings.Fields("$_get $_post $_server $_cookie $_request $_files $_env $_session $globals $http_raw_post_data $http_get_vars $http_post_vars"),
	}
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 13)
	}
	s := string(buf)
	have := BytesOf(s)
	for name, words := range lists {
		l := NewWordList(words...)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				l.Index(s, &have, nil)
			}
		})
	}
}

// TestWordFilterKeepsEveryWord checks that WordFilter.May never turns away
// a word of its set (exactness of the lookups behind it) and turns away
// words of other lengths, first or last bytes, on random sets and words,
// lengths past 63 included.
func TestWordFilterKeepsEveryWord(t *testing.T) {
	r := rand.New(rand.NewPCG(97, 101))
	word := func() string {
		b := make([]byte, 1+r.IntN(80))
		for i := range b {
			b[i] = "ab_x\xc3é"[r.IntN(7)]
		}
		return string(b)
	}
	for range 500 {
		set := make([]string, 1+r.IntN(20))
		for i := range set {
			set[i] = word()
		}
		f := NewWordFilter(set...)
		in := map[string]bool{}
		for _, w := range set {
			in[w] = true
			if !f.May(w) {
				t.Fatalf("filter of %q turns away its word %q", set, w)
			}
		}
		for range 200 {
			w := word()
			if in[w] && !f.May(w) {
				t.Fatalf("filter of %q turns away its word %q", set, w)
			}
		}
	}
	f := NewWordFilter("system", "exec")
	for _, w := range []string{"", "systems", "xystem", "systea", "exe"} {
		if f.May(w) {
			t.Errorf("filter of system, exec lets %q through", w)
		}
	}
}

func TestIndexWhereAsksEveryOccurrence(t *testing.T) {
	s := "xnew new( renew new File("
	bounded := func(i int) bool { return i == 0 || !IsWord(s[i-1]) }
	if got := IndexWhere(s, "new", bounded); got != 5 {
		t.Errorf("IndexWhere bounded = %d, want 5", got)
	}
	if got := IndexWhere(s, "new", func(i int) bool { return strings.HasPrefix(s[i:], "new F") }); got != 16 {
		t.Errorf("IndexWhere \"new F\" = %d, want 16", got)
	}
	if got := IndexWhere(s, "old", bounded); got != -1 {
		t.Errorf("IndexWhere of a missing word = %d", got)
	}
}

func TestDotLetterFindsMemberAccessNotFullStops(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"os.system", true},
		{"Java.Lang", true},
		{"It is large. Deliveries go left.", false},
		{"...", false},
		{"e.g. this", true},
		{"end.", false},
		{"", false},
		{strings.Repeat(".1", 100) + ".x", true}, // dense dots, read byte by byte
		{strings.Repeat(".1", 100), false},
		{strings.Repeat(". ", 100) + "a.b", true},
	} {
		if got := DotLetter(c.s); got != c.want {
			t.Errorf("DotLetter(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestIndexPassesOverShapedWordsOnlyWithoutTheirShape: a word made with
// a shape (a dot and a letter, a flag or a switch after a blank) is still
// found where the text has it, and the other words are found where it
// has none.
func TestIndexPassesOverShapedWordsOnlyWithoutTheirShape(t *testing.T) {
	l := NewWordList("java.lang", "bash -i", "cmd /c", "xmldecoder", "os.system")
	for _, c := range []struct {
		s, want string
	}{
		{"call os.system now", "os.system"},
		{"a xmldecoder. here", "xmldecoder"},
		{"java.lang and xmldecoder", "java.lang"},
		{"x; bash -i >& y", "bash -i"},
		{"run cmd /c dir", "cmd /c"},
		{"plain prose. nothing here - bash, cmd.", ""},
	} {
		// as it stands, and long enough to be read in one pass
		for _, s := range []string{c.s, strings.Repeat("pad ", 80) + c.s} {
			have := BytesOf(s)
			if w, _ := l.Index(s, &have, nil); w != c.want {
				t.Errorf("Index(%.40q…, %d bytes) = %q, want %q", c.s, len(s), w, c.want)
			}
			if got := l.Contains(s, &have); got != (c.want != "") {
				t.Errorf("Contains(%.40q…, %d bytes) = %v, want %v", c.s, len(s), got, c.want != "")
			}
		}
	}
}

// TestIndexAnchoredAgreesWithIndexWhere: reading a text at the rarest
// byte of a word finds the occurrences IndexWhere finds, in the same
// order, whatever the accept function rejects.
func TestIndexAnchoredAgreesWithIndexWhere(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 19))
	const alphabet = "eeeaz. q"
	pick := func(n int) string { return randomText(r, alphabet, n) }
	for range 20000 {
		w, s := pick(1+r.IntN(5)), pick(r.IntN(64))
		mod := 1 + r.IntN(3)
		accept := func(i int) bool { return i%mod == 0 }
		if got, want := indexAnchored(s, w, rarestByte(w), accept), IndexWhere(s, w, accept); got != want {
			t.Fatalf("indexAnchored(%q, %q) = %d, IndexWhere %d", s, w, got, want)
		}
	}
}
