package policy

import (
	"strings"
	"testing"
	"time"
)

// A case-insensitive contains costs the value's length, not value ×
// needle: on the worst input for window-by-window folding (every window
// nearly matches), a 16× longer needle must not cost anywhere near 16×.
func TestFoldContainsIsLinear(t *testing.T) {
	value := strings.Repeat("aB", 1<<20)
	cost := func(needleLen int) time.Duration {
		m := foldContainsMatcher{lower: strings.ToLower(strings.Repeat("ab", needleLen/2) + "c")}
		best := time.Duration(1 << 62)
		for i := 0; i < 3; i++ {
			start := time.Now()
			if m.match(value) {
				t.Fatal("matched")
			}
			if el := time.Since(start); el < best {
				best = el
			}
		}
		return best
	}
	short, long := cost(24), cost(384)
	if long > 5*short+5*time.Millisecond {
		t.Errorf("needle 24: %s, needle 384: %s; want about the same", short, long)
	}
}
