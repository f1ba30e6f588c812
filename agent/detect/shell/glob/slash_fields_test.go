package glob

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// slashFieldsReference is what File read before slashFields: every field
// of strings.FieldsSeq, kept when it begins with '/'.
func slashFieldsReference(s string) []string {
	var out []string
	for f := range strings.FieldsSeq(s) {
		if f[0] == '/' {
			out = append(out, f)
		}
	}
	return out
}

// TestSlashFieldsAgree checks slashFields against strings.FieldsSeq on
// the corpora, on random texts of slashes, ASCII and Unicode spaces and
// broken UTF-8 (whose rune boundaries decide where a field starts), and
// on long repeated values.
func TestSlashFieldsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	texts := append(corpusLines(t), globTexts(r, 3000)...)
	pieces := []string{"/", "//", "a", "é", " ", "\t", "\v", "\f", "\r", "\n", "\u0085", "\u00a0", "\u1680", "\u2028", "\u3000",
		"\xc2", "\xe2\x80", "\x80", "\xa0", "\xe3\x80", "\xff", "\xc2\xc2\xa0", "[e]", "?", "etc", "bin/sh"}
	texts = append(texts, difftest.Joined(r, pieces, 20000, 16)...)
	texts = append(texts, "", "/", " /", "/ ", "a/b /c", "\u00a0/x", "\xe2\x80\xa8/x", "\x80\xa8/x", "\xe2\x80\xe2\x80\xa8/x")
	for _, u := range []string{"/??/", "a/ ", " /[e]tc/pa??wd", "\u2028/b"} {
		texts = append(texts, strings.Repeat(u, 4096))
	}
	for _, s := range texts {
		got, want := slices.Collect(slashFields(s)), slashFieldsReference(s)
		if !slices.Equal(got, want) {
			t.Errorf("slashFields(%q) = %q, reference %q", s, got, want)
		}
	}
}

// TestSlashFieldsStopsWhenAsked checks that slashFields honours a break,
// as File's loop over at most eight paths relies on.
func TestSlashFieldsStopsWhenAsked(t *testing.T) {
	n := 0
	for range slashFields("/a /b /c /d") {
		if n++; n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("read %d fields after breaking at the second", n)
	}
}
