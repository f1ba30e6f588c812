//go:build !testhooks

package main

import (
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// withTestHooks is the identity in production builds: the test-only
// inspector exists only in binaries built with -tags testhooks.
func withTestHooks(in proxy.Inspector, _ func(string) string, _ zerolog.Logger) proxy.Inspector {
	return in
}
