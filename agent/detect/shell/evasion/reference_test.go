package evasion

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// evasionBoundaryReference is the byte test EvadedCommand used before
// the byte-class table.
func evasionBoundaryReference(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', ';', '|', '&', ',', '{', '}', '/', '=', '+', '(', ')', '<', '>':
		return true
	}
	return false
}

// evadedCommandReference is EvadedCommand before the byte-class table:
// the oracle for TestEvadedCommandAgrees.
func evadedCommandReference(s string, buf []byte) (start, end int, _ []byte) {
	for i := 0; i < len(s); {
		if evasionBoundaryReference(s[i]) && emptySubst(s, i) == 0 {
			i++
			continue
		}
		j := i
		marked := false
		for j < len(s) {
			if n := emptySubst(s, j); n > 0 {
				j += n
				marked = true
				continue
			}
			c := s[j]
			if evasionBoundaryReference(c) {
				break
			}
			marked = marked || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`' || c == '['
			j++
		}
		if marked {
			var ok bool
			if buf, ok = unevade(buf[:0], s[i:j]); ok {
				return i, j, buf
			}
		}
		i = j
	}
	return -1, -1, buf
}

// TestEvasionClassMatchesReference checks the byte-class table against
// the switch it replaced, for every byte.
func TestEvasionClassMatchesReference(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		if got, want := evasionClass[b]&evasionBoundary != 0, evasionBoundaryReference(b); got != want {
			t.Errorf("byte %#x: boundary %v, reference %v", b, got, want)
		}
		mark := b == '\'' || b == '"' || b == '\\' || b == '$' || b == '`' || b == '['
		if got := evasionClass[b]&evasionMark != 0; got != mark {
			t.Errorf("byte %#x: mark %v, reference %v", b, got, mark)
		}
		if evasionClass[b] == evasionPlain && emptySubst(string([]byte{b, '(', ')'}), 0)+emptySubst(string([]byte{b, '`'}), 0) > 0 {
			t.Errorf("byte %#x is plain but opens an empty substitution", b)
		}
	}
}

// TestEvadedCommandAgrees checks EvadedCommand against the reference on
// the corpora, on random texts of the pieces evasions are made of, and
// on long values of every byte and of repeated pieces.
func TestEvadedCommandAgrees(t *testing.T) {
	var texts []string
	err := filepath.WalkDir("../../../../tests/corpus", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				texts = append(texts, l, strings.ToLower(l))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpora: %v", err)
	}
	if len(texts) < 2000 {
		t.Fatalf("only %d corpus lines", len(texts))
	}
	r := rand.New(rand.NewPCG(5, 23))
	pieces := []string{"p", "i", "ng", "cat", "uname", "python", "wget", "'", "''", "\"", "\"\"", "\\", "$", "$()", "<()", ">()", "``", "`",
		"$!", "$$", "$u", "${x}", "${", "}", "$'", "[", "]", " ", "\t", ";", "|", "&", "/", "=", "(", ")", "<", ">", "é", "\xff"}
	texts = append(texts, difftest.Joined(r, pieces, 30000, 12)...)
	periodic := make([]byte, 1<<18)
	for i := range periodic {
		periodic[i] = byte(i * 13)
	}
	texts = append(texts, string(periodic))
	for _, u := range []string{"<a", "c$u", "p''", "$()", "a\\", "ca``t "} {
		texts = append(texts, strings.Repeat(u, 4096))
	}
	var buf, refBuf []byte
	found := 0
	for _, s := range texts {
		var i, j, ri, rj int
		i, j, buf = EvadedCommand(s, buf)
		ri, rj, refBuf = evadedCommandReference(s, refBuf)
		if i != ri || j != rj || i >= 0 && !bytes.Equal(buf, refBuf) {
			t.Errorf("EvadedCommand(%.80q) = %d, %d, %q; reference %d, %d, %q", s, i, j, buf, ri, rj, refBuf)
		}
		if i >= 0 {
			found++
		}
	}
	if found < 500 {
		t.Errorf("only %d texts hide a command: the inputs do not exercise EvadedCommand", found)
	}
}
