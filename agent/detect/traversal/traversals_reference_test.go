package traversal

import (
	"math/rand/v2"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

// traversalsReference is Traversals before it jumped to the next dot with
// a vector search: a byte at a time. The oracle for
// TestTraversalsAgreesByteAtATime.
func traversalsReference(p string) (n, first int) {
	first = -1
	for i := 0; i < len(p); i++ {
		if p[i] != '.' || i > 0 && p[i-1] != '/' && p[i-1] != '=' && p[i-1] != ':' && p[i-1] != ' ' && p[i-1] != '"' && p[i-1] != '\'' {
			continue
		}
		j := i
		for j < len(p) && p[j] == '.' {
			j++
		}
		if j-i < 2 {
			continue
		}
		if j < len(p) && p[j] == ';' {
			// Tomcat path parameters: "..;x" is ".." carrying
			// parameter x, up to the next "/"
			j++
			for j < len(p) && p[j] != '/' {
				j++
			}
		}
		if j == len(p) && (i > 0 && p[i-1] == '/') || j < len(p) && p[j] == '/' {
			if first < 0 {
				first = i
			}
			n++
		}
		i = j
	}
	return n, first
}

// TestTraversalsAgreesByteAtATime holds Traversals to the byte loop on the
// corpora (normalised), hostile random strings, random texts of dots,
// slashes and the bytes before a segment, and long runs, sparse and dense
// in dots, so that both the jumps and the byte loop run.
func TestTraversalsAgreesByteAtATime(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(379, 383))
	pieces := []string{".", "..", "...", "../", "/..", "..;x/", "/", "=", ":", " ", "\"", "'", "a", "abcdefghijklmnopqrstuvwxyz", ";", ".a"}
	texts := difftest.Hostile(r, 3000, 24)
	for _, l := range difftest.Corpus(t) {
		n, _ := Normalize(nil, l)
		texts = append(texts, l, string(n))
	}
	texts = append(texts, difftest.Joined(r, pieces, 20000, 16)...)
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		gn, gf := Traversals(s)
		wn, wf := traversalsReference(s)
		if gn != wn || gf != wf {
			t.Fatalf("Traversals(%d bytes %.80q) = %d, %d; a byte at a time %d, %d", len(s), s, gn, gf, wn, wf)
		}
	}
}
