package fleet

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// op is one counter report of a sync.
type op struct {
	k         counterKey
	c         *counter
	pseudonym string
	delta     int64 // debt reported
	want      int64 // tokens asked for (limits, current window only)
	expires   time.Time
	total     int64
	err       error
}

// Sync trades counts with the table: it reports every counter's debt, asks
// for leases where there is demand, reads back the fleet's totals, flags
// sources that crossed a threshold, and reads the group's flags. Run it as
// a background task every SyncInterval, never on the request path.
//
// A failed or slow call makes the State degraded (global limits decided on
// the local share), logged once per LogEvery; the debt it could not report
// is kept and reported at the next sync that succeeds, so the fleet's
// counts catch up. The error returned is the first failure.
func (s *State) Sync(ctx context.Context) error {
	key, shared := s.o.Key()
	now := s.o.Now()
	s.noteCap(now)
	ops := s.collect(key, shared, now)
	if !shared {
		return nil // count locally until the shared key has loaded
	}

	var wg sync.WaitGroup
	sem := make(chan struct{}, syncConcurrency)
	for i := range ops {
		o := &ops[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			cctx, cancel := context.WithTimeout(ctx, s.o.CallTimeout)
			defer cancel()
			o.total, o.err = s.o.Table.add(cctx, s.o.Table.counterKey(kindOf(o.k), idOf(s, o.k), o.pseudonym, o.k.window), o.delta+o.want, o.expires)
		}()
	}
	wg.Wait()
	flagsToWrite, firstErr := s.apply(ops, now)

	for p, until := range flagsToWrite {
		cctx, cancel := context.WithTimeout(ctx, s.o.CallTimeout)
		err := s.o.Table.SetFlag(cctx, p, until, now)
		cancel()
		if err != nil {
			firstErr = errors.Join(firstErr, err)
			s.mu.Lock()
			s.pending[p] = until // try again next time
			s.mu.Unlock()
		}
	}

	if !s.o.ReadFlags {
		s.noteHealth(firstErr, now)
		return firstErr
	}
	cctx, cancel := context.WithTimeout(ctx, s.o.CallTimeout)
	flags, err := s.o.Table.Flags(cctx, now)
	cancel()
	if err != nil {
		firstErr = errors.Join(firstErr, err)
	} else {
		m := make(map[string]time.Time, len(flags))
		for _, f := range flags {
			m[f.Pseudonym] = f.Until
		}
		s.mu.Lock()
		for p, until := range s.pending { // our own, not yet written
			m[p] = until
		}
		s.mu.Unlock()
		s.flagsMu.Lock()
		if !bytes.Equal(s.flagKey, key) {
			s.cacheMu.Lock()
			s.cache = nil // made with another key
			s.cacheMu.Unlock()
		}
		s.flags, s.flagKey = m, key
		s.flagsMu.Unlock()
		if err := s.publishGood(ctx, key, now); err != nil {
			firstErr = errors.Join(firstErr, err)
		}
	}
	s.noteHealth(firstErr, now)
	return firstErr
}

func kindOf(k counterKey) string {
	if k.threshold >= 0 {
		return "blk"
	}
	return "rl"
}

func idOf(s *State, k counterKey) string {
	if k.threshold >= 0 {
		return s.o.Thresholds[k.threshold].ID
	}
	return s.o.Limits[k.limit].ID
}

// collect takes what each counter has to report and forgets counters of
// past windows with nothing left to report.
func (s *State) collect(key []byte, shared bool, now time.Time) []op {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shared = shared
	var ops, reports, wholes []op
	for k, c := range s.counters {
		window, _ := s.windowOf(k)
		current := now.UnixNano() / int64(window)
		// The previous window is kept: it tells a key's new window
		// whether the key is hot.
		if k.window < current-1 && c.debt == 0 {
			delete(s.counters, k)
			continue
		}
		if !shared {
			continue
		}
		o := op{k: k, c: c, delta: c.debt}
		if k.threshold >= 0 {
			switch {
			case o.delta == 0:
			case s.isWhole[k.threshold]:
				wholes = append(wholes, o)
			default:
				reports = append(reports, o)
			}
			continue // chosen below, by urgency
		}
		if k.window == current && c.demand > 0 {
			o.want = s.want(c, now, s.capOf(&s.o.Limits[k.limit], k))
		}
		// Credit is reset when the answer arrives (apply), not here: until
		// then the environment does not know whether its credit landed
		// above the limit.
		c.debt = 0
		c.demand, c.since = 0, now
		if o.delta == 0 && o.want == 0 {
			continue
		}
		o.pseudonym = pseudonymOf(key, k)
		o.expires = time.Unix(0, (k.window+2)*int64(window)).Add(time.Second)
		c.inFlight = true
		ops = append(ops, o)
	}
	ops = append(ops, s.mostUrgent(reports, key)...)
	return append(ops, s.mostWanted(wholes, key)...)
}

