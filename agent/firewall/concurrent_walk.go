package firewall

import (
	"context"
	"sync/atomic"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// concurrentMinBytes is the event size from which its values are judged on
// two cores at once. A 1 KB event is judged in tens of microseconds, where
// a goroutine's start and the hand-offs would be added latency; an event
// of this size or more takes milliseconds, and a large one (6 MB of
// 1,000-byte values) hundreds of them on the one core the serial walk
// uses, which Lambda bills as wall time.
const concurrentMinBytes = 256 << 10

// Sizes of the batches the walk hands out: a value at a time would make
// the hand-off cost more than judging a short value. A batch that reaches
// batchValues before batchBytes (values of a few bytes) is judged on the
// walk's goroutine: only batches of long values go to the helper.
const (
	batchBytes  = 16 << 10
	batchValues = 1024
)

// shortValue is the length under which a value that nothing is waiting
// ahead of is judged at once on the walk's goroutine, without a batch: a
// name or a number costs less to judge than to batch. At 256, the
// 245-byte notes of an order event (tests/rie's 1 MB event) were all
// judged so, on one core.
const shortValue = 64

// valueJob is one value the walk yielded and the detector exclusions
// chose for it.
type valueJob struct {
	v   event.Value
	det Detector
}

// valueBatch is consecutive values of the walk, judged together by one
// goroutine. ends[i] is where the signals of jobs[i] end in sigs; a batch
// judged only in part (the walk was stopped or ran out of time) has fewer
// ends than jobs.
type valueBatch struct {
	jobs     []valueJob
	sigs     []detect.Signal
	ends     []int
	panicked any // a detector's panic, handed back to the walk's goroutine
	done     chan struct{}
}

// concurrentWalk judges the values of one large event on two goroutines,
// the walk's own and a helper, and gives the result of the serial walk
// exactly: the same signals in the same order, and the same end when a
// value settles the event.
//
// Usage: newConcurrentWalk, deferring close; add each value the walk
// yields, in order, and stop the walk when add returns false; then
// finish, which returns the signals. The walk's
// goroutine hands a full batch to the helper when it is free and judges
// the batch itself otherwise, so both cores work while the decoder runs
// on one of them. Batches are merged in the walk's order as they
// complete, and each value's signals go through ev.Settled as in the
// serial walk: once one settles the event, nothing after it is merged and
// the helper stops at its next value (work done past it is thrown away).
// A value judged after the context ended is not judged at all: the walk
// keeps the values judged before the first one left out, as the serial
// walk keeps those before it stopped.
//
// Values are kept until they are judged: decode.Walk never hands out
// reused buffers. The Detector is called from two goroutines at once, as
// it is for concurrent invocations.
type concurrentWalk struct {
	ctx    context.Context
	ev     *policy.Evaluation
	site   *detect.Site
	settle bool // stop at a value that settles the event (!CompleteWalk)

	sigs     []detect.Signal
	cur      *valueBatch
	curBytes int
	pending  []*valueBatch // handed out or judged, not yet merged, in order
	queue    chan *valueBatch
	helper   chan struct{} // closed when the helper has returned
	stop     atomic.Bool   // set once the rest need not be judged
	ended    bool          // a value settled the event, or one was left out
}

// newConcurrentWalk starts the helper goroutine; the caller must defer
// close.
func newConcurrentWalk(ctx context.Context, ev *policy.Evaluation, site *detect.Site, settle bool, sigs []detect.Signal) *concurrentWalk {
	w := &concurrentWalk{ctx: ctx, ev: ev, site: site, settle: settle, sigs: sigs,
		queue: make(chan *valueBatch, 1), helper: make(chan struct{})}
	go func() {
		defer close(w.helper)
		for b := range w.queue {
			w.judge(b)
		}
	}()
	return w
}

// add queues v for judging by det and reports whether the walk should go
// on.
func (w *concurrentWalk) add(v event.Value, det Detector) bool {
	if w.cur == nil && len(w.pending) == 0 && len(v.Text)+len(v.Key) < shortValue {
		// nothing before it waits to be merged: a short value is
		// judged here and now, as the serial walk judges it
		n := len(w.sigs)
		w.sigs = det.InspectSite(v, w.site, w.sigs)
		if w.settle && w.ev.Settled(w.sigs[n:]) {
			w.end()
		}
		return !w.ended && w.ctx.Err() == nil
	}
	if w.cur == nil {
		w.cur = &valueBatch{done: make(chan struct{})}
	}
	w.cur.jobs = append(w.cur.jobs, valueJob{v: v, det: det})
	w.curBytes += len(v.Text) + len(v.Key)
	switch {
	case w.curBytes >= batchBytes:
		w.handOut(true)
	case len(w.cur.jobs) >= batchValues:
		// many short values: judging them costs about what decoding
		// them did, and waking the helper for so little would cost
		// more CPU than it saves time (events of tiny values took half
		// as much CPU again so)
		w.handOut(false)
	}
	w.mergeDone(false)
	return !w.ended && w.ctx.Err() == nil
}

// handOut gives the current batch to the helper when share is set and the
// helper is free, and judges it here otherwise.
func (w *concurrentWalk) handOut(share bool) {
	b := w.cur
	w.cur, w.curBytes = nil, 0
	w.pending = append(w.pending, b)
	if share {
		select {
		case w.queue <- b:
			return
		default:
		}
	}
	w.judge(b)
}

// judge judges b's values in order until the walk is stopped or the
// context ends.
func (w *concurrentWalk) judge(b *valueBatch) {
	defer close(b.done)
	defer func() { b.panicked = recover() }()
	for i := range b.jobs {
		if w.stop.Load() || w.ctx.Err() != nil {
			return
		}
		j := &b.jobs[i]
		b.sigs = j.det.InspectSite(j.v, w.site, b.sigs)
		b.ends = append(b.ends, len(b.sigs))
	}
}

// mergeDone merges the pending batches that are complete, in order, up to
// the first that is not (all of them, waiting, when wait is set).
func (w *concurrentWalk) mergeDone(wait bool) {
	for len(w.pending) > 0 && !w.ended {
		b := w.pending[0]
		if wait {
			<-b.done
		} else {
			select {
			case <-b.done:
			default:
				return
			}
		}
		w.pending = w.pending[1:]
		w.merge(b)
	}
}

// merge appends b's signals value by value, as the serial walk would have.
func (w *concurrentWalk) merge(b *valueBatch) {
	start := 0
	for _, end := range b.ends {
		n := len(w.sigs)
		w.sigs = append(w.sigs, b.sigs[start:end]...)
		start = end
		if w.settle && w.ev.Settled(w.sigs[n:]) {
			w.end()
			return
		}
	}
	if b.panicked != nil {
		w.end()
		panic(b.panicked)
	}
	if len(b.ends) < len(b.jobs) {
		w.end() // the context ended: nothing after this value counts
	}
}

// end stops the walk and the helper.
func (w *concurrentWalk) end() {
	w.ended = true
	w.stop.Store(true)
}

// finish judges what is left, waits for the batches in order and returns
// the signals.
func (w *concurrentWalk) finish() []detect.Signal {
	if w.cur != nil && !w.ended {
		b := w.cur
		w.cur = nil
		w.pending = append(w.pending, b)
		w.judge(b)
	}
	w.mergeDone(true)
	return w.sigs
}

// close stops the helper and waits for it to return: deferred by the
// caller, so that neither a settled walk nor a panic leaves it judging
// values nobody reads. It may be called more than once.
func (w *concurrentWalk) close() {
	if w.queue == nil {
		return
	}
	w.stop.Store(true)
	close(w.queue)
	<-w.helper
	w.queue = nil
}
