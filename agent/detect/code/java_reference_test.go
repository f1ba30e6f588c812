package code

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// javaClassNameBefore is JavaClassName as it was before the one-pass
// search: one strings.Index per package, and for each occurrence the name
// read to its end and the whole text searched for a blank. The oracle for
// TestJavaClassNameAgreesWithPackageByPackage.
func javaClassNameBefore(s string, have *lex.ByteSet) int {
	if strings.IndexByte(s, '.') < 0 {
		return -1 // every package name has a dot
	}
	for n, p := range javaPackages {
		if !have.Covers(&javaPackageBytes[n]) {
			continue
		}
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], p)
			if i < 0 {
				break
			}
			i += off
			e := i + len(p)
			if (i == 0 || !lex.IsAlnum(s[i-1]) && s[i-1] != '.' && s[i-1] != '-' && s[i-1] != '@') && (p[len(p)-1] != '.' || e < len(s) && lex.IsAlpha(s[e])) {
				// A class name alone (a parameter, header or cookie
				// holding it) or used in code; not a stack trace line.
				k := e
				for k < len(s) && (lex.IsWord(s[k]) || s[k] == '.' || s[k] == '$') {
					k++
				}
				name := s[i:k]
				if strings.HasSuffix(name, "exception") || strings.HasSuffix(name, "error") {
					off = i + 1
					continue
				}
				if strings.IndexAny(s, " \t\n") < 0 || k < len(s) && strings.IndexByte("(@#[\"'", s[k]) >= 0 {
					return i
				}
			}
			off = i + 1
		}
	}
	return -1
}

// javaTexts returns texts made of package names, name bytes and the bytes
// around names that JavaClassName tells apart.
func javaTexts(r *rand.Rand, n int) []string {
	pieces := append([]string{"a", "x", "$", ".", "-", "@", " ", "\t", "\n", "(", "[", "'", "\"", "#", ";", "/", "exception", "error", "1"}, javaPackages[:]...)
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		out[i] = b.String()
	}
	return out
}

// TestJavaClassNameAgreesWithPackageByPackage holds JavaClassName to the
// package-by-package search it replaced, on short texts (the path that
// still searches package by package) and long ones (the one-pass path):
// the corpora lower-cased, texts of package names and the bytes around
// them, hostile random strings, their mutations, and long runs.
func TestJavaClassNameAgreesWithPackageByPackage(t *testing.T) {
	check := func(s string) {
		t.Helper()
		have := lex.BytesOf(s)
		if got, want := JavaClassName(s, &have), javaClassNameBefore(s, &have); got != want {
			t.Fatalf("JavaClassName(%d bytes %.80q) = %d, package by package %d", len(s), s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(23, 29))
	var texts []string
	for _, l := range difftest.Corpus(t) {
		texts = append(texts, strings.ToLower(l))
	}
	texts = append(texts, javaTexts(r, 20000)...)
	texts = append(texts, difftest.Hostile(r, 5000, 24)...)
	for k, s := range texts {
		check(s)
		if k%4 == 0 { // mutations of a quarter: the oracle is slow
			for _, m := range difftest.Mutate(r, s) {
				check(strings.ToLower(m))
			}
		}
	}
	// long texts: several short ones joined, so that the one-pass path
	// meets what the short ones hold
	for range 3000 {
		var b strings.Builder
		for b.Len() < javaOnePassMin {
			b.WriteString(texts[r.IntN(len(texts))])
			b.WriteString([]string{"", " ", ";", "$", "a"}[r.IntN(5)])
		}
		check(b.String())
	}
	units := []string{"java.lang.a;", "java.lang.a$", "x java.io.file(", "org.apache.commons", "javax.a.", "java.lang.exception;"}
	for _, s := range difftest.Long(r, append(units, difftest.Tokens...), 4096) {
		check(s)
		check(s + " ")
	}
}

// TestJavaClassNameIsLinear checks the texts on which the package-by-package
// search was quadratic: many names with nothing to stop at and one blank at
// the end (each occurrence searched the whole text for a blank), and names
// sharing one run of name bytes (each occurrence read the run to its end).
// Both searches cost seconds at 256 KiB; linear work is milliseconds at
// 1 MiB.
func TestJavaClassNameIsLinear(t *testing.T) {
	for _, unit := range []string{"java.lang.a;", "java.lang.a$"} {
		s := strings.Repeat(unit, (1<<20)/len(unit)) + " "
		have := lex.BytesOf(s)
		start := time.Now()
		if i := JavaClassName(s, &have); i != -1 {
			t.Errorf("JavaClassName(%q × …) = %d, want -1", unit, i)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("JavaClassName(1 MiB of %q and a blank) took %v, want well under a second", unit, d)
		}
	}
}