// maxWholeReports bounds the reports of counters that ratios divide by
// (an error ratio's requests per route) in one sync. They are reported
// apart from the other threshold counters, never queued behind them: a
// ratio judged against a whole that other environments have not reported
// would cross too early.
const maxWholeReports = 32

// mostWanted takes the at most maxWholeReports reports of wholes, those
// whose key already has errors (a ratio counter in the same window) first,
// and clears their debt. s.mu is held.
func (s *State) mostWanted(reports []op, key []byte) []op {
	if len(reports) > maxWholeReports {
		share := func(o *op) int64 {
			for i, t := range s.o.Thresholds {
				if t.Ratio.Share > 0 && s.firstCounter+t.Ratio.Counter == o.k.threshold {
					if c, ok := s.counters[counterKey{limit: -1, threshold: i, prefix: t.Prefix, key: o.k.key, window: o.k.window}]; ok {
						return c.total + c.debt
					}
				}
			}
			return 0
		}
		slices.SortFunc(reports, func(a, b op) int { return cmp.Compare(share(&b), share(&a)) })
		reports = reports[:maxWholeReports]
	}
	return s.taken(reports, key)
}

// maxReports bounds the threshold counters one sync reports. An attack
// over many keys (a credential-stuffing list feeds one counter per user
// name) would otherwise make every sync as long as the list; the counters
// closest to their thresholds go first, and the others keep their debt
// for the next sync, so nothing is lost and a key about to be held is
// never queued behind a thousand that are not.
const maxReports = 16

// mostUrgent takes the at most maxReports threshold reports whose counts
// (as last read, plus this environment's debt) are the largest fractions
// of their thresholds, and clears their debt. s.mu is held.
func (s *State) mostUrgent(reports []op, key []byte) []op {
	urgency := func(o *op) float64 {
		return float64(o.c.total+o.delta) / float64(s.o.Thresholds[o.k.threshold].Blocked)
	}
	if len(reports) > maxReports {
		slices.SortFunc(reports, func(a, b op) int { return cmp.Compare(urgency(&b), urgency(&a)) })
		reports = reports[:maxReports]
	}
	return s.taken(reports, key)
}

// taken clears the debt of the threshold reports a sync makes and names
// their items. s.mu is held.
func (s *State) taken(reports []op, key []byte) []op {
	for i := range reports {
		o := &reports[i]
		o.c.debt = 0
		o.c.inFlight = true
		window, _ := s.windowOf(o.k)
		o.pseudonym = pseudonymOf(key, o.k)
		o.expires = time.Unix(0, (o.k.window+2)*int64(window)).Add(time.Second)
	}
	return reports
}

// windowOf returns the window length of k's limit or threshold, and the
// limit (0 for thresholds).
func (s *State) windowOf(k counterKey) (time.Duration, int64) {
	if k.threshold >= 0 {
		return s.o.Thresholds[k.threshold].Within, 0
	}
	l := s.o.Limits[k.limit]
	return l.Window, l.Limit
}

// want sizes a lease: the counter's demand rate over 1.5 sync intervals,
// less the tokens still held, at most the limit.
func (s *State) want(c *counter, now time.Time, limit int64) int64 {
	if c.synced && c.total >= limit {
		return 0 // exhausted: a lease would be refused
	}
	elapsed := now.Sub(c.since)
	if elapsed < s.o.SyncInterval {
		elapsed = s.o.SyncInterval
	}
	rate := float64(c.demand) / elapsed.Seconds()
	w := int64(math.Ceil(rate*1.5*s.o.SyncInterval.Seconds())) - c.tokens
	return min(max(w, 0), limit)
}

// pseudonymOf is the pseudonym a counter's key is stored under: sources as
// telemetry makes them, limit keys (addresses, routes, header or claim
// values) under the "key_" prefix.
func pseudonymOf(key []byte, k counterKey) string {
	if k.threshold >= 0 {
		return telemetry.Pseudonym(key, k.prefix, k.key)
	}
	return telemetry.Pseudonym(key, "key_", k.key)
}

