package php

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// phpDynamicCallReference is DynamicCall before it passed over runs of
// openers too deep to nest: the oracle for TestPHPDynamicCallAgrees.
func phpDynamicCallReference(c *Text) (int, int) {
	s := c.s
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '(' && ch != '[' && ch != '\'' && ch != '"' {
			continue
		}
		if ch == '\'' || ch == '"' {
			// A concatenation of literals: 'sys' . 'tem'.
			name, n, end := phpConcat(c, i, 0)
			if n >= 2 {
				if sc := phpFuncs[name]; sc >= 7 {
					return i, sc
				}
			}
			if end > i {
				i = end - 1
			}
			continue
		}
		name, end, ok := phpCallee(c, i, 0)
		if !ok {
			continue
		}
		// subscripts [0] {0} after the callee, then the call
		j := c.skip(end)
		for j < len(s) && (s[j] == '[' || s[j] == '{') {
			closer := byte(']')
			if s[j] == '{' {
				closer = '}'
			}
			e := c.match(j, s[j], closer)
			if e < 0 {
				break
			}
			j = c.skip(e + 1)
		}
		// The call must end the statement, (system)(ls); or the value,
		// so that prose such as "the (system) (optional)" stays clean.
		if j < len(s) && s[j] == '(' {
			if sc := phpFuncs[name]; sc >= 7 {
				if statementCall(c, j) {
					return i, sc
				}
			}
		}
	}
	return 0, 0
}

// corpusLines returns the lines of the project's corpora up to 4 KiB,
// lower-cased as the readings see them.
func corpusLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir("../../../../tests/corpus", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") && len(l) <= 4096 {
				lines = append(lines, strings.ToLower(l))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpora: %v", err)
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d corpus lines", len(lines))
	}
	return lines
}

// TestPHPDynamicCallAgrees checks DynamicCall against the reference on
// the corpora and on random texts of brackets, literals and calls, with
// runs of openers around the nesting bound.
func TestPHPDynamicCallAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	pieces := []string{"(", "[", ")", "]", "((", "((((((((", "(((((((((", "]]", "))", "'sys'", "'tem'", "\"sys\"", ".", " ", "/**/", "system", "(ls);", "[0]", "{0}", "'system'", "x", ";", "#\n"}
	texts := corpusLines(t)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 16)...)
	for n := range 12 {
		open := strings.Repeat("(", n)
		texts = append(texts, open+"'system'"+strings.Repeat(")", n)+"(ls);", open+"['system'][0]"+strings.Repeat(")", n)+"(id);")
	}
	found := 0
	for _, s := range texts {
		gi, gs := DynamicCall(NewText(s))
		wi, ws := phpDynamicCallReference(NewText(s))
		if gi != wi || gs != ws {
			t.Errorf("DynamicCall(%q) = %d, %d; reference %d, %d", s, gi, gs, wi, ws)
		}
		if gs > 0 {
			found++
		}
	}
	if found < 10 {
		t.Errorf("only %d calls found: the texts do not exercise DynamicCall", found)
	}
}
