package script

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// compactJSBefore is compactJS as it was before it copied runs: one
// WriteByte per kept byte. The oracle for TestCompactJSAgreesWithByteCopy.
func compactJSBefore(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '/' && i+1 < len(s) && s[i+1] == '*' {
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				break
			}
			i += j + 3
			continue
		}
		if lex.IsSpace(s[i]) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestCompactJSAgreesWithByteCopy holds compactJS to the byte-by-byte copy
// on the corpora, hostile random strings, texts of comments and blanks
// (closed, unclosed, nested, at either end), their mutations and long runs.
func TestCompactJSAgreesWithByteCopy(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := compactJS(s), compactJSBefore(s); got != want {
			t.Fatalf("compactJS(%.80q) = %.80q, byte copy %.80q", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(73, 79))
	pieces := []string{"/*", "*/", "/", "*", " ", "\t", "\n", "\r", "\v", "\f", "x", "alert", "(", ")", "`", "/**/", "/* a */", "document", "."}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	for range 30000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		check(s)
		for _, m := range difftest.Mutate(r, s) {
			check(m)
		}
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
	}
}

// TestCompactStopHoldsBlanksAndSlash: compactStop marks exactly the bytes
// lex.IsSpace accepts and '/'.
func TestCompactStopHoldsBlanksAndSlash(t *testing.T) {
	for c := range 256 {
		if got, want := compactStop[c], lex.IsSpace(byte(c)) || c == '/'; got != want {
			t.Errorf("compactStop[%q] = %v, want %v", byte(c), got, want)
		}
	}
}

// BenchmarkCompactJS times compactJS on 256 KiB of every byte value in
// turn (a binary body read as text) and of script with blanks:
//
//	go test ./agent/detect/html/script -run '^$' -bench CompactJS
func BenchmarkCompactJS(b *testing.B) {
	every := make([]byte, 256<<10)
	for i := range every {
		every[i] = byte(i * 13)
	}
	for _, in := range []struct{ name, s string }{
		{"every-byte", string(every)},
		{"script", strings.Repeat("x = alert (1); /* c */ y\n", 10<<10)},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				compactJS(in.s)
			}
		})
	}
}
