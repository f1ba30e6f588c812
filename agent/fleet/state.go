package fleet

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// Defaults for Options.
const (
	DefaultSyncInterval = 250 * time.Millisecond
	DefaultCredit       = 1
	DefaultLocalShare   = 0.1
	DefaultColdShare    = 0.002
	DefaultCallTimeout  = time.Second
	DefaultLogEvery     = time.Minute
	// maxCounters bounds the keys tracked at once. When it is full, the
	// least recently used tenth of the counters that owe the table
	// nothing go (policy.EvictLeastRecent): their totals are the table's,
	// so the next event of such a key counts on from the fleet's total;
	// holds are flags, never evicted. Only when every counter owes a
	// report (more new keys within one sync than the cap) is a new key
	// left untracked: a limit then admits it, a threshold does not count
	// it. Both are counted (Options.OnEvict) and logged.
	maxCounters = 50000
	// syncConcurrency bounds the table calls of one sync in flight.
	syncConcurrency = 8
)

// Limit is a fleet-wide rate limit: at most Limit requests per key in each
// Window, across every environment of the group.
type Limit struct {
	ID     string
	Limit  int64
	Window time.Duration
	// Burst, when above Limit, lets one window admit up to Burst while
	// it and the window before stay within 2·Limit together (see capOf).
	Burst int64
}

// Threshold flags a source for FlagFor once Blocked of its requests have
// been blocked within one Within window across the group.
type Threshold struct {
	ID      string
	Blocked int64
	Within  time.Duration
	FlagFor time.Duration
	// Prefix is the pseudonym prefix of a counter's keys (Options.Counters
	// only; thresholds take their sources' prefixes).
	Prefix string
	// Ratio, when its Share is above 0, makes a counter (Options.Counters
	// only) a share of another counter of Options.Counters (Ratio.Counter):
	// it holds a key only once its total reaches Blocked and Share of the
	// other's total, which reaches Ratio.Min (an error ratio's errors of
	// its requests).
	Ratio policy.RatioOf
}

// Source is who a request came from, as pseudonymised: Prefix is
// telemetry.SourcePrefix for an address, telemetry.UserPrefix for an
// identity or API key.
type Source struct {
	Prefix string
	Value  string
}

// Options configure a State.
type Options struct {
	// Table is where the group's state lives. Required.
	Table *Table
	// Limits and Thresholds are the global limits and flagging thresholds
	// of the policy; Allow and Blocked take their indexes.
	Limits     []Limit
	Thresholds []Threshold
	// Counters are the policy's abuse counters (policy.Counter: failed
	// logins, error responses), counted as thresholds whose crossing
	// holds the key (see counters.go); Count takes their indexes.
	Counters []Threshold
	// ReadFlags makes every sync read the group's flag item (set when
	// the policy blocks flagged sources). Thresholds imply it.
	ReadFlags bool
	// Key returns the agent key and whether it is the group's shared key
	// (read from Secrets Manager). Until it is, the State counts locally,
	// syncs nothing and never flags. Required.
	Key func() (key []byte, shared bool)
	// SyncInterval is how often Sync runs (DefaultSyncInterval): it sizes
	// leases.
	SyncInterval time.Duration
	// Credit is how many requests an environment admits on credit per sync
	// interval when its leased tokens run out (DefaultCredit). The fleet's
	// over-admission is at most environments × Credit per window.
	Credit int64
	// ColdShare is the fraction of a cold key's headroom an environment
	// may admit on credit per sync interval: while the fleet's count as
	// last read is below half the limit, credit is
	// max(Credit, ColdShare × (limit/2 − count)), so a burst on a key far
	// from its limit is not held to Credit until the next lease
	// (DefaultColdShare).
	ColdShare float64
	// LocalShare is the fraction of each global limit one environment
	// admits per window while the table cannot be reached, or before the
	// shared key has loaded (DefaultLocalShare).
	LocalShare float64
	// CallTimeout bounds each table call of a sync (DefaultCallTimeout).
	CallTimeout time.Duration
	// LogEvery is how often a continuing degradation is logged again
	// (DefaultLogEvery).
	LogEvery time.Duration
	Logger   zerolog.Logger
	Now      func() time.Time
	// OnEvict, when set, is told after each sync how many counters the
	// key cap evicted and how many events of new keys it left untracked
	// since the sync before (a metric; see maxCounters).
	OnEvict func(evicted, untracked int)
}

// State is one environment's view of the group's shared state. Allow,
// Blocked and Flagged read and write memory only and are safe for
// concurrent use; Sync trades with the table and runs from one goroutine at
// a time (a background task).
type State struct {
	o Options
	// firstCounter is the index in o.Thresholds of o.Counters[0].
	firstCounter int
	// isWhole marks, by index in o.Thresholds, the counters a ratio
	// counter is a share of.
	isWhole []bool

	mu       sync.Mutex
	counters map[counterKey]*counter
	// evicted and untracked count what the key cap did since the last
	// sync; capLog is when it was last logged.
	evicted, untracked int
	capLog             time.Time
	// full is set when every counter owed a report, so that eviction is
	// not tried again for each new key until the next sync has reported.
	full bool
	// maxKeys is maxCounters (smaller in tests).
	maxKeys  int
	pending  map[string]time.Time // pseudonym → until: flags to write
	degraded bool
	lastLog  time.Time
	logged   bool // the current degradation was logged: log its end
	shared   bool

	flagsMu sync.RWMutex
	flags   map[string]time.Time // pseudonym → until, as last read
	flagKey []byte               // the key the pseudonyms were made with

	goodMu sync.Mutex
	good   knownGood

	// cache holds recent sources' pseudonyms (for flagKey), so the flag
	// check costs a map lookup rather than an HMAC per request.
	cacheMu sync.Mutex
	cache   map[string]string
}

