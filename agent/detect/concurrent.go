package detect

import (
	"runtime"
	"slices"
	"sync/atomic"
)

// splitMinBytes is the length from which a text's detectors run on two
// cores at once. Below it the detectors take well under a millisecond and
// a goroutine's start and hand-off would be most of what is saved; above
// it the wall time of a long value, which Lambda bills, is about halved
// where the function has two vCPUs.
const splitMinBytes = 64<<10 + 1

// splitWorthwhile reports whether a second core can take half the work:
// with one, the two halves would only take turns.
func splitWorthwhile() bool { return runtime.GOMAXPROCS(0) > 1 }

// judgeConcurrently runs the detectors of sequence on two goroutines, each
// taking the next detector not yet taken, in the sequence's order (so a
// certain finding early in it spares the rest, as in the serial order;
// taking the costliest first balanced the two goroutines a little better
// and made a random binary body, which an early detector settles, cost
// five times the CPU), every detector on a clean slate
// (its own signals only), and then merges their signals in the sequence's
// order as the serial judgement would have left them. The total CPU is
// about that of the serial order (a detector past the first certain one
// is skipped once that is known); the wall time is about half of it, or
// that of the costliest detector if more.
//
// The result is the serial one exactly. Alone, a detector cannot see the
// signals of those before it, and two things read them: the certainty
// test, which in the serial order a detector only reaches when nothing
// before it was certain, so their signals never change it; and emit's
// rule of one signal per rule and value. When a detector emitted a rule
// an earlier one had (the XSS probe and the code detector share
// "node-injection"), the serial order would have dropped it and the
// detector may have gone on differently, so it is run again, in order,
// on the merged signals; so is a detector skipped because a later merge
// turned out not to be certain after all.
func (in *input) judgeConcurrently(sequence []detector) {
	type result struct {
		signals []Signal
		done    bool
	}
	results := make([]result, len(sequence))
	var next atomic.Int32
	var certainAt atomic.Int32 // the first step known to be certain alone
	certainAt.Store(int32(len(sequence)))
	work := func(w *input) {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(sequence) || i > int(certainAt.Load()) {
				return
			}
			w.dst = w.dst[:0]
			w.run(sequence[i])
			results[i] = result{signals: slices.Clone(w.dst), done: true}
			if w.certain() {
				for c := certainAt.Load(); int32(i) < c && !certainAt.CompareAndSwap(c, int32(i)); c = certainAt.Load() {
				}
			}
		}
	}
	sc := in.e.scratch.Get().(*scratch)
	other := input{e: in.e, v: in.v, text: in.text, isKey: in.isKey, mask: in.mask, sink: in.sink, sc: sc}
	finished := make(chan any, 1)
	go func() {
		// A detector's panic is handed back to this goroutine, where the
		// firewall's recovery turns it into the failure policy's decision;
		// on its own goroutine it would end the agent's process.
		defer func() { finished <- recover() }()
		work(&other)
	}()
	own := *in // shares in's scratch and its lower-cased text: in waits meanwhile
	own.dst, own.base = nil, 0
	work(&own)
	if p := <-finished; p != nil {
		panic(p)
	}
	in.e.scratch.Put(sc)
	// own may have rebuilt the lower-cased text in the scratch buffers it
	// shares with in: a detector run again below builds it afresh.
	in.hasLow, in.hasLowSet = false, false

	for i, d := range sequence {
		r := results[i]
		if !r.done || slices.ContainsFunc(r.signals, func(s Signal) bool { return in.emitted(s.Class, s.Rule) }) {
			in.run(d)
		} else {
			in.dst = append(in.dst, r.signals...)
		}
		if in.certain() {
			return
		}
	}
}

// emitted reports whether this value already has a signal of class c and
// rule.
func (in *input) emitted(c Class, rule string) bool {
	for i := in.base; i < len(in.dst); i++ {
		if in.dst[i].Class == c && in.dst[i].Rule == rule {
			return true
		}
	}
	return false
}
