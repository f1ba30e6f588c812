package policy

import (
	"slices"
	"sync"
	"time"
)

// AbuseCounters count events that only the function's responses reveal —
// failed logins, error responses — per key in fixed windows, and hold a
// key once its count crosses a threshold. Package fleet implements them
// across the protection group (the counts are the shared state's threshold
// counters, a hold is a flag); without shared state the policy counts in
// this environment's memory (localCounters).
//
// Every method is called on the request path, possibly from several
// goroutines at once, and must answer from memory: never wait on the
// network. counter indexes Policy.Counters(); key is a raw value (an
// address, a user name) that implementations must never write anywhere
// but as a keyed pseudonym.
type AbuseCounters interface {
	// Count adds one event of key to counter.
	Count(counter int, key string, now time.Time)
	// Held reports whether key is held by counter at now (its threshold
	// was crossed within one window, across the group for the fleet),
	// until when, and the count of key's current window as last known.
	Held(counter int, key string, now time.Time) (until time.Time, count int64, held bool)
}

// Counter is one compiled abuse threshold: Threshold events of one key
// within one Window hold the key for HoldFor.
type Counter struct {
	// ID names the counter in shared state and records:
	// "logins.stuffing", "responses.scanning".
	ID        string
	Threshold int64
	Window    time.Duration
	HoldFor   time.Duration
	// Prefix is the pseudonym prefix the key is stored under in shared
	// state. sourcePrefixIP ("ip_") makes a hold the group's source flag,
	// which blocks every request of the source (action flag); other
	// prefixes hold only what the counter's section checks.
	Prefix string
	// Of, when its Share is above 0, makes the counter a ratio's errors:
	// a key is held only when its count also reaches Share of its count
	// in counter Of in the same window, and that count reaches Min.
	Of RatioOf
}

// RatioOf is the other side of a ratio counter: the counter (an index
// into Policy.Counters) that counts the whole the counter's events are a
// share of, the share that holds the key, and the fewest events of the
// whole for the share to count.
type RatioOf struct {
	Counter int
	Share   float64
	Min     int64
}

// Crossed reports whether n events of a key, out of whole, hold it for a
// counter whose threshold is threshold.
func (r RatioOf) Crossed(n, whole, threshold int64) bool {
	if n < threshold {
		return false
	}
	if r.Share <= 0 {
		return true
	}
	return whole >= r.Min && float64(n) >= r.Share*float64(whole)
}

// Counters returns the policy's abuse counters, in the order
// AbuseCounters indexes them.
func (p *Policy) Counters() []Counter { return p.counters }

// addCounter appends a counter and returns its index.
func (p *Policy) addCounter(c Counter) int {
	p.counters = append(p.counters, c)
	return len(p.counters) - 1
}

// abuse returns the counters in use: the shared state's when it counts
// them, else this environment's.
func (p *Policy) abuse() AbuseCounters {
	if c, ok := p.shared.(AbuseCounters); ok {
		return c
	}
	return p.local
}

// maxLocalKeys bounds the keys localCounters tracks. When it is full, keys
// whose window has passed go first, then the least recently used tenth of
// the others that are not held (EvictLeastRecent); a held key is never
// evicted, so an attacker spraying new keys cannot flush a hold. Evictions,
// and events of new keys that found the store full of holds (untracked),
// are counted (CounterStats).
const maxLocalKeys = 50000

// localCounters are AbuseCounters in one environment's memory.
type localCounters struct {
	counters []Counter

	mu        sync.Mutex
	count     map[localKey]*localCount
	evicted   int64 // keys evicted at the cap
	untracked int64 // events of new keys not counted: the store was full of holds
	// fullUntil is when makeRoom may look again after it found every key
	// held: a store full of holds would otherwise cost a pass over every
	// key for each new one.
	fullUntil time.Time
}

type localKey struct {
	counter int
	key     string
}

