package telemetry

import (
	"strings"
	"testing"
)

func TestGramSetHoldsEveryPieceAndNoOther(t *testing.T) {
	secrets := []string{"s3cr3t-t0ken-value", strings.Repeat("\x00", 12), "abcdefgh", strings.Repeat("xy", 200)}
	want := map[string]bool{}
	var g gramSet
	for i, v := range secrets {
		if i == 1 {
			g.reserve(1000)
		}
		g.add(v)
		for k := 0; k+gram <= len(v); k++ {
			want[v[k:k+gram]] = true
		}
	}
	probe := strings.Join(secrets, "|") + "|some other text, s3cr3t-t0ken-valuX and abcdefgi"
	for i := 0; i+gram <= len(probe); i++ {
		if got := g.has(probe, i); got != want[probe[i:i+gram]] {
			t.Errorf("has(%q) = %v, want %v", probe[i:i+gram], got, want[probe[i:i+gram]])
		}
	}
	var empty gramSet
	if !empty.empty() || empty.has("abcdefgh", 0) || empty.has(strings.Repeat("\x00", 8), 0) {
		t.Error("an empty set holds a piece")
	}
}
