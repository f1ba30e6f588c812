package telemetry

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

// cleanSlots is the size of a cleanValues table: a function's clients
// send a handful of distinct Accept, Host and User-Agent values at a
// time, and a value that loses its slot is only scrubbed again.
const cleanSlots = 128

// cleanValues remembers header values that scrub to themselves (no
// credential, personal datum or control character in them), so that the
// next record bringing the same value skips the scrubbing. Only such
// values are kept: what it holds would appear in a record as it is
// anyway. Direct-mapped and lock-free: records are built on several
// goroutines at once; two values sharing a slot take turns.
type cleanValues struct {
	seed  maphash.Seed
	slots *[cleanSlots]atomic.Pointer[string]
}

func newCleanValues() cleanValues {
	return cleanValues{seed: maphash.MakeSeed(), slots: new([cleanSlots]atomic.Pointer[string])}
}

func (c cleanValues) slot(v string) *atomic.Pointer[string] {
	return &c.slots[maphash.String(c.seed, v)%cleanSlots]
}

// has reports whether v is remembered as clean.
func (c cleanValues) has(v string) bool {
	p := c.slot(v).Load()
	return p != nil && *p == v
}

// add remembers v, which scrubs to itself, if it is short enough to be
// a header value a record carries whole. It keeps a copy: v may share
// the memory of a whole event.
func (c cleanValues) add(v string) {
	if len(v) > maxHeaderValue {
		return
	}
	v = strings.Clone(v)
	c.slot(v).Store(&v)
}
