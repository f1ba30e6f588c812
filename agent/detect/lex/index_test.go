package lex

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// TestIndexAgreesWithStringsIndex holds Index to strings.Index on texts
// over a small alphabet (so that false starts are dense and both of
// Index's modes run), long periodic texts with and without the needle at
// every distance from the end, the corpora with needles from the detectors,
// and every needle length up to beyond a word.
func TestIndexAgreesWithStringsIndex(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(313, 317))
	check := func(s, sep string) {
		t.Helper()
		if got, want := Index(s, sep), strings.Index(s, sep); got != want {
			t.Fatalf("Index(%d bytes %.80q, %q) = %d, strings.Index %d", len(s), s, sep, got, want)
		}
	}
	const alphabet = "<(ab\x00\xff"
	randText := func(n int) string { return randomText(r, alphabet, n) }
	for range 20000 {
		s, sep := randText(r.IntN(300)), randText(r.IntN(12))
		check(s, sep)
		if len(s) > 0 {
			a := r.IntN(len(s))
			check(s, s[a:min(len(s), a+1+r.IntN(10))]) // a needle that occurs
		}
	}
	for _, unit := range []string{"<a", "<", ")<;&amp;%25a//= %u0041;<-|[(%", "((", "<a>\n", "a<(b", "\x00"} {
		for _, n := range []int{1000, 4097, 1 << 16} {
			base := strings.Repeat(unit, n/len(unit))
			for _, sep := range []string{"<(", "<((", "()", "<!--#", "{%", "${", "%u0041;<-|[(%)", unit + unit} {
				check(base, sep)
				for _, at := range []int{0, 1, 7, 8, 9, len(base) / 2, len(base) - len(sep) - 9, len(base) - len(sep) - 1, len(base) - len(sep)} {
					if at < 0 || at > len(base)-len(sep) {
						continue
					}
					check(base[:at]+sep+base[at+len(sep):], sep)
					check(base[:at]+sep, sep)
					check(base[:at]+sep[:len(sep)-1], sep)
				}
			}
		}
	}
	seps := []string{"<(", "()", "${", "{%", "<%", "<!--#", "<esi:", ")(", "<?php", "../", "select", "union", "\x00", ""}
	for _, s := range difftest.Corpus(t) {
		for _, sep := range seps {
			check(s, sep)
		}
	}
	for _, s := range difftest.Long(r, difftest.Tokens, 4096) {
		for _, sep := range seps {
			check(s, sep)
		}
	}
}

// TestLastIndexByteAgreesWithStrings holds LastIndexByte to
// strings.LastIndexByte on random texts over a small alphabet, every byte
// value, and long periodic texts with the byte at every distance from
// either end.
func TestLastIndexByteAgreesWithStrings(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(347, 349))
	check := func(s string, c byte) {
		t.Helper()
		if got, want := LastIndexByte(s, c), strings.LastIndexByte(s, c); got != want {
			t.Fatalf("LastIndexByte(%d bytes %.80q, %q) = %d, strings.LastIndexByte %d", len(s), s, c, got, want)
		}
	}
	const alphabet = "]}`\x00\xff\x80\x7fa"
	for range 50000 {
		check(randomText(r, alphabet, r.IntN(100)), alphabet[r.IntN(len(alphabet))])
	}
	all := make([]byte, 256)
	for c := range all {
		all[c] = byte(c)
	}
	for c := range 256 {
		check(string(all), byte(c))
		check(string(all[:c]), byte(c))
	}
	for _, unit := range []string{")<;&amp;%25a//= %u0041;<-|[(%", "a", "\x00\x01"} {
		base := strings.Repeat(unit, 5000/len(unit))
		for _, at := range []int{0, 1, 7, 8, 9, 15, 16, 17, len(base) / 2, len(base) - 17, len(base) - 9, len(base) - 8, len(base) - 1} {
			for _, c := range []byte{']', '}', '`'} {
				check(base, c)
				check(base[:at]+string(c)+base[at+1:], c)
				if at+1 <= len(base)-3 {
					check(base[:at]+string(c)+base[at+1:len(base)-3]+string(c)+"xy", c)
				}
			}
		}
	}
}
