package bundle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Running is what a Poller hands over after a verified change: the
// pointer's sequence and the compiled bundles it names.
type Running struct {
	Sequence uint64
	Active   *Verified
	// Shadow is nil when the pointer names no shadow bundle.
	Shadow *Verified
}

// PollerOptions configure a Poller.
type PollerOptions struct {
	// Fetcher reads the store (an S3Getter in the agent). Required.
	Fetcher Fetcher
	// Keys are the trusted public keys. Required.
	Keys *Keyring
	// AgentVersion is compared with bundles' minAgentVersion.
	AgentVersion string
	// Interval is the least time between two checks of the pointer;
	// contract.DefaultBundlePoll when zero.
	Interval time.Duration
	// Apply receives every verified change, on the polling goroutine,
	// before Poll returns; it swaps the bundles in (the firewall's
	// SwapBundles). Required.
	Apply func(*Running)
	// Count, when set, counts contract.MetricBundleSwapped and
	// contract.MetricBundleRefused (telemetry's Metrics.Count).
	Count func(metric string)
	// Logger receives one line per change, refusal or failed fetch.
	Logger zerolog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Poller keeps an agent's bundles current. Poll does one check when one
// is due; it is meant to run as background work while the environment is
// thawed, never on the request path. Poll is safe to call from several
// goroutines: checks are serialised, and a caller finding one in progress
// returns at once.
type Poller struct {
	opts PollerOptions

	mu   sync.Mutex // held for the duration of a check
	last time.Time  // when the last check started
	etag string     // the pointer's ETag last read (applied or refused)
	seq  uint64     // the running pointer's sequence
	cur  atomic.Pointer[Running]
}

// NewPoller returns a Poller; nothing is fetched until Poll.
func NewPoller(opts PollerOptions) (*Poller, error) {
	if opts.Fetcher == nil || opts.Keys == nil || opts.Apply == nil {
		return nil, errors.New("bundle poller: Fetcher, Keys and Apply are required")
	}
	if opts.Interval <= 0 {
		opts.Interval = contract.DefaultBundlePoll
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Poller{opts: opts}, nil
}

// Interval is the least time between two checks.
func (p *Poller) Interval() time.Duration { return p.opts.Interval }

// Running returns what was last applied; nil before the first bundle.
func (p *Poller) Running() *Running { return p.cur.Load() }

// ErrNotDue is returned by Poll when the last check was less than an
// interval ago, or another check is in progress.
var ErrNotDue = errors.New("bundle check not due")

// Poll checks the pointer once, if a check is due: a conditional GET, and
// when the pointer changed, verification of it and of every bundle it
// names that is not already running, compilation, and Apply. A pointer or
// bundle that fails any check is refused and the running bundles stay; a
// refused pointer is not fetched again until it changes. Poll returns the
// reason for a refusal or a failed fetch, ErrNotDue, or nil.
func (p *Poller) Poll(ctx context.Context) error {
	if !p.mu.TryLock() {
		return ErrNotDue
	}
	defer p.mu.Unlock()
	now := p.opts.Now()
	if !p.last.IsZero() && now.Sub(p.last) < p.opts.Interval {
		return ErrNotDue
	}
	p.last = now
	return p.check(ctx)
}

// Check checks the pointer at once, whenever the last check was: for
// callers that schedule checks themselves (the agent's background runner,
// Run's timer). A check already in progress makes it return ErrNotDue.
func (p *Poller) Check(ctx context.Context) error {
	if !p.mu.TryLock() {
		return ErrNotDue
	}
	defer p.mu.Unlock()
	p.last = p.opts.Now()
	return p.check(ctx)
}

// check is one poll; p.mu is held.
func (p *Poller) check(ctx context.Context) error {
	o, err := p.opts.Fetcher.Fetch(ctx, contract.BundlePointerKey, p.etag)
	if err != nil {
		// Not logged here: whoever schedules checks reports failures
		// (the background runner does, without flooding the log).
		return fmt.Errorf("read pointer: %w: %w", errUnavailable, err)
	}
	if o.NotModified {
		return nil
	}
	ptr, keyID, err := p.opts.Keys.VerifyPointer(o.Body)
	if err == nil {
		err = ptr.Advances(p.seq)
	}
	if err != nil {
		return p.refuse(o.ETag, err)
	}
	cur := p.cur.Load()
	next := &Running{Sequence: ptr.Sequence}
	next.Active, err = p.load(ctx, ptr.Active, cur)
	if err == nil && ptr.Shadow != nil {
		next.Shadow, err = p.load(ctx, *ptr.Shadow, cur)
	}
	if err != nil {
		if errors.Is(err, errUnavailable) {
			return fmt.Errorf("pointer %d: %w", ptr.Sequence, err)
		}
		return p.refuse(o.ETag, err)
	}
	p.opts.Apply(next)
	p.cur.Store(next)
	p.seq, p.etag = ptr.Sequence, o.ETag
	p.count(contract.MetricBundleSwapped)
	ev := p.opts.Logger.Info().Uint64("sequence", ptr.Sequence).Str("bundle", next.Active.Version()).
		Str("author", next.Active.Bundle.Author).Str("signed_by", keyID)
	if next.Shadow != nil {
		ev = ev.Str("shadow_bundle", next.Shadow.Version())
	}
	if ptr.Rollback != nil {
		ev = ev.Str("rolled_back", ptr.Rollback.From)
	}
	ev.Msg("policy bundle applied")
	return nil
}

// errUnavailable marks a failure to read an object, as opposed to an
// object that fails verification: the first is retried, the second is
// refused until the pointer changes.
var errUnavailable = errors.New("unavailable")

// load returns the verified bundle ref names, reusing a running one.
func (p *Poller) load(ctx context.Context, ref Ref, cur *Running) (*Verified, error) {
	if cur != nil {
		for _, v := range []*Verified{cur.Active, cur.Shadow} {
			if v != nil && v.Ref == ref {
				return v, nil
			}
		}
	}
	f := p.opts.Fetcher
	mo, err := f.Fetch(ctx, ManifestKey(ref.Version), "")
	if err != nil {
		return nil, fmt.Errorf("bundle %s: manifest: %w: %w", ref.Version, errUnavailable, err)
	}
	bo, err := f.Fetch(ctx, BundleKey(ref.Version), "")
	if err != nil {
		return nil, fmt.Errorf("bundle %s: object: %w: %w", ref.Version, errUnavailable, err)
	}
	return p.opts.Keys.VerifyBundle(ref, mo.Body, bo.Body, p.opts.AgentVersion)
}

// Refused reports whether err (from Poll or Check) is a refusal, already
// logged and counted, as opposed to a store that could not be read.
func Refused(err error) bool { return errors.Is(err, errRefused) }

var errRefused = errors.New("refused")

// refuse records a refused pointer or bundle: an error line (counted by
// the AgentErrors metric filter) and MetricBundleRefused. The pointer's
// ETag is remembered, so the same bad pointer is not fetched and refused
// again at every check.
func (p *Poller) refuse(etag string, err error) error {
	p.etag = etag
	running := contract.BundleVersionBaked
	if cur := p.cur.Load(); cur != nil {
		running = cur.Active.Version()
	}
	p.count(contract.MetricBundleRefused)
	p.opts.Logger.Error().Err(err).Str("running", running).Uint64("running_sequence", p.seq).
		Msg("policy bundle REFUSED: it was NOT applied; the agent keeps protecting with the running bundle")
	return fmt.Errorf("%w: %w", errRefused, err)
}

func (p *Poller) count(metric string) {
	if p.opts.Count != nil {
		p.opts.Count(metric)
	}
}

// Run checks every interval until ctx ends: a timer of its own, for
// programs without the agent's background runner (tests, tools). Failures
// to read the store are logged at warn level; refusals are logged by the
// check itself.
func (p *Poller) Run(ctx context.Context) {
	t := time.NewTicker(p.opts.Interval)
	defer t.Stop()
	for {
		if err := p.Check(ctx); err != nil && !Refused(err) && !errors.Is(err, ErrNotDue) && ctx.Err() == nil {
			p.opts.Logger.Warn().Err(err).Msg("cannot read the bundle store; the running bundle stays")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
