package fleet

import (
	"fmt"
	"time"
)

// Abuse counters (failed logins, error responses: policy.AbuseCounters)
// are thresholds too: each event is an ADD on a per-key, per-window
// counter item, the environment whose sync reads back a total at the
// threshold writes the key's flag, and every environment reads the flags
// at each sync, so a key held in one environment is held in all within
// one sync interval. They differ from flagging thresholds only in what
// they count and in the pseudonym prefix of their keys: a counter whose
// prefix is the source prefix ("ip_") sets the group's source flag, the
// others hold keys that only the policy section that counts them reads
// (a user name sprayed, a source stuffing one login route).

// Count records one event of src for counter (an index into
// Options.Counters). It never waits on the network.
func (s *State) Count(counter int, src Source) {
	s.Blocked(s.firstCounter+counter, src)
}

// CounterTotal is src's count for counter in its current window: the
// fleet's total as last read plus what this environment has not reported
// yet.
func (s *State) CounterTotal(counter int, src Source) int64 {
	i := s.firstCounter + counter
	t := s.o.Thresholds[i]
	now := s.o.Now()
	k := counterKey{limit: -1, threshold: i, prefix: src.Prefix, key: src.Value, window: now.UnixNano() / int64(t.Within)}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.counters[k]
	if !ok {
		return 0
	}
	return c.total + c.debt
}

// FlaggedUntil is Flagged with the time the flag lapses.
func (s *State) FlaggedUntil(src Source) (time.Time, bool) {
	s.flagsMu.RLock()
	defer s.flagsMu.RUnlock()
	if len(s.flags) == 0 || src.Value == "" {
		return time.Time{}, false
	}
	until, ok := s.flags[s.pseudonym(src)]
	return until, ok && s.o.Now().Before(until)
}

// addCounters appends o.Counters to o.Thresholds, remembering where they
// start.
func (s *State) addCounters() error {
	for _, c := range s.o.Counters {
		if c.ID == "" || c.Blocked <= 0 || c.Within <= 0 || c.FlagFor <= 0 || c.FlagFor > MaxFlagDuration {
			return fmt.Errorf("fleet state: counter %q: want an id, a positive threshold and window, and a hold up to %v", c.ID, MaxFlagDuration)
		}
		if r := c.Ratio; r.Share > 0 && (r.Share > 1 || r.Counter < 0 || r.Counter >= len(s.o.Counters) || s.o.Counters[r.Counter].Within != c.Within) {
			return fmt.Errorf("fleet state: counter %q: a ratio wants a share up to 1 of another counter of the same window", c.ID)
		}
	}
	s.firstCounter = len(s.o.Thresholds)
	s.isWhole = make([]bool, s.firstCounter+len(s.o.Counters))
	for _, c := range s.o.Counters {
		if c.Ratio.Share > 0 {
			s.isWhole[s.firstCounter+c.Ratio.Counter] = true
		}
	}
	s.o.Thresholds = append(s.o.Thresholds[:len(s.o.Thresholds):len(s.o.Thresholds)], s.o.Counters...)
	return nil
}
