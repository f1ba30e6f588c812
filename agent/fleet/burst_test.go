package fleet

import "testing"

// TestCapOfCountsWhatThePreviousWindowCouldAdmit: a window after a burst
// may admit 2·Limit less what the window before admitted, and a total read
// back above that window's own cap holds leases asked for after it was
// spent, which nobody got: the cap counts the previous window up to its
// own cap, not the asks above it.
func TestCapOfCountsWhatThePreviousWindowCouldAdmit(t *testing.T) {
	l := &Limit{ID: "k", Limit: 20, Burst: 30}
	key := func(w int64) counterKey { return counterKey{limit: 0, threshold: -1, key: "partner", window: w} }
	for _, c := range []struct {
		name   string
		totals map[int64]int64 // window → total as last read
		want   int64           // cap of window 10
	}{
		{"a quiet key takes its burst", nil, 30},
		{"after a burst, the rest of twice the limit", map[int64]int64{9: 30}, 10},
		{"asks above the burst are not admissions", map[int64]int64{9: 34}, 10},
		{"after a quiet window, a modest one", map[int64]int64{9: 12}, 28},
		{"after the window after a burst, asks above its cap of 10", map[int64]int64{8: 30, 9: 14}, 30},
		{"a window never read counts as quiet", map[int64]int64{8: 30}, 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &State{counters: map[counterKey]*counter{}}
			for w, total := range c.totals {
				s.counters[key(w)] = &counter{total: total, synced: true}
			}
			if got := s.capOf(l, key(10)); got != c.want {
				t.Errorf("capOf = %d, want %d", got, c.want)
			}
		})
	}
}
