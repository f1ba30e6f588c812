package main

import (
	"fmt"
	"net"

	"github.com/rs/zerolog"

	settings "github.com/lambdawaf/lambdawaf/agent/config"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Modes of operation (LAMBDAWAF_MODE), as the lifecycle compares them.
const (
	modeBlock = string(contract.ModeBlock) // inspect and block
	modeLog   = string(contract.ModeLog)   // inspect, log what would be blocked, never block
	modeOff   = string(contract.ModeOff)   // proxy only: no inspection at all
)

// config is the extension's view of its settings, read once from the
// environment by package config: bad values the extension can run without
// have fallen back to the safe default and are listed in problems, to be
// logged; problems it cannot run with are reported by validate.
type config struct {
	settings settings.Settings
	// getenv reaches only the test hooks of -tags testhooks builds
	// (inspector_testhooks.go); production code reads nothing else.
	getenv func(string) string

	listenAddr string // 127.0.0.1:LAMBDAWAF_PORT
	portErr    error
	upstream   string // LAMBDAWAF_UPSTREAM, else AWS_LAMBDA_RUNTIME_API
	extAPI     string // AWS_LAMBDA_RUNTIME_API: the Extensions API
	mode       string
	failClosed bool
	// streaming lists the triggers whose front door invokes with response
	// streaming (LAMBDAWAF_RESPONSE_STREAMING): their blocks are streamed.
	streaming []event.Trigger
	logLevel  zerolog.Level
	problems  []string
}

func loadConfig(getenv func(string) string) config {
	s := settings.FromEnv(getenv)
	return config{
		settings:   s,
		getenv:     getenv,
		listenAddr: s.ListenAddr,
		portErr:    s.PortErr,
		upstream:   s.Upstream,
		extAPI:     s.RuntimeAPI,
		mode:       string(s.Mode),
		failClosed: s.FailClosed,
		streaming:  s.Streaming,
		logLevel:   s.LogLevel,
		problems:   s.Problems,
	}
}

// validate reports what makes the proxy impossible to run.
func (c config) validate() error {
	if c.portErr != nil {
		return c.portErr
	}
	if c.upstream == "" {
		return fmt.Errorf("no upstream runtime API: neither LAMBDAWAF_UPSTREAM nor AWS_LAMBDA_RUNTIME_API is set")
	}
	host, port, err := net.SplitHostPort(c.upstream)
	if err != nil {
		return fmt.Errorf("upstream runtime API %q: %w", c.upstream, err)
	}
	if _, lport, _ := net.SplitHostPort(c.listenAddr); port == lport && isLoopback(host) {
		return fmt.Errorf("upstream runtime API %s is the agent's own listener: the proxy would call itself", c.upstream)
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