// maxCachedPseudonyms bounds the pseudonym cache; it starts over when full.
const maxCachedPseudonyms = 10000

// counterKey names one counter: a limit's key in one window, or a
// threshold's source in one window (threshold ≥ 0; prefix is then the
// source's pseudonym prefix). The prefix is a field of its own, not part
// of key, so that counting builds no string.
type counterKey struct {
	limit, threshold int
	prefix, key      string
	window           int64
}

// counter is the local side of one counter item.
type counter struct {
	tokens   int64 // leased, unused
	debt     int64 // admitted (or blocked, for thresholds) since the last report
	credit   int64 // credit used since the last sync
	demand   int64 // requests seen since the last sync
	admitted int64 // admitted by this environment in the window
	total    int64 // the fleet's total as last read
	synced   bool  // total is from the table
	hot      bool  // the key's previous window reached half its limit: no cold credit
	since    time.Time
	used     int64 // Unix nanoseconds of the key's last event
	inFlight bool  // reported by a sync not answered yet: not evictable
}

// New returns a State. Its options are checked: a limit or threshold
// without an id, a positive amount or a positive window is an error.
func New(o Options) (*State, error) {
	if o.Table == nil || o.Table.API == nil || o.Table.Name == "" {
		return nil, errors.New("fleet state: no table")
	}
	if err := ValidGroup(o.Table.Group); err != nil {
		return nil, fmt.Errorf("fleet state: %w", err)
	}
	if o.Key == nil {
		return nil, errors.New("fleet state: no agent key")
	}
	for _, l := range o.Limits {
		if l.ID == "" || l.Limit <= 0 || l.Window <= 0 {
			return nil, fmt.Errorf("fleet state: global limit %q: want an id, a positive limit and window", l.ID)
		}
	}
	for _, t := range o.Thresholds {
		if t.ID == "" || t.Blocked <= 0 || t.Within <= 0 || t.FlagFor <= 0 || t.FlagFor > MaxFlagDuration {
			return nil, fmt.Errorf("fleet state: threshold %q: want an id, a positive count and window, and a flag duration up to %v", t.ID, MaxFlagDuration)
		}
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.Credit <= 0 {
		o.Credit = DefaultCredit
	}
	if o.ColdShare <= 0 || o.ColdShare > 1 {
		o.ColdShare = DefaultColdShare
	}
	if o.LocalShare <= 0 || o.LocalShare > 1 {
		o.LocalShare = DefaultLocalShare
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.LogEvery <= 0 {
		o.LogEvery = DefaultLogEvery
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &State{o: o, counters: map[counterKey]*counter{}, pending: map[string]time.Time{}, maxKeys: maxCounters}
	if err := s.addCounters(); err != nil {
		return nil, err
	}
	s.o.ReadFlags = s.o.ReadFlags || len(s.o.Thresholds) > 0
	return s, nil
}

// Decision is the answer of Allow.
type Decision struct {
	Allowed bool
	// FleetCount is the fleet's count for the key's window as last read
	// (leases included); 0 before the first sync of the window.
	FleetCount int64
	// Local is true when the request was decided on the environment's
	// local share: the table is unreachable or the shared key has not
	// loaded.
	Local bool
	// Window is the window the request counted in: Unix time divided by
	// the limit's window length.
	Window int64
}

// Allow counts one request of key against limit (an index into
// Options.Limits) and says whether the fleet admits it. It never waits on
// the network.
func (s *State) Allow(limit int, key string) Decision {
	l := &s.o.Limits[limit]
	now := s.o.Now()
	ck := counterKey{limit: limit, threshold: -1, key: key, window: now.UnixNano() / int64(l.Window)}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counter(ck, now)
	if c != nil && c.demand == 0 && c.admitted == 0 {
		prev := ck
		prev.window--
		if p, ok := s.counters[prev]; ok && p.synced && p.total >= l.Limit/2 {
			c.hot = true
		}
	}
	local := s.degraded || !s.shared || c == nil
	if c == nil { // too many keys: decide on the share, untracked
		return Decision{Allowed: true, Local: true, Window: ck.window}
	}
	c.demand++
	d := Decision{FleetCount: c.total, Local: local, Window: ck.window}
	switch {
	case c.tokens > 0:
		c.tokens--
		d.Allowed = true
	case local:
		// The share, unless this environment already knows the window
		// is exhausted.
		d.Allowed = c.admitted < s.share(l) && !(c.synced && c.total >= s.capOf(l, ck))
		if d.Allowed {
			c.debt++ // reported when the table is back: the count catches up
		}
	case (!c.synced || c.total < s.capOf(l, ck)) && c.credit < s.credit(c, l):
		c.credit++
		c.debt++
		d.Allowed = true
	}
	if d.Allowed {
		c.admitted++
	}
	return d
}

// capOf is what the window of k may admit: the limit, or with a burst,
// min(Burst, 2·Limit − what the previous window admitted), so that a key
// quiet in the window before may take its burst and two windows together
// stay within twice the limit. What the previous window admitted is its
// total as last read, at most that window's own cap (capped): a total
// above the cap is mostly leases asked for after the window was spent,
// since each sync adds its whole ask to the counter and is granted only
// the part below the cap; counted, they would shrink this window by what
// nobody got (the window after a burst of 30 admitted 6 to 8 of its 10).
// What was admitted on credit above a cap stays within the over-admission
// bound, in either window. A previous window this environment never read
// counts as quiet: an environment new to a busy key may lease up to the
// burst (the over-admission is at most Burst − Limit in that window).
// s.mu is held.
func (s *State) capOf(l *Limit, k counterKey) int64 {
	if l.Burst <= l.Limit {
		return l.Limit
	}
	prev := k
	prev.window--
	return l.capAfter(s.admittedIn(l, prev))
}

// capAfter is what a window of a limit with a burst may admit after one
// that admitted before: up to Burst, and the two together up to twice
// the limit.
func (l *Limit) capAfter(before int64) int64 {
	return min(l.Burst, max(2*l.Limit-before, 0))
}

// admittedIn is what the window of k admitted, as far as this environment
// can tell: its total as last read, at most the window's cap, read from
// the window before it (whose own total counts up to Burst), or Burst
// when that one is not known. A window this environment never read
// admitted nothing. s.mu is held.
func (s *State) admittedIn(l *Limit, k counterKey) int64 {
	p, ok := s.counters[k]
	if !ok || !p.synced {
		return 0
	}
	ceiling := l.Burst
	before := k
	before.window--
	if b, ok := s.counters[before]; ok && b.synced {
		ceiling = l.capAfter(min(b.total, l.Burst))
	}
	return min(p.total, ceiling)
}

// credit is how many requests c may admit on credit per sync interval.
func (s *State) credit(c *counter, l *Limit) int64 {
	if !c.synced || c.hot || c.total >= l.Limit/2 {
		return s.o.Credit
	}
	return max(s.o.Credit, int64(s.o.ColdShare*float64(l.Limit/2-c.total)))
}

// share is one environment's local share of l per window.
func (s *State) share(l *Limit) int64 {
	return int64(math.Ceil(s.o.LocalShare * float64(l.Limit)))
}

// counter returns the counter for k, creating it; nil when too many are
// tracked. s.mu is held.
func (s *State) counter(k counterKey, now time.Time) *counter {
	if c, ok := s.counters[k]; ok {
		c.used = now.UnixNano()
		return c
	}
	if len(s.counters) >= s.maxKeys {
		if !s.full {
			s.evicted += policy.EvictLeastRecent(s.counters, func(c *counter) (int64, bool) { return c.used, c.debt > 0 || c.inFlight })
			s.full = len(s.counters) >= s.maxKeys
		}
		if s.full {
			s.untracked++
			return nil
		}
	}
	c := &counter{since: now, used: now.UnixNano()}
	s.counters[k] = c
	return c
}

// Blocked records that a request of src was blocked, for threshold (an
// index into Options.Thresholds). It never waits on the network.
func (s *State) Blocked(threshold int, src Source) {
	if src.Value == "" {
		return
	}
	t := s.o.Thresholds[threshold]
	now := s.o.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.counter(counterKey{limit: -1, threshold: threshold, prefix: src.Prefix, key: src.Value, window: now.UnixNano() / int64(t.Within)}, now); c != nil {
		c.debt++
		c.admitted++
	}
}

// Flagged reports whether src is flagged across the group. It never waits
// on the network; a source is never flagged before the shared key has
// loaded.
func (s *State) Flagged(src Source) bool {
	s.flagsMu.RLock()
	defer s.flagsMu.RUnlock()
	if len(s.flags) == 0 || src.Value == "" {
		return false
	}
	until, ok := s.flags[s.pseudonym(src)]
	return ok && s.o.Now().Before(until)
}

// pseudonym is src's pseudonym under flagKey, from the cache when it can.
// s.flagsMu is held (read).
func (s *State) pseudonym(src Source) string {
	k := src.Prefix + src.Value
	s.cacheMu.Lock()
	p, ok := s.cache[k]
	s.cacheMu.Unlock()
	if ok {
		return p
	}
	p = telemetry.Pseudonym(s.flagKey, src.Prefix, src.Value)
	s.cacheMu.Lock()
	if s.cache == nil || len(s.cache) >= maxCachedPseudonyms {
		s.cache = make(map[string]string)
	}
	s.cache[k] = p
	s.cacheMu.Unlock()
	return p
}

// Degraded reports whether the last sync failed: global limits are being
// decided on the local share.
func (s *State) Degraded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.degraded
}
