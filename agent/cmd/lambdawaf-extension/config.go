package main

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Modes of operation (LAMBDAWAF_MODE).
const (
	modeBlock = "block" // inspect and block
	modeLog   = "log"   // inspect, log what would be blocked, never block
	modeOff   = "off"   // proxy only: no inspection at all
)

const defaultPort = 9009

// config is the extension's configuration, read from the environment. Bad
// values that the extension can run without fall back to the safe default
// and are listed in problems, to be logged; problems it cannot run with
// are reported by validate.
type config struct {
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
	// workers is AWS_LAMBDA_MAX_CONCURRENCY (Lambda Managed Instances: the
	// runtime's workers polling next at once), 0 when unset.
	workers  int
	logLevel zerolog.Level
	problems []string
}

func loadConfig(getenv func(string) string) config {
	c := config{getenv: getenv, mode: modeBlock, logLevel: zerolog.InfoLevel}

	port := defaultPort
	if s := strings.TrimSpace(getenv("LAMBDAWAF_PORT")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			c.portErr = fmt.Errorf("LAMBDAWAF_PORT=%q is not a TCP port", s)
		}
		port = n
	}
	c.listenAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	c.extAPI = strings.TrimSpace(getenv("AWS_LAMBDA_RUNTIME_API"))
	c.upstream = strings.TrimSpace(getenv("LAMBDAWAF_UPSTREAM"))
	if c.upstream == "" {
		c.upstream = c.extAPI
	}

	if s := strings.TrimSpace(getenv(contract.EnvMaxConcurrency)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			c.problems = append(c.problems, fmt.Sprintf("%s=%q is not a positive number; not fetching events ahead", contract.EnvMaxConcurrency, s))
		} else {
			c.workers = n
		}
	}

	switch m := strings.ToLower(strings.TrimSpace(getenv("LAMBDAWAF_MODE"))); m {
	case "", modeBlock:
	case modeLog, modeOff:
		c.mode = m
	default:
		c.problems = append(c.problems, fmt.Sprintf("LAMBDAWAF_MODE=%q is not block, log or off; using block", m))
	}

	switch f := strings.ToLower(strings.TrimSpace(getenv("LAMBDAWAF_FAILURE_POLICY"))); f {
	case "", "open":
	case "closed":
		c.failClosed = true
	default:
		c.problems = append(c.problems, fmt.Sprintf("LAMBDAWAF_FAILURE_POLICY=%q is not open or closed; using open", f))
	}
	if c.mode == modeLog && c.failClosed {
		c.failClosed = false
		c.problems = append(c.problems, "LAMBDAWAF_FAILURE_POLICY=closed has no effect in log mode: log mode never blocks")
	}

	streaming, err := parseStreaming(getenv("LAMBDAWAF_RESPONSE_STREAMING"))
	if err != nil {
		c.problems = append(c.problems, err.Error()+"; block responses stay buffered")
	}
	c.streaming = streaming

	if s := strings.TrimSpace(getenv("LAMBDAWAF_LOG_LEVEL")); s != "" {
		lvl, err := zerolog.ParseLevel(strings.ToLower(s))
		if err != nil || lvl == zerolog.NoLevel {
			c.problems = append(c.problems, fmt.Sprintf("LAMBDAWAF_LOG_LEVEL=%q is not a log level; using info", s))
		} else {
			c.logLevel = lvl
		}
	}
	return c
}

// parseStreaming reads LAMBDAWAF_RESPONSE_STREAMING: a boolean (true means
// the Function URL, the common case: InvokeMode RESPONSE_STREAM), or a
// comma-separated list of the triggers whose front door invokes with
// response streaming (function-url, apigateway-rest). The agent cannot
// tell from an event how it was invoked, so the deployment must say.
func parseStreaming(s string) ([]event.Trigger, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if on, err := strconv.ParseBool(s); err == nil {
		if on {
			return []event.Trigger{event.FunctionURL}, nil
		}
		return nil, nil
	}
	var out []event.Trigger
	for name := range strings.SplitSeq(s, ",") {
		t := event.Trigger(strings.ToLower(strings.TrimSpace(name)))
		if !t.StreamsResponses() {
			return nil, fmt.Errorf("LAMBDAWAF_RESPONSE_STREAMING=%q: %q is not true, false, %s or %s", s, name, event.FunctionURL, event.APIGatewayREST)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
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
