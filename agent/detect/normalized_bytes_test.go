package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// TestNormalizeWritesOnlyTheBytesNormalizedBytesAdds holds normalizedBytes
// to its premise: every byte shell.Normalize writes is in its input or in
// normalizeWrites, so the set it returns covers the normalised text.
func TestNormalizeWritesOnlyTheBytesNormalizedBytesAdds(t *testing.T) {
	r := rand.New(rand.NewPCG(227, 229))
	pieces := []string{"$", "{", "}", "ifs", "${ifs}", "$ifs$9", "${ifs%??}", "${path:0:1}", "${home:0:1}", "$0", "${shell}", "$bash", "$@", "$*", "+", ",", "'", "\"", "\\", "\n", "a", "c", "t", "x", "1", "{cat,/etc/passwd}", "{,$'whoami',}", "()", "{}", " "}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 10)...)
	extra := lex.BytesOf(string(normalizeWrites))
	for _, s := range texts {
		s = strings.ToLower(s)
		have := lex.BytesOf(s)
		out := shell.Normalize(nil, s)
		for _, c := range out {
			if !have.Has(c) && !extra.Has(c) {
				t.Fatalf("Normalize(%q) wrote %q, in neither its input nor normalizeWrites", s, c)
			}
		}
	}
}
