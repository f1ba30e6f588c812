package fleet

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// At the key cap the least recently used counters that owe the table
// nothing are evicted (their totals are the table's), a counter owing a
// report never is, and what the cap did reaches OnEvict.
func TestKeyCapEvictsLeastRecentAndKeepsWhatIsOwed(t *testing.T) {
	tbl := &countingTable{items: map[string]int64{}}
	now := time.Date(2026, 12, 6, 10, 0, 1, 0, time.UTC)
	var evicted, untracked int
	s, err := New(Options{
		Table:    &Table{API: tbl, Name: "t", Group: "g"},
		Key:      func() ([]byte, bool) { return []byte("0123456789abcdef0123456789abcdef"), true },
		Limits:   []Limit{{ID: "api", Limit: 100, Window: time.Minute}},
		Counters: []Threshold{{ID: "responses.scanning", Blocked: 1000, Within: time.Minute, FlagFor: time.Hour, Prefix: "resp_"}},
		Now:      func() time.Time { return now },
		OnEvict:  func(e, u int) { evicted += e; untracked += u },
	})
	if err != nil {
		t.Fatal(err)
	}
	const maxKeys = 2000 // the cap's behaviour, at a size a test pays little for
	s.maxKeys = maxKeys
	sync := func() {
		if err := s.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	owed := Source{Prefix: "resp_", Value: "192.0.2.1"}
	has := func(limit, threshold int, prefix, key string) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		_, ok := s.counters[counterKey{limit: limit, threshold: threshold, prefix: prefix, key: key, window: now.UnixNano() / int64(time.Minute)}]
		return ok
	}

	// A flood of new keys, the group syncing every 500: a key in steady
	// use stays, the oldest go.
	for i := range maxKeys + 2000 {
		now = now.Add(time.Microsecond)
		s.Allow(0, fmt.Sprintf("flood-%d", i))
		if i%100 == 0 {
			s.Allow(0, "steady")
		}
		if i%500 == 499 {
			sync()
		}
	}
	sync()
	if evicted < 2000 || untracked != 0 {
		t.Errorf("after %d keys: %d evicted, %d untracked; want at least 2000 evicted and none untracked", maxKeys+10000, evicted, untracked)
	}
	if !has(0, -1, "", "steady") {
		t.Error("the key in steady use was evicted")
	}
	if has(0, -1, "", "flood-0") {
		t.Error("the least recent key is still tracked")
	}
	if n := len(s.counters); n > maxKeys {
		t.Errorf("%d counters tracked, over the cap of %d", n, maxKeys)
	}

	// A count owed to the table, then more new keys than the cap within
	// one sync: every counter then owes, and new keys go untracked —
	// counted, never silently — while the owed count stays.
	s.Count(0, owed)
	evicted, untracked = 0, 0
	for i := range maxKeys + 100 {
		s.Allow(0, fmt.Sprintf("burst-%d", i))
	}
	sync()
	if untracked == 0 {
		t.Error("new keys beyond a cap full of owed counts were not reported untracked")
	}
	if !has(-1, s.firstCounter, owed.Prefix, owed.Value) {
		t.Error("a counter owing its count to the table was evicted")
	}
	if s.CounterTotal(0, owed) != 1 {
		t.Errorf("the owed count: %d, want 1", s.CounterTotal(0, owed))
	}
}
