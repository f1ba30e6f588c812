package evasion

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// spacedTagBefore is SpacedTag as it was before it leapt between '<' and
// blanks: it looked at every '<'.
func spacedTagBefore(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		i += off
		k := skipBlank(s, i+1)
		var name [16]byte
		n := 0
		for k < len(s) && lex.IsAlpha(s[k]) && n < len(name) && (k+1 == len(s) || !lex.IsAlnum(s[k+1])) {
			name[n] = s[k]
			n++
			e := skipBlank(s, k+1)
			if e == k+1 || e >= len(s) || !lex.IsAlpha(s[e]) {
				k++
				break
			}
			k = e
		}
		if n >= 3 && spacedTags[string(name[:n])] {
			return i
		}
		off = max(i+1, k)
	}
	return -1
}

// TestSpacedTagMatchesReference holds SpacedTag to the look at every '<'
// on the corpora, hostile random strings, random texts of '<', blanks and
// the letters of spaced tag names, their mutations and long runs.
func TestSpacedTagMatchesReference(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := SpacedTag(s), spacedTagBefore(s); got != want {
			t.Fatalf("SpacedTag(%.80q) = %d, reference %d", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(29, 31))
	pieces := []string{"<", " ", "\t", "  ", "< ", "f", "o", "r", "m", "s", "v", "g", "i", "x", "1", "a", "<a", "<f o r m", "< s v g", "\n", ">"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	for range 50000 {
		var b strings.Builder
		for range r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	found := 0
	for _, s := range texts {
		check(s)
		if SpacedTag(s) >= 0 {
			found++
		}
		for _, m := range difftest.Mutate(r, s) {
			check(m)
		}
	}
	if found < 100 {
		t.Errorf("only %d texts hold a spaced tag", found)
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
		check(s + "<f o r m")
		check("<a<a " + s)
	}
}

// BenchmarkSpacedTag compares SpacedTag with the reference on 256 KiB of
// tag openers, of every byte value in turn, and of openers each with a
// blank:
//
//	go test ./agent/detect/html/evasion -run '^$' -bench SpacedTag
func BenchmarkSpacedTag(b *testing.B) {
	every := make([]byte, 256<<10)
	for i := range every {
		every[i] = byte(i * 13)
	}
	for _, in := range []struct{ name, s string }{
		{"tag-openers", strings.Repeat("<a", 128<<10)},
		{"every-byte", string(every)},
		{"spaced-openers", strings.Repeat("<a ", 85<<10)},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				SpacedTag(in.s)
			}
		})
		b.Run(in.name+"/reference", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				spacedTagBefore(in.s)
			}
		})
	}
}
