// Package redirect points a Go function's Runtime API client at the
// lambdawaf agent. OS-only runtimes (provided.al2, provided.al2023) ignore
// AWS_LAMBDA_EXEC_WRAPPER, and AWS_LAMBDA_RUNTIME_API cannot be set in the
// function's configuration, so a Go handler redirects itself, in process,
// before aws-lambda-go reads the variable:
//
//	func main() {
//		redirect.Start(handler) // instead of lambda.Start(handler)
//	}
//
// Without the agent layer, Start is exactly lambda.StartWithOptions.
package redirect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// Where the agent lives, and the variables that configure redirection.
const (
	// DefaultExtensionsDir is where Lambda installs extension layers.
	DefaultExtensionsDir = "/opt/extensions"
	// AgentName is the agent's file name in the extensions directory.
	AgentName = "lambdawaf"
	// DefaultPort is the agent's default listener port.
	DefaultPort = 9009
	// WaitBudget bounds how long Start waits for the agent's listener,
	// unless LAMBDAWAF_WAIT_MS says otherwise (the wrapper scripts read
	// the same variable).
	WaitBudget = 2 * time.Second

	envRuntimeAPI    = "AWS_LAMBDA_RUNTIME_API"
	envUpstream      = "LAMBDAWAF_UPSTREAM"
	envPort          = "LAMBDAWAF_PORT"
	envExtensionsDir = "LAMBDAWAF_EXTENSIONS_DIR" // for tests and emulators
	envFailure       = "LAMBDAWAF_FAILURE_POLICY"
	envWaitMs        = "LAMBDAWAF_WAIT_MS"
)

// ErrAgentNotListening means the agent is installed but did not accept a
// connection within the wait.
var ErrAgentNotListening = errors.New("lambdawaf agent is installed but not listening")

// Start redirects the process to the lambdawaf agent when the agent is
// installed, then hands over to lambda.StartWithOptions. If the agent is
// installed but does not answer within WaitBudget, the function still
// starts: against the real Runtime API, unprotected and saying so, unless
// LAMBDAWAF_FAILURE_POLICY=closed, in which case it stays pointed at the
// agent and fails rather than run unprotected.
func Start(handler any, opts ...lambda.Option) {
	ctx, cancel := context.WithTimeout(context.Background(), waitBudget())
	redirected, err := Redirect(ctx)
	cancel()
	if err != nil {
		logError(redirected, err)
	}
	lambda.StartWithOptions(handler, opts...)
}

// Redirect sets AWS_LAMBDA_RUNTIME_API to the agent's listener when the
// agent is installed, after waiting (until ctx is done) for the listener to
// accept connections. The real address is kept in LAMBDAWAF_UPSTREAM unless
// that is already set. It reports whether the process now talks to the
// agent. With the agent absent it changes nothing and returns false, nil.
//
// If the listener does not come up, Redirect leaves the real Runtime API in
// place and returns false and ErrAgentNotListening, unless
// LAMBDAWAF_FAILURE_POLICY=closed, in which case it redirects anyway and
// returns true with the error.
func Redirect(ctx context.Context) (bool, error) {
	dir := os.Getenv(envExtensionsDir)
	if dir == "" {
		dir = DefaultExtensionsDir
	}
	if _, err := os.Stat(filepath.Join(dir, AgentName)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("look for the lambdawaf agent: %w", err)
	}

	port := DefaultPort
	if s := strings.TrimSpace(os.Getenv(envPort)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return false, fmt.Errorf("%s=%q is not a TCP port", envPort, s)
		}
		port = n
	}
	agent := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	if err := waitForListener(ctx, agent); err != nil {
		if strings.EqualFold(strings.TrimSpace(os.Getenv(envFailure)), "closed") {
			point(agent)
			return true, fmt.Errorf("%w at %s (failure policy closed: staying on the agent): %v", ErrAgentNotListening, agent, err)
		}
		return false, fmt.Errorf("%w at %s (failure policy open: running UNPROTECTED on the real Runtime API): %v", ErrAgentNotListening, agent, err)
	}
	point(agent)
	return true, nil
}

// waitBudget is LAMBDAWAF_WAIT_MS, or WaitBudget.
func waitBudget() time.Duration {
	if ms, err := strconv.Atoi(strings.TrimSpace(os.Getenv(envWaitMs))); err == nil && ms >= 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return WaitBudget
}

// point sets AWS_LAMBDA_RUNTIME_API to the agent, keeping the real address.
func point(agent string) {
	real := os.Getenv(envRuntimeAPI)
	if real != "" && real != agent && os.Getenv(envUpstream) == "" {
		os.Setenv(envUpstream, real)
	}
	os.Setenv(envRuntimeAPI, agent)
}

// waitForListener dials addr until it accepts or ctx is done.
func waitForListener(ctx context.Context, addr string) error {
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dial %s: %w", addr, err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// logError writes one JSON line to stderr, which Lambda sends to the
// function's log group.
func logError(redirected bool, err error) {
	line, _ := json.Marshal(map[string]any{
		"level":      "error",
		"agent":      "lambdawaf",
		"redirected": redirected,
		"msg":        err.Error(),
	})
	fmt.Fprintln(os.Stderr, string(line))
}
