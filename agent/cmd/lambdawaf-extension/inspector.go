package main

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// newInspector builds the Inspector the extension runs in block and log
// modes. It is the one place where the detection engine is plugged in: swap
// the pass-through for the firewall (agent/firewall) here. It runs after the
// extension's first event/next, concurrently with init, so it may load
// configuration and keys; invocations wait for it (see deferredInspector).
func newInspector(ctx context.Context, cfg config, log zerolog.Logger) (proxy.Inspector, error) {
	var allowAll proxy.InspectorFunc = func(context.Context, *proxy.Invocation) (proxy.Verdict, error) {
		return proxy.Verdict{}, nil
	}
	return withTestHooks(allowAll, cfg.getenv, log), nil
}
