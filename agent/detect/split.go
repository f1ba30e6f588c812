package detect

import "runtime"

// splitMinBytes is the length from which a text's two groups of detectors
// run on two cores at once. Below it the detectors take well under a
// millisecond and a goroutine's start and hand-off would be most of what
// is saved; above it the wall time of a long value, which Lambda bills,
// is about halved where the function has two vCPUs. (Texts this long
// also skip the short-text readings of Inspect and sqlRawBodyFields,
// which share the value's scratch buffers.)
const splitMinBytes = 64<<10 + 1

// splitWorthwhile reports whether a second core can take half the work:
// with one, the two halves would only take turns.
func splitWorthwhile() bool { return runtime.GOMAXPROCS(0) > 1 }

// judgeSplit runs judgeRest on another goroutine, with its own scratch
// buffers and signals, while this one runs judgeFirst, and merges the two
// as the serial order would have left them: judgeRest's signals only if
// judgeFirst did not make the value certain, after judgeFirst's. The
// total CPU is that of the serial order (plus judgeRest's work when it
// turns out not to be needed); the wall time is that of the longer half.
//
// The result is the serial one exactly. The second group cannot see the
// first group's signals while both run, and two things read them: the
// certainty test, which the second group only reaches in the serial order
// when the first found nothing certain, so the first group's signals never
// change it; and emit's rule to keep one signal per rule and value. When
// the second group emitted a rule the first one had also emitted (the two
// share "node-injection"), the serial order would have dropped it and may
// have gone on differently, so the second group is run again, serially.
func (in *input) judgeSplit() {
	sc := in.e.scratch.Get().(*scratch)
	rest := input{e: in.e, v: in.v, text: in.text, isKey: in.isKey, mask: in.mask, sink: in.sink, sc: sc}
	done := make(chan struct{})
	go func() {
		defer close(done)
		rest.judgeRest()
	}()
	certain := in.judgeFirst()
	<-done
	in.e.scratch.Put(sc)
	if certain {
		return
	}
	for _, s := range rest.dst {
		if in.emitted(s.Class, s.Rule) {
			in.judgeRest()
			return
		}
	}
	in.dst = append(in.dst, rest.dst...)
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
