//go:build testhooks

package main

import (
	"bytes"
	"context"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// testHookBlockResponse is what a test-hook block answers: an API Gateway
// proxy response that says who blocked and never reflects the input.
const testHookBlockResponse = `{"statusCode":403,"headers":{"Content-Type":"application/json"},"body":"{\"message\":\"Forbidden\",\"blockedBy\":\"lambdawaf-testhook\"}"}`

// withTestHooks wraps in with the end-to-end test hooks:
// LAMBDAWAF_TESTHOOK_BLOCK=<substring> blocks events containing it and
// LAMBDAWAF_TESTHOOK_PANIC=<substring> panics inside inspection of events
// containing it. Only binaries built with -tags testhooks have it.
func withTestHooks(in proxy.Inspector, getenv func(string) string, log zerolog.Logger) proxy.Inspector {
	block, panicOn := []byte(getenv("LAMBDAWAF_TESTHOOK_BLOCK")), []byte(getenv("LAMBDAWAF_TESTHOOK_PANIC"))
	if len(block) == 0 && len(panicOn) == 0 {
		return in
	}
	log.Warn().Bool("block_hook", len(block) > 0).Bool("panic_hook", len(panicOn) > 0).
		Msg("test hooks enabled: this binary is a test build, not for production")
	return proxy.InspectorFunc(func(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
		if len(panicOn) > 0 && bytes.Contains(inv.Event, panicOn) {
			panic("lambdawaf test hook: panic requested")
		}
		if len(block) > 0 && bytes.Contains(inv.Event, block) {
			return proxy.Verdict{Block: true, BlockResponse: []byte(testHookBlockResponse)}, nil
		}
		return in.InspectEvent(ctx, inv)
	})
}
