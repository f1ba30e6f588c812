package main

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// newInspector builds the Inspector the extension runs in block and log
// modes, and what must run at SHUTDOWN (flushing decision records, say; nil
// when nothing must). It is the one place where the detection engine is
// plugged in: swap the pass-through for the firewall (agent/firewall), with
// telemetry and outbound filtering, here. It runs after the extension's
// first event/next, concurrently with init, so it may load configuration and
// keys; invocations wait for it (see deferredInspector). An error makes every
// invocation follow the failure policy.
func newInspector(ctx context.Context, cfg config, log zerolog.Logger) (proxy.Inspector, func(context.Context) error, error) {
	var allowAll proxy.InspectorFunc = func(context.Context, *proxy.Invocation) (proxy.Verdict, error) {
		return proxy.Verdict{}, nil
	}
	return withTestHooks(allowAll, cfg.getenv, log), nil, nil
}
