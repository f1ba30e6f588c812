// Package ratelimit holds token buckets, one per key, in this execution
// environment only. Lambda runs many environments side by side and each has
// its own buckets, so a limit of N per minute is N per minute per
// environment: a coarse brake against one client hammering one warm
// environment. Fleet-wide limits are counted by package fleet instead.
//
// Not a stable API: it exists for package policy.
package ratelimit

import (
	"container/list"
	"sync"
	"time"
)

// Buckets is a set of token buckets sharing one rate and burst, keyed by
// client (an address, a route, a header or claim value). The least recently
// seen key is forgotten once MaxKeys are held: it starts afresh if it comes
// back, which errs on the side of letting traffic through. Safe for
// concurrent use.
type Buckets struct {
	rate    float64 // tokens per second
	burst   float64
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	lru     list.List                // front = most recently used
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// New returns buckets refilled at rate tokens per second up to burst,
// holding at most maxKeys keys.
func New(rate, burst float64, maxKeys int) *Buckets {
	return &Buckets{rate: rate, burst: burst, maxKeys: maxKeys, buckets: map[string]*list.Element{}}
}

// Allow takes one token from key's bucket, refilled up to now; false when
// the bucket is empty.
func (b *Buckets) Allow(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if el, ok := b.buckets[key]; ok {
		b.lru.MoveToFront(el)
		bk := el.Value.(*bucket)
		if el := now.Sub(bk.last).Seconds(); el > 0 {
			bk.tokens += el * b.rate
			if bk.tokens > b.burst {
				bk.tokens = b.burst
			}
		}
		bk.last = now
		if bk.tokens < 1 {
			return false
		}
		bk.tokens--
		return true
	}
	if b.lru.Len() >= b.maxKeys {
		old := b.lru.Back()
		b.lru.Remove(old)
		delete(b.buckets, old.Value.(*bucket).key)
	}
	b.buckets[key] = b.lru.PushFront(&bucket{key: key, tokens: b.burst - 1, last: now})
	return true
}
