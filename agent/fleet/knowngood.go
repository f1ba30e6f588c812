package fleet

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// Known-good login pairs across the group. A successful login marks its
// (source, user name) pair known good, which the login detectors' blocks
// spare; an environment that never saw the owner succeed must spare her
// too. Publishing every success to the group would put every user of the
// last day into the flag item every environment reads at each sync, so an
// environment publishes the pairs it knows only once a key that could hold
// them is held: at each sync, after reading the group's flags, it looks
// its pairs up by the pseudonyms of their holders (the source a stuffing
// detector counts, the user name spraying counts, the pair brute force
// counts) and writes a flag for each pair whose holder is held, under the
// pseudonym of the pair with prefix good_. Every environment reads it at
// its next sync, so from the moment a hold is known, the owner's pair is
// honoured everywhere within one sync interval. The table holds only
// pseudonyms (keyed HMAC), never a user name or an address; the pairs'
// raw values stay in the memory of the environment that saw them.

const (
	prefixKnownGood = "good_"
	// maxKnownGood bounds the pairs an environment remembers; when full,
	// lapsed ones go, then new pairs are not remembered (counted as
	// untracked by the key cap's metric).
	maxKnownGood = 100000
	// maxGoodPerSync bounds the pairs one sync publishes; the others wait
	// for the next.
	maxGoodPerSync = 32
)

// goodPair is one known-good pair and the keys that could hold it.
type goodPair struct {
	pair      string // source "\x00" user name: raw, memory only
	until     time.Time
	holders   []Source
	published time.Time // the until last published; zero when never
}

// knownGood is a State's memory of known-good pairs.
type knownGood struct {
	pairs map[string]*goodPair
	// byHolder indexes pairs by the pseudonyms of their holders under key;
	// fresh are the pairs not indexed yet.
	byHolder map[string][]*goodPair
	fresh    []*goodPair
	key      []byte
}

// MarkKnownGood remembers that pair (source "\x00" user name) logged in,
// until until; holders are the keys of the detectors that could hold it.
// It never waits on the network.
func (s *State) MarkKnownGood(pair string, holders []Source, until time.Time) {
	s.goodMu.Lock()
	defer s.goodMu.Unlock()
	g := &s.good
	if g.pairs == nil {
		g.pairs = map[string]*goodPair{}
	}
	if p, ok := g.pairs[pair]; ok {
		p.until = until
		return
	}
	if len(g.pairs) >= maxKnownGood {
		now := s.o.Now()
		for k, p := range g.pairs {
			if !now.Before(p.until) {
				delete(g.pairs, k)
			}
		}
		g.byHolder, g.key = nil, nil // reindexed at the next sync
		if len(g.pairs) >= maxKnownGood {
			s.mu.Lock()
			s.untracked++
			s.mu.Unlock()
			return
		}
	}
	p := &goodPair{pair: pair, until: until, holders: holders}
	g.pairs[pair] = p
	g.fresh = append(g.fresh, p)
}

// KnownGood reports whether pair is known good: seen logging in by this
// environment, or published by another. It never waits on the network.
func (s *State) KnownGood(pair string) bool {
	now := s.o.Now()
	s.goodMu.Lock()
	p, ok := s.good.pairs[pair]
	s.goodMu.Unlock()
	if ok && now.Before(p.until) {
		return true
	}
	_, flagged := s.FlaggedUntil(Source{Prefix: prefixKnownGood, Value: pair})
	return flagged
}

// publishGood writes the flags of the known-good pairs whose holders the
// flags just read hold. It runs in Sync, after the flags are read.
func (s *State) publishGood(ctx context.Context, key []byte, now time.Time) error {
	type publish struct {
		p         *goodPair
		pseudonym string
		until     time.Time
	}
	var todo []publish
	s.goodMu.Lock()
	g := &s.good
	if g.byHolder == nil || !bytes.Equal(g.key, key) {
		g.byHolder, g.key, g.fresh = map[string][]*goodPair{}, key, nil
		for _, p := range g.pairs {
			g.index(p)
		}
	}
	for _, p := range g.fresh {
		g.index(p)
	}
	g.fresh = nil
	s.flagsMu.RLock()
	for held, until := range s.flags {
		if !now.Before(until) {
			continue
		}
		for _, p := range g.byHolder[held] {
			if len(todo) < maxGoodPerSync && now.Before(p.until) && !p.published.Equal(p.until) {
				todo = append(todo, publish{p: p, until: p.until})
			}
		}
	}
	s.flagsMu.RUnlock()
	s.goodMu.Unlock()

	var errs error
	for i := range todo {
		t := &todo[i]
		t.pseudonym = telemetry.Pseudonym(key, prefixKnownGood, t.p.pair)
		cctx, cancel := context.WithTimeout(ctx, s.o.CallTimeout)
		until := t.until
		if last := now.Add(MaxFlagDuration); until.After(last) {
			until = last
		}
		err := s.o.Table.SetFlag(cctx, t.pseudonym, until, now)
		cancel()
		if err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		s.goodMu.Lock()
		t.p.published = t.until
		s.goodMu.Unlock()
	}
	return errs
}

// index adds p under its holders' pseudonyms. s.goodMu is held.
func (g *knownGood) index(p *goodPair) {
	for _, h := range p.holders {
		k := telemetry.Pseudonym(g.key, h.Prefix, h.Value)
		g.byHolder[k] = append(g.byHolder[k], p)
	}
}
