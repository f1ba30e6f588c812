package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// spanPipesToShellBefore is spanPipesToShell before it turned away a pipe
// with no word after it without looking the word up. The oracle for
// TestSpanPipesToShellAgreesAtEveryPipe.
func spanPipesToShellBefore(s string, i int) bool {
	if i == 0 || s[i-1] != '|' {
		return false
	}
	w, we := spanCommandWord(s, i)
	switch w {
	case "":
		return false
	case "source", ".", "eval":
		return argumentFollows(s, we)
	default:
		return spanCommands[w] && spanInterpreters[w]
	}
}

// TestSpanPipesToShellAgreesAtEveryPipe holds spanPipesToShell to the
// code it replaced at every offset of the corpora's lines, hostile random
// strings and random texts of pipes, prefixes and interpreters.
func TestSpanPipesToShellAgreesAtEveryPipe(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(367, 373))
	pieces := []string{"|", "||", " ", "\t", "sh", "bash", "python3", "sudo", "-u", "root", "env", "x=1", "nice", "-n", "5", ". ", "source ", "eval ", "/dev/stdin", "[", "(", "{", "!", "/bin/", ";", "&", "a"}
	texts := difftest.Hostile(r, 3000, 24)
	for _, l := range difftest.Corpus(t) {
		if strings.IndexByte(l, '|') >= 0 {
			texts = append(texts, l)
		}
	}
	texts = append(texts, difftest.Joined(r, pieces, 10000, 10)...)
	found := 0
	for _, s := range texts {
		for i := 0; i <= len(s); i++ {
			got, want := spanPipesToShell(s, i), spanPipesToShellBefore(s, i)
			if got != want {
				t.Fatalf("spanPipesToShell(%.80q, %d) = %v, the word looked up %v", s, i, got, want)
			}
			if got {
				found++
			}
		}
	}
	if found < 100 {
		t.Errorf("only %d pipes into a shell: the texts do not exercise spanPipesToShell", found)
	}
}
