package main

import (
	"fmt"
	"net"

	settings "github.com/lambdawaf/lambdawaf/agent/config"
	"github.com/lambdawaf/lambdawaf/agent/memlimit"
	"github.com/lambdawaf/lambdawaf/agent/procs"
)

// config is the extension's settings, read once from the environment by
// package config: bad values the extension can run without have fallen
// back to the safe default and are listed in Problems, to be logged;
// problems it cannot run with are reported by validate.
type config struct {
	settings.Settings
	// getenv reaches only the test hooks of -tags testhooks builds
	// (inspector_testhooks.go); production code reads nothing else.
	getenv func(string) string
	// memory is the agent's soft memory limit, nil where GOMEMLIMIT
	// sets it instead.
	memory *memlimit.Limit
	// procs is the agent's thread setting, nil where GOMAXPROCS is the
	// operator's or invocations run concurrently.
	procs *procs.Procs
}

func loadConfig(getenv func(string) string) config {
	return config{Settings: settings.FromEnv(getenv), getenv: getenv}
}

// validate reports what makes the proxy impossible to run.
func (c config) validate() error {
	if c.PortErr != nil {
		return c.PortErr
	}
	if c.Upstream == "" {
		return fmt.Errorf("no upstream runtime API: neither LAMBDAWAF_UPSTREAM nor AWS_LAMBDA_RUNTIME_API is set")
	}
	host, port, err := net.SplitHostPort(c.Upstream)
	if err != nil {
		return fmt.Errorf("upstream runtime API %q: %w", c.Upstream, err)
	}
	if _, lport, _ := net.SplitHostPort(c.ListenAddr); port == lport && isLoopback(host) {
		return fmt.Errorf("upstream runtime API %s is the agent's own listener: the proxy would call itself", c.Upstream)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