type localCount struct {
	window int64 // the window n counts in
	n      int64
	until  time.Time // held until
	used   int64     // Unix nanoseconds of the key's last event
}

func newLocalCounters(cs []Counter) *localCounters {
	return &localCounters{counters: cs, count: map[localKey]*localCount{}}
}

// Count implements AbuseCounters.
func (l *localCounters) Count(counter int, key string, now time.Time) {
	c := &l.counters[counter]
	w := now.UnixNano() / int64(c.Window)
	l.mu.Lock()
	defer l.mu.Unlock()
	k := localKey{counter, key}
	lc, ok := l.count[k]
	if !ok {
		if len(l.count) >= maxLocalKeys && (now.Before(l.fullUntil) || !l.makeRoom(now)) {
			l.untracked++
			return
		}
		lc = &localCount{window: w}
		l.count[k] = lc
	}
	lc.used = now.UnixNano()
	if lc.window != w {
		lc.window, lc.n = w, 0
	}
	lc.n++
	if !now.Before(lc.until) && c.Of.Crossed(lc.n, l.whole(c, key, w), c.Threshold) {
		lc.until = now.Add(c.HoldFor)
	}
}

// whole is the count of key in window w of the counter c is a ratio of;
// 0 when c is no ratio. l.mu is held.
func (l *localCounters) whole(c *Counter, key string, w int64) int64 {
	if c.Of.Share <= 0 {
		return 0
	}
	if lc, ok := l.count[localKey{c.Of.Counter, key}]; ok && lc.window == w {
		return lc.n
	}
	return 0
}

// makeRoom forgets keys neither held nor counted in their current window,
// then, when that is not enough, the least recently used tenth of the keys
// not held; false when every key is held. l.mu is held.
func (l *localCounters) makeRoom(now time.Time) bool {
	before := len(l.count)
	for k, lc := range l.count {
		if now.Before(lc.until) {
			continue
		}
		if lc.window != now.UnixNano()/int64(l.counters[k.counter].Window) {
			delete(l.count, k)
		}
	}
	if len(l.count) >= maxLocalKeys {
		EvictLeastRecent(l.count, func(lc *localCount) (int64, bool) { return lc.used, now.Before(lc.until) })
	}
	l.evicted += int64(before - len(l.count))
	if len(l.count) >= maxLocalKeys {
		l.fullUntil = now.Add(time.Second)
		return false
	}
	return true
}

// CounterStats are what a counter store's key cap did: keys evicted to
// make room, and events of new keys left uncounted because every key
// tracked was held.
type CounterStats struct {
	Evicted, Untracked int64
}

// CounterStats reports what the key cap of this environment's abuse
// counters did since the policy's counters were made (they outlive
// reloads that keep them). Zero when the shared state counts them.
func (p *Policy) CounterStats() CounterStats {
	l := p.local
	if l == nil {
		return CounterStats{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return CounterStats{Evicted: l.evicted, Untracked: l.untracked}
}

// Held implements AbuseCounters.
func (l *localCounters) Held(counter int, key string, now time.Time) (time.Time, int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lc, ok := l.count[localKey{counter, key}]
	if !ok {
		return time.Time{}, 0, false
	}
	n := lc.n
	if lc.window != now.UnixNano()/int64(l.counters[counter].Window) {
		n = 0
	}
	return lc.until, n, now.Before(lc.until)
}

// keepCounters makes p continue old's abuse counts when they count the
// same things (same counters in the same order), and old's memory of login
// pairs (known-good and counted pairs), so that reloading a configuration
// neither forgets a hold nor hands an attacker a fresh start. Called by
// KeepRateLimits.
func (p *Policy) keepCounters(old *Policy) {
	if p.local != nil && old.local != nil && slices.Equal(p.counters, old.counters) {
		p.local = old.local
	}
	if p.logins != nil && old.logins != nil {
		p.logins.mem = old.logins.mem
	}
}
