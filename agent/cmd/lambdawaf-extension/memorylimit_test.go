package main

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/memlimit"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// TestLargeEventsAreJudgedUnderARaisedMemoryLimit: while the inspector
// judges a large event the runtime's soft limit carries the event's
// allowance (and keeps it: package memlimit says why); a small event
// leaves it at the base.
func TestLargeEventsAreJudgedUnderARaisedMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	base := memlimit.For(0)
	var during int64
	r := reserving{memory: memlimit.Set(base, 0), in: proxy.InspectorFunc(func(context.Context, *proxy.Invocation) (proxy.Verdict, error) {
		during = debug.SetMemoryLimit(-1)
		return proxy.Verdict{}, nil
	})}
	for _, size := range []int{1 << 10, 6 << 20} {
		if _, err := r.InspectEvent(context.Background(), &proxy.Invocation{Event: []byte(strings.Repeat("a", size))}); err != nil {
			t.Fatal(err)
		}
		if want := base + memlimit.Allowance(size); during != want {
			t.Errorf("%d-byte event judged under a limit of %d, want %d", size, during, want)
		}
		if after := debug.SetMemoryLimit(-1); after != base+memlimit.Allowance(size) {
			t.Errorf("after a %d-byte event the limit is %d, want it kept at %d", size, after, base+memlimit.Allowance(size))
		}
	}
}
