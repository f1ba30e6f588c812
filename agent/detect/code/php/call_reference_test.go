package php

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// callBefore is Call as it was before phpFuncFilter turned words away
// ahead of the map: every word looked up. The oracle for
// TestCallAgreesWithEveryWordLookedUp.
func callBefore(c *Text, openCall bool) (int, int) {
	s := c.s
	for i := 0; i < len(s); {
		if !lex.IsAlpha(s[i]) && s[i] != '_' {
			i++
			continue
		}
		j := i
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		name := s[i:j]
		sc := phpFuncs[name]
		prev := byte(0)
		if i > 0 {
			prev = s[i-1]
		}
		if sc == 0 || prev == '.' || prev == '$' || prev == '>' || prev == ':' || prev == '-' || prev >= 0x80 {
			i = j
			continue
		}
		k := c.skip(j)
		if (prev == '"' || prev == '\'') && sc >= 7 && k < len(s) && s[k] == prev { // "system"(x), ("system")("id")
			n := c.skip(k + 1)
			if n < len(s) && s[n] == ')' {
				n = c.skip(n + 1)
			}
			if n < len(s) && s[n] == '(' {
				return i - 1, sc
			}
		}
		if k < len(s) && s[k] == ')' && prev == '(' && sc >= 7 { // (system)('id');
			if n := c.skip(k + 1); n < len(s) && s[n] == '(' && statementCall(c, n) {
				return i - 1, sc
			}
		}
		if k >= len(s) || s[k] != '(' {
			i = j
			continue
		}
		// A comment between the name and "(" is code, never prose:
		// gzuncompress/*x*/(). A call left open at the end of a
		// parameter that it opens, the name touching "(", is code
		// spliced into a string: base64_decode( (in a path, "eval(" names
		// a page).
		commented := strings.Contains(s[j:k], "/*")
		if sc >= 6 && (commented || openCall && i == 0 && k == j && strings.TrimSpace(s[k+1:]) == "") {
			return i, sc
		}
		a := lex.SkipSpace(s, k+1)
		if manSection(s, k+1) {
			// chown(1), system(3): a manual page reference. A section
			// number as the only argument carries no command.
			i = j
			continue
		}
		argOK := a < len(s) && (s[a] == '\'' || s[a] == '"' || s[a] == '$' || s[a] == ')' || s[a] == '`' || s[a] == '[' || lex.IsDigit(s[a]) || lex.CallAfterWord(s, a) || s[a] == '/' && name != "file")
		start := i == 0 || strings.IndexByte(";{}()=&|'\"`,@!?<>", prev) >= 0
		switch {
		case start && sc >= 7 && a < len(s), // the call opens the value or a statement
			argOK && (start || lex.IsSpace(prev) && sc >= 8) && sc >= 6,
			argOK && start && i == 0:
			return i, sc
		}
		i = j
	}
	return 0, 0
}

// TestCallAgreesWithEveryWordLookedUp holds Call to the lookup of every
// word on the corpora, hostile random strings, texts of function names,
// near-names and call syntax, their mutations and long runs, with and
// without openCall.
func TestCallAgreesWithEveryWordLookedUp(t *testing.T) {
	r := rand.New(rand.NewPCG(103, 107))
	pieces := []string{"(", ")", "'", "\"", " ", "/**/", ";", "$", ".", "x", "_", "s", "'id'", "1", "#\n"}
	for name := range phpFuncs {
		pieces = append(pieces, name, name[1:], name[:len(name)-1], name+"s", "x"+name)
	}
	texts := append(corpusLines(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 12)...)
	texts = append(texts, difftest.Long(r, append(pieces[:20], difftest.Tokens...), 4096)...)
	found := 0
	for _, s := range texts {
		for _, open := range []bool{false, true} {
			gi, gs := Call(NewText(s), open)
			wi, ws := callBefore(NewText(s), open)
			if gi != wi || gs != ws {
				t.Fatalf("Call(%.80q, %v) = %d, %d; every word looked up %d, %d", s, open, gi, gs, wi, ws)
			}
			if gs > 0 {
				found++
			}
		}
	}
	if found < 500 {
		t.Errorf("only %d calls found: the texts do not exercise Call", found)
	}
}
