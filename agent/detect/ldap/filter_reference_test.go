package ldap

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// filterReference is Filter before it searched for its probes in one pass:
// a strings.Index per probe. The oracle for TestFilterAgreesWithSearchPerProbe.
func filterReference(s string) (start, end, score int) {
	// A whole, balanced filter "(&(objectCategory=computer)(...))" is an
	// application feature (an LDAP search box), not a fragment breaking
	// out of one, unless it holds a filter whose answer is fixed, which
	// a search box has no use for.
	if t := strings.TrimSpace(s); len(t) > 0 && t[0] == '(' && strings.Count(t, "(") == strings.Count(t, ")") && !strings.Contains(t, "*)") && balancedPrefix(t) {
		if i := constantFilter(t); i >= 0 {
			return i, i + 16, 7
		}
		return -1, 0, 0
	}
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ")(")
		if i < 0 {
			break
		}
		i += off
		j := i + 2
		for j < len(s) && (s[j] == '|' || s[j] == '&' || s[j] == '!' || s[j] == '(' || lex.IsSpace(s[j])) {
			j++
		}
		if j < len(s) && s[j] == ')' && j > i+2 { // )(&) / )(|) always-true / false filter
			return i, j + 8, 8
		}
		k := j
		for k < len(s) && (lex.IsWord(s[k]) || s[k] == '-' || s[k] == '.' || s[k] == ';') {
			k++
		}
		if k > j && k < len(s) && (s[k] == '=' || (s[k] == '~' || s[k] == '<' || s[k] == '>') && k+1 < len(s) && s[k+1] == '=') {
			return i, k + 16, 8
		}
		off = i + 2
	}
	for _, p := range [...]string{"*)(", "*))", "(|(", "(&(", "(!("} {
		if i := strings.Index(s, p); i >= 0 && (strings.IndexByte(s, '=') >= 0 || p[0] == '*' && (i == 0 || strings.Contains(s, "%00") || strings.IndexByte(s, 0) >= 0)) {
			return i, i + 24, 7
		}
	}

	return -1, 0, 0
}

// TestFilterAgreesWithSearchPerProbe holds Filter to a strings.Index per
// probe on the corpora, hostile random strings, random texts of filter
// pieces, their mutations, and long runs of both (the one-pass search
// reads texts of 256 bytes and more).
func TestFilterAgreesWithSearchPerProbe(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(241, 251))
	pieces := []string{"(", ")", "*", "|", "&", "!", "=", "~=", ">=", "<=", "uid", "cn", "objectclass", "1", "0", "%00", "\x00", "*)(", "*))", "(|(", "(&(", "(!(", ")(", "(&)", "(|)", " ", "-", "."}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 30000, 10)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(4) == 0 {
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	found := 0
	for _, s := range texts {
		have := lex.BytesOf(s)
		gs, ge, gc := Filter(s, &have)
		ws, we, wc := filterReference(s)
		if gs != ws || ge != we || gc != wc {
			t.Fatalf("Filter(%d bytes %.80q) = %d, %d, %d; a search per probe %d, %d, %d", len(s), s, gs, ge, gc, ws, we, wc)
		}
		if gs >= 0 {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d filters found: the texts do not exercise Filter", found)
	}
}
