package php

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// openTagReference is the open-tag reading of detectCode before OpenTag:
// a strings.Index per kind of tag. The oracle for TestOpenTagAgrees.
func openTagReference(s string) (int, int) {
	if i := strings.Index(s, "<?php"); i >= 0 {
		return i, 9
	}
	if i := strings.Index(s, "<?="); i >= 0 {
		return i, 8
	}
	if i := strings.Index(s, "<?"); i >= 0 {
		r := s[i+2:]
		t := strings.TrimLeft(r, " \t\r\n\v")
		word := len(t) < len(r) && (strings.HasPrefix(t, "php") || strings.HasPrefix(t, "echo") || strings.HasPrefix(t, "print") || strings.HasPrefix(t, "system") || strings.HasPrefix(t, "eval") || strings.HasPrefix(t, "include") || strings.HasPrefix(t, "require") || strings.HasPrefix(t, "$"))
		if r == "" || word || len(r) > 0 && lex.IsSpace(r[0]) && strings.ContainsAny(r, "($;") || strings.HasPrefix(r, "xml") && !strings.Contains(r, "version") && strings.ContainsAny(r, ";(") {
			return i, 7
		}
	}
	return -1, 0
}

// blockTagReference is the block-tag reading of detectCode before
// BlockTag: a strings.Index per tag. The oracle for TestBlockTagAgrees.
func blockTagReference(s string, brackets, braces bool) int {
	if brackets {
		for _, w := range [...]string{"[php]", "[/php]", "[\\php]"} {
			if i := strings.Index(s, w); i >= 0 {
				return i
			}
		}
	}
	if braces {
		for _, w := range [...]string{"{php}", "{/php}"} {
			if i := strings.Index(s, w); i >= 0 {
				return i
			}
		}
	}
	return -1
}

// tagTexts are the corpus lines, hostile random strings, random texts of
// the pieces tags are made of, their mutations, and long runs of both, so
// that the one-pass search (256 bytes and more) is read as often as the
// short one.
func tagTexts(t *testing.T, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed+2))
	pieces := []string{"<?", "<?php", "<?=", "<", "?", "<?xml", "version", " ", "\n", "php", "echo", "$", "(", ";", "[php]", "[/php]", "[\\php]", "[", "]", "{php}", "{/php}", "{", "}", "/", "\\", "p", "h", "x"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 12)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(4) == 0 {
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	return append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
}

// TestOpenTagAgrees holds OpenTag to a strings.Index per kind of tag.
func TestOpenTagAgrees(t *testing.T) {
	t.Parallel()
	found := 0
	for _, s := range tagTexts(t, 211) {
		have := lex.BytesOf(s)
		gi, gs := OpenTag(s, &have)
		wi, ws := openTagReference(s)
		if gi != wi || gs != ws {
			t.Fatalf("OpenTag(%d bytes %.80q) = %d, %d; a search per tag %d, %d", len(s), s, gi, gs, wi, ws)
		}
		if gs > 0 {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d open tags found: the texts do not exercise OpenTag", found)
	}
}

// TestBlockTagAgrees holds BlockTag to a strings.Index per tag.
func TestBlockTagAgrees(t *testing.T) {
	t.Parallel()
	found := 0
	for _, s := range tagTexts(t, 223) {
		have := lex.BytesOf(s)
		for _, g := range [...][2]bool{{true, true}, {true, false}, {false, true}} {
			got, want := BlockTag(s, &have, g[0], g[1]), blockTagReference(s, g[0], g[1])
			if got != want {
				t.Fatalf("BlockTag(%d bytes %.80q, %v, %v) = %d; a search per tag %d", len(s), s, g[0], g[1], got, want)
			}
			if got >= 0 {
				found++
			}
		}
	}
	if found < 1000 {
		t.Errorf("only %d block tags found: the texts do not exercise BlockTag", found)
	}
}
