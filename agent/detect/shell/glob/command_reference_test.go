package glob

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// commandReference is Command before it jumped to the next slash with a
// vector search: a byte at a time. The oracle for
// TestCommandAgreesByteAtATime.
func commandReference(s string) int {
	seen := 0
	for i := 0; i < len(s) && seen < 8; i++ {
		if s[i] != '/' || i > 0 && s[i-1] != ' ' && !shell.Separator(s[i-1]) && s[i-1] != ',' && s[i-1] != '{' && s[i-1] != '"' && s[i-1] != '\'' {
			continue
		}
		j := i
		for j < len(s) && (lex.IsWord(s[j]) || strings.IndexByte("/?*[]-.", s[j]) >= 0) {
			j++
		}
		p := s[i:j]
		if !strings.ContainsAny(p, "?*[") || len(p) > 64 {
			i = j
			continue
		}
		seen++
		k := strings.LastIndexByte(p, '/')
		dir, base := p[:k], p[k+1:]
		if base == "" || strings.Trim(base, "?*") == "" && len(base) < 2 {
			i = j
			continue
		}
		dirOK := false
		for _, d := range binDirs {
			if Match(dir, d) {
				dirOK = true
				break
			}
		}
		if dirOK {
			for name, strong := range shell.Commands() {
				if (strong || len(name) >= 3) && Match(base, name) {
					return i
				}
			}
		}
		i = j
	}
	return -1
}

// TestCommandAgreesByteAtATime holds Command to the byte loop on the
// corpora, hostile random strings, random texts of globbed paths and the
// bytes before them, and long runs sparse and dense in slashes.
func TestCommandAgreesByteAtATime(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(389, 397))
	pieces := []string{"/", "/bin/", "/usr/bin/", "/?s?/?i?/", "c?t", "ca?", "wh*mi", "/u*/b*/", "[c]at", " ", ";", "|", ",", "{", "\"", "'", "a", "x/y", "?", "*", "/etc/passwd"}
	texts := difftest.Hostile(r, 3000, 24)
	for _, l := range difftest.Corpus(t) {
		if r.IntN(4) == 0 {
			texts = append(texts, l)
		}
	}
	texts = append(texts, difftest.Joined(r, pieces, 10000, 12)...)
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	found := 0
	for _, s := range texts {
		got, want := Command(s), commandReference(s)
		if got != want {
			t.Fatalf("Command(%d bytes %.80q) = %d, a byte at a time %d", len(s), s, got, want)
		}
		if got >= 0 {
			found++
		}
	}
	if found < 100 {
		t.Errorf("only %d globbed commands found: the texts do not exercise Command", found)
	}
}
