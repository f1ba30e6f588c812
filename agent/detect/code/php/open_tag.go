package php

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// openTags are the open tags that start PHP code whatever follows them,
// strongest first; bbTags and smartyTags are the blocks of forum markup
// ([php]…[/php]) and of Smarty 2 and SmartyBC ({php}…{/php}) that run PHP.
var (
	openTags   = lex.NewWordList("<?php", "<?=")
	bbTags     = lex.NewWordList("[php]", "[/php]", "[\\php]")
	smartyTags = lex.NewWordList("{php}", "{/php}")
)

// OpenTag returns the offset and score of a PHP open tag in s
// (lower-cased, have its ByteSet or a superset), or -1: "<?php" (9) and
// "<?=" (8) anywhere, a short open tag "<?" followed by code or ending the
// text (7), and "<?xml" without a version, a PHP/XML polyglot (7). Each
// is the first occurrence of its kind, the strongest kind that occurs
// winning. Every kind begins with "<?", so a text without one is read
// once, and one with them twice, however many tags are looked for.
func OpenTag(s string, have *lex.ByteSet) (off, score int) {
	first := lex.Index(s, "<?")
	if first < 0 {
		return -1, 0
	}
	if w, i := openTags.Index(s[first:], have, nil); i >= 0 {
		if w == "<?php" {
			return first + i, 9
		}
		return first + i, 8
	}
	r := s[first+2:]
	t := strings.TrimLeft(r, " \t\r\n\v")
	word := len(t) < len(r) && (strings.HasPrefix(t, "php") || strings.HasPrefix(t, "echo") || strings.HasPrefix(t, "print") || strings.HasPrefix(t, "system") || strings.HasPrefix(t, "eval") || strings.HasPrefix(t, "include") || strings.HasPrefix(t, "require") || strings.HasPrefix(t, "$"))
	if r == "" || word || len(r) > 0 && lex.IsSpace(r[0]) && strings.ContainsAny(r, "($;") || strings.HasPrefix(r, "xml") && !strings.Contains(r, "version") && strings.ContainsAny(r, ";(") {
		return first, 7
	}
	return -1, 0
}

// BlockTag returns the offset of the first PHP block tag in s (lower-cased,
// have its ByteSet or a superset), or -1: forum markup's "[php]", "[/php]",
// "[\php]" when brackets says s holds '[', and Smarty's "{php}", "{/php}"
// when braces says s holds '{'. Each list is searched in one pass, and a
// tag earlier in its list wins over a later one wherever they are.
func BlockTag(s string, have *lex.ByteSet, brackets, braces bool) int {
	if brackets {
		if _, i := bbTags.Index(s, have, nil); i >= 0 {
			return i
		}
	}
	if braces {
		if _, i := smartyTags.Index(s, have, nil); i >= 0 {
			return i
		}
	}
	return -1
}