// apply records the answers of a sync's counter reports and returns the
// first error and the flags to write.
func (s *State) apply(ops []op, now time.Time) (map[string]time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var firstErr error
	flags := s.pending
	s.pending = map[string]time.Time{}
	var ratios []*op // judged once every total of the sync is in
	for i := range ops {
		o := &ops[i]
		c := o.c
		c.inFlight = false
		c.credit = 0
		if o.err != nil {
			if firstErr == nil {
				firstErr = o.err
			}
			c.debt += o.delta // report it next time
			continue
		}
		c.total, c.synced = o.total, true
		if o.k.threshold >= 0 {
			t := s.o.Thresholds[o.k.threshold]
			if t.Ratio.Share > 0 {
				ratios = append(ratios, o)
			} else if o.total >= t.Blocked {
				flags[o.pseudonym] = now.Add(t.FlagFor)
			}
			continue
		}
		limit := s.capOf(&s.o.Limits[o.k.limit], o.k)
		// The lease is the slice [total-want, total) of the counter: the
		// part below the limit is ours.
		granted := min(o.want, limit-(o.total-o.want))
		if granted > 0 {
			c.tokens += granted
		}
	}
	for _, o := range ratios {
		t := s.o.Thresholds[o.k.threshold]
		if t.Ratio.Crossed(o.total, s.wholeOf(o.k, t), t.Blocked) {
			flags[o.pseudonym] = now.Add(t.FlagFor)
		}
	}
	return flags, firstErr
}

// wholeOf is the count of the counter ratio counter k is a share of, for
// k's key and window: the fleet's total as last read (this sync's, when
// it reported too) plus what this environment has not reported yet.
// s.mu is held.
func (s *State) wholeOf(k counterKey, t Threshold) int64 {
	i := s.firstCounter + t.Ratio.Counter
	w := counterKey{limit: -1, threshold: i, prefix: s.o.Thresholds[i].Prefix, key: k.key, window: k.window}
	c, ok := s.counters[w]
	if !ok {
		return 0
	}
	return c.total + c.debt
}

// noteCap reports what the key cap did since the last sync: to OnEvict
// every time, to the log at most once per LogEvery.
func (s *State) noteCap(now time.Time) {
	s.mu.Lock()
	evicted, untracked := s.evicted, s.untracked
	s.evicted, s.untracked = 0, 0
	s.full = false // this sync reports: counters become evictable
	logNow := (evicted > 0 || untracked > 0) && (s.capLog.IsZero() || now.Sub(s.capLog) >= s.o.LogEvery)
	if logNow {
		s.capLog = now
	}
	s.mu.Unlock()
	if evicted == 0 && untracked == 0 {
		return
	}
	if s.o.OnEvict != nil {
		s.o.OnEvict(evicted, untracked)
	}
	if logNow {
		s.o.Logger.Warn().Int("evicted", evicted).Int("untracked", untracked).Int("cap", s.maxKeys).
			Msg("fleet state key cap reached: least recently used counters evicted (their counts are the table's; holds are kept); untracked events of new keys were not counted")
	}
}

// noteHealth enters or leaves the degraded state and logs it at most once
// per LogEvery, however often a flaky table comes and goes: one line when
// a degradation is logged, one when that degradation ends.
//
// A sync that outlasted its time budget several times over was frozen
// with the environment (Lambda freezes it between invocations; the
// call's timer then fires on thaw): its errors say nothing about the
// table and are not counted. Its unreported debt is kept all the same.
func (s *State) noteHealth(err error, now time.Time) {
	if err != nil && s.o.Now().Sub(now) > 3*s.o.CallTimeout+s.o.SyncInterval {
		return
	}
	s.mu.Lock()
	was := s.degraded
	s.degraded = err != nil
	logNow := err != nil && (s.lastLog.IsZero() || now.Sub(s.lastLog) >= s.o.LogEvery)
	if logNow {
		s.lastLog = now
		s.logged = true
	}
	recovered := was && err == nil && s.logged
	if recovered {
		s.logged = false
	}
	s.mu.Unlock()
	switch {
	case logNow:
		s.o.Logger.Warn().Err(err).Str("table", s.o.Table.Name).Float64("local_share", s.o.LocalShare).
			Msg("fleet state unreachable: global rate limits fall back to this environment's local share; flags as last read")
	case recovered:
		s.o.Logger.Info().Str("table", s.o.Table.Name).Msg("fleet state reachable again: counts caught up")
	}
}
