package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/memlimit"
	"github.com/lambdawaf/lambdawaf/agent/procs"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// deferredInspector lets the proxy serve before the real Inspector is
// built: building it (configuration, keys) happens after the extension's
// first event/next so it is not cold start, and each invocation waits for it
// only if it arrives first.
type deferredInspector struct {
	wait  time.Duration // readyWait; shorter in tests
	ready chan struct{}
	in    proxy.Inspector
	stop  func(context.Context) error
	after func() // writes held-back decision records; set before set
	err   error
}

func newDeferredInspector() *deferredInspector {
	return &deferredInspector{wait: readyWait, ready: make(chan struct{})}
}

// set publishes the built Inspector and its shutdown function (or the
// error that prevented them). Call it exactly once.
func (d *deferredInspector) set(in proxy.Inspector, stop func(context.Context) error, err error) {
	d.in, d.stop, d.err = in, stop, err
	close(d.ready)
}

// shutdown runs the Inspector's shutdown function, if it was built and has
// one. An Inspector still being built at SHUTDOWN has nothing to flush.
func (d *deferredInspector) shutdown(ctx context.Context) error {
	select {
	case <-d.ready:
	default:
		return nil
	}
	if d.stop == nil {
		return nil
	}
	return d.stop(ctx)
}

// afterResponse starts the Inspector's after-response work (writing the
// decision records it held back, when a batch is due), once it is built.
// It never blocks: it runs on the goroutine that relayed the answer.
func (d *deferredInspector) afterResponse() {
	select {
	case <-d.ready:
	default:
		return
	}
	if d.after != nil {
		d.after()
	}
}

// readyWait bounds how long one invocation waits for the inspector to be
// built: a build that hangs must not make every invocation wait for its
// timeout; past the bound the failure policy decides.
const readyWait = 2 * time.Second

func (d *deferredInspector) InspectEvent(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
	select {
	case <-d.ready:
	default:
		t := time.NewTimer(d.wait)
		defer t.Stop()
		select {
		case <-d.ready:
		case <-t.C:
			return proxy.Verdict{}, fmt.Errorf("inspector not ready after %v", d.wait)
		case <-ctx.Done():
			return proxy.Verdict{}, fmt.Errorf("waiting for the inspector: %w", ctx.Err())
		}
	}
	if d.err != nil {
		return proxy.Verdict{}, fmt.Errorf("inspector unavailable: %w", d.err)
	}
	return d.in.InspectEvent(ctx, inv)
}

// logOnly runs an Inspector in log mode: what it would block is logged and
// let through, unchanged. Response filters still run; in log mode they are
// expected to report rather than rewrite.
type logOnly struct {
	in  proxy.Inspector
	log zerolog.Logger
}

func (l logOnly) InspectEvent(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
	v, err := l.in.InspectEvent(ctx, inv)
	if err != nil {
		return proxy.Verdict{}, err
	}
	if v.Block || v.Event != nil {
		l.log.Warn().Str("request_id", inv.RequestID).Bool("would_block", v.Block).Bool("would_rewrite", v.Event != nil).
			Msg("log mode: event let through unchanged")
	}
	return proxy.Verdict{Response: v.Response}, nil
}

// reserving gives a large event what its judgement needs while it is
// judged: the agent's soft memory limit raised by the event's allowance
// (package memlimit: under a limit below what the inspection keeps live,
// the collector would run without pause and take up to half the CPU), and
// every core where the agent otherwise runs on one (package procs: its
// long values are judged on two).
type reserving struct {
	in     proxy.Inspector
	memory *memlimit.Limit // nil: GOMEMLIMIT rules, nothing to raise
	procs  *procs.Procs    // nil: GOMAXPROCS left as it is
}

func (r reserving) InspectEvent(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
	defer r.memory.Reserve(len(inv.Event))()
	defer r.procs.Widen(len(inv.Event))()
	return r.in.InspectEvent(ctx, inv)
}
