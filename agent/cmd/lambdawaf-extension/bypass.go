package main

import (
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// bypassGrace is how long after an INVOKE event the proxy has to have
// fetched the invocation: Lambda hands the event to the runtime and the
// INVOKE to extensions at about the same moment.
const bypassGrace = time.Second

// bypassWatch notices invocations the proxy never saw: the runtime is
// talking to the real Runtime API, so nothing is inspected. It checks off
// the hot path, after a grace period, and says so loudly.
type bypassWatch struct {
	proxy    *proxy.Proxy
	grace    time.Duration
	log      zerolog.Logger
	bypassed atomic.Uint64
}

// invoked checks one INVOKE event: at once when the proxy already has the
// invocation (the usual case), else after the grace period. Lambda freezes
// the environment between invocations, so a late check may only run when
// the next invocation thaws it; the count catches up then.
func (b *bypassWatch) invoked(requestID string) {
	if requestID == "" || b.proxy.Fetched(requestID) {
		return
	}
	time.AfterFunc(b.grace, func() { b.check(requestID) })
}

func (b *bypassWatch) check(requestID string) {
	if b.proxy.Fetched(requestID) {
		return
	}
	n := b.bypassed.Add(1)
	s := b.proxy.Stats()
	switch {
	case n == 1:
		b.log.Error().Str("request_id", requestID).Uint64("runtime_next_calls", s.RuntimeNexts).Uint64("events_fetched", s.Fetched).
			Msg("LAMBDAWAF IS BEING BYPASSED: an invocation reached the function without passing through the agent; " +
				"nothing is inspected or blocked. The runtime talks to the real Runtime API. Likely cause: managed runtimes need " +
				"AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper; Go functions on provided.al2023 must call redirect.Start " +
				"(github.com/lambdawaf/lambdawaf/agent/redirect) instead of lambda.Start; other OS-only runtimes need /opt/bootstrap " +
				"with the handler binary not named bootstrap")
	case n&(n-1) == 0: // 2, 4, 8, ...: a running count without flooding the log
		b.log.Error().Str("request_id", requestID).Uint64("bypassed_invocations", n).Uint64("events_fetched", s.Fetched).
			Msg("LAMBDAWAF IS STILL BEING BYPASSED: invocations reach the function unprotected")
	}
}
