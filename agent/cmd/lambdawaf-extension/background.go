package main

import (
	"context"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// deadlineMargin is how long before an invocation's deadline the agent
// stops waiting for its answer: the extension must be back in event/next
// by then.
const deadlineMargin = 100 * time.Millisecond

// afterInvocation is the agent's background-work window for one INVOKE
// event: it waits until the invocation has been answered upstream (the
// caller has its response), then runs the due background tasks for at most
// the runner's budget, and returns so the lifecycle loop calls event/next.
// That time is billed to the invocation but adds nothing to its latency.
//
// It never waits for an invocation the proxy does not see: if the proxy
// has not fetched it within bypassGrace (the runtime bypasses the agent),
// or the invocation's deadline is near, the window is skipped.
func afterInvocation(ctx context.Context, p *proxy.Proxy, answers *background.Answers, work *background.Runner, ev *lifecycle.Event) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if d := ev.Deadline(); !d.IsZero() {
		var stop context.CancelFunc
		wctx, stop = context.WithDeadline(wctx, d.Add(-deadlineMargin))
		defer stop()
	}
	bypass := time.AfterFunc(bypassGrace, func() {
		if !p.Fetched(ev.RequestID) {
			cancel()
		}
	})
	answered := answers.Wait(wctx, ev.RequestID)
	bypass.Stop()
	if !answered || ctx.Err() != nil {
		return
	}
	work.RunDue(ctx)
}
