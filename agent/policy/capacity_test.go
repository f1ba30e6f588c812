package policy

import (
	"fmt"
	"testing"
	"time"
)

// At the key cap this environment's counters evict the least recently
// used keys that are not held, never a held one, and count what they
// evicted and what they could not track.
func TestLocalKeyCapKeepsHoldsAndCountsEvictions(t *testing.T) {
	tests := []struct {
		name          string
		threshold     int64
		wantUntracked bool
	}{
		{"a flood of new keys evicts the least recent unheld ones", 3, false},
		{"a store full of holds tracks no new key, and says so", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLocalCounters([]Counter{{ID: "responses.scanning", Threshold: tt.threshold, Window: time.Hour, HoldFor: time.Hour}})
			now := time.Date(2026, 12, 6, 10, 0, 1, 0, time.UTC)
			for range 3 {
				l.Count(0, "attacker", now)
			}
			for i := range maxLocalKeys + 10000 {
				now = now.Add(time.Microsecond)
				l.Count(0, fmt.Sprintf("spray-%d", i), now)
			}
			if _, _, held := l.Held(0, "attacker", now); !held {
				t.Error("the spray flushed the attacker's hold")
			}
			if n := len(l.count); n > maxLocalKeys {
				t.Errorf("%d keys tracked, over the cap of %d", n, maxLocalKeys)
			}
			if (l.untracked > 0) != tt.wantUntracked {
				t.Errorf("untracked %d, want some: %v", l.untracked, tt.wantUntracked)
			}
			if !tt.wantUntracked {
				if l.evicted < 10000 {
					t.Errorf("evicted %d, want at least 10000", l.evicted)
				}
				last := fmt.Sprintf("spray-%d", maxLocalKeys+9999)
				if _, n, _ := l.Held(0, last, now); n != 1 {
					t.Errorf("the most recent key's count: %d, want 1", n)
				}
			}
		})
	}
}
