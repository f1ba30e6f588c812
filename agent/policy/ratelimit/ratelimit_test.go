package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestBucketAdmitsBurstThenRefillsAtRate(t *testing.T) {
	b := New(1, 3, 10) // one token a second, bursts of three
	now := time.Unix(1000, 0)
	for i := range 3 {
		if !b.Allow("a", now) {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if b.Allow("a", now) {
		t.Fatal("a fourth request in the same instant was admitted")
	}
	if !b.Allow("b", now) {
		t.Fatal("another key shares a's bucket")
	}
	if !b.Allow("a", now.Add(1100*time.Millisecond)) {
		t.Fatal("no token after a second")
	}
	if b.Allow("a", now.Add(1200*time.Millisecond)) {
		t.Fatal("more than one token refilled in 1.2 s")
	}
	if !b.Allow("a", now.Add(time.Hour)) || !b.Allow("a", now.Add(time.Hour)) || !b.Allow("a", now.Add(time.Hour)) || b.Allow("a", now.Add(time.Hour)) {
		t.Fatal("an idle bucket must refill to the burst and no further")
	}
}

// Beyond MaxKeys the least recently seen key is forgotten and starts
// afresh: memory stays bounded and errs towards admitting.
func TestBucketsForgetTheLeastRecentlySeenKey(t *testing.T) {
	b := New(0.001, 1, 2)
	now := time.Unix(1000, 0)
	b.Allow("old", now)
	b.Allow("mid", now)
	if b.Allow("old", now) {
		t.Fatal("old's single token was spent; it must be refused while remembered")
	}
	for i := range 3 {
		b.Allow(fmt.Sprint("new", i), now)
	}
	if len(b.buckets) != 2 {
		t.Fatalf("holding %d keys, want at most 2", len(b.buckets))
	}
	if !b.Allow("old", now) {
		t.Fatal("a forgotten key must start afresh")
	}
}
