// Package local runs a function on a developer's machine the way it runs
// behind an AWS front door with the lambdawaf agent installed: a pool of
// emulated execution environments (agent/emulator), each with the agent
// binary launched as an external extension from its own layer directory
// and the function's handler as the runtime, behind a gateway.Server.
//
// It is the engine of `lambdawaf serve`, of the demo and of the serve
// end-to-end tests, so all three exercise the same wiring.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/layer"
)

// Config describes the local endpoint and the function behind it.
type Config struct {
	// Addr is the front door's listen address (gateway.DefaultAddr when
	// empty). Only loopback addresses are accepted unless AllowPublic.
	Addr        string
	AllowPublic bool
	// Translator sets the trigger shape and the identifiers of the events.
	Translator gateway.Translator

	// Handler is the function's runtime command (an aws-lambda-go binary
	// and its arguments).
	Handler []string
	// Agent is the lambdawaf extension binary; empty runs the function
	// unprotected (useful to compare).
	Agent string
	// AgentConfig is the agent's configuration document
	// (LAMBDAWAF_CONFIG); empty uses the agent's defaults.
	AgentConfig string
	// Mode is LAMBDAWAF_MODE ("block", "log", "off"); empty: the agent's
	// default.
	Mode string
	// AgentPort is the first agent listener port; environment n uses
	// AgentPort+n. Zero picks free ports.
	AgentPort int
	// Env is extra function configuration (LAMBDAWAF_LOG_LEVEL, the
	// handler's own variables).
	Env map[string]string
	// HandlerName is _HANDLER and TaskRoot LAMBDA_TASK_ROOT (defaults:
	// the file name and directory of Handler[0], as for a bootstrap).
	HandlerName string
	TaskRoot    string
	// Runtime is the Lambda runtime id ("provided.al2023" when empty).
	// On a managed runtime with an Agent, the function is configured as
	// the lambdawaf component configures it: AWS_LAMBDA_EXEC_WRAPPER names
	// the layer's lambdawaf-wrapper unless Env sets it. ExecWrapper
	// replaces the layer's wrapper script with another file.
	Runtime     string
	ExecWrapper string

	// Concurrency bounds the environments started on demand (1 when 0);
	// QueueTimeout is how long a request waits for one before 429.
	Concurrency  int
	QueueTimeout time.Duration
	// Streaming invokes with response streaming, like a Function URL in
	// RESPONSE_STREAM invoke mode.
	Streaming bool

	FunctionName string        // "function" when empty
	Timeout      time.Duration // function timeout (emulator default when 0)
	MemoryMB     int

	// EphemeralKeys leaves each environment to pseudonymise with its own
	// random key, as an agent without a configured secret does. By
	// default the session serves one random key to every environment
	// through a loopback Secrets Manager (see keyServer), so one client
	// keeps one pseudonym across environments. Ignored when Env sets
	// LAMBDAWAF_AGENT_KEY_SECRET_ARN.
	EphemeralKeys bool

	// Logs receives every line the handler and the agent write (the
	// agent's decision records among them); nil discards them.
	Logs io.Writer
	// Observe is told about each request the front door served.
	Observe func(gateway.Exchange)
}

// Endpoint is a running local front door with its environments.
type Endpoint struct {
	cfg    Config
	ln     net.Listener
	pool   *gateway.Pool
	layer  string
	keys   *keyServer // nil: environments use ephemeral keys
	cancel context.CancelFunc
	done   chan struct{} // closed when Serve returned
	err    error         // what Serve returned
}

// Start lays out the layer, opens the listener and starts serving.
// Environments start on the first requests that need them; call WarmUp to
// start one eagerly (and surface init failures at once).
func Start(ctx context.Context, cfg Config) (*Endpoint, error) {
	if len(cfg.Handler) == 0 || cfg.Handler[0] == "" {
		return nil, errors.New("local: no handler")
	}
	if cfg.Addr == "" {
		cfg.Addr = gateway.DefaultAddr
	}
	if !cfg.AllowPublic {
		if err := RequireLoopback(cfg.Addr); err != nil {
			return nil, err
		}
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	if cfg.QueueTimeout == 0 {
		cfg.QueueTimeout = 10 * time.Second
	}
	layer, err := layOutLayer(cfg.Agent, cfg.ExecWrapper)
	if err != nil {
		return nil, err
	}
	var keys *keyServer
	if cfg.Agent != "" && !cfg.EphemeralKeys && cfg.Env["LAMBDAWAF_AGENT_KEY_SECRET_ARN"] == "" {
		if keys, err = startKeyServer(cfg.Translator.Region); err != nil {
			os.RemoveAll(layer)
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		os.RemoveAll(layer)
		if keys != nil {
			keys.close(ctx)
		}
		return nil, fmt.Errorf("local: listen on %s: %w", cfg.Addr, err)
	}
	e := &Endpoint{cfg: cfg, ln: ln, layer: layer, keys: keys, done: make(chan struct{})}
	e.pool = &gateway.Pool{Max: cfg.Concurrency, QueueTimeout: cfg.QueueTimeout, New: e.newEnvironment}
	tr := cfg.Translator
	srv := &gateway.Server{Translator: &tr, Invoker: e.pool, Observe: cfg.Observe}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.cancel = cancel
	go func() {
		e.err = srv.Serve(sctx, ln)
		close(e.done)
	}()
	return e, nil
}

// URL is the endpoint's base URL ("http://127.0.0.1:8080").
func (e *Endpoint) URL() string { return "http://" + e.ln.Addr().String() }

// Addr is the address the endpoint listens on.
func (e *Endpoint) Addr() net.Addr { return e.ln.Addr() }

// Environments is the number of execution environments running.
func (e *Endpoint) Environments() int { return e.pool.Size() }

// WarmUp starts n environments (at most Concurrency) and waits for their
// Init phases, so that a broken handler or agent fails here rather than on
// the first request, and the first requests pay no cold start.
func (e *Endpoint) WarmUp(ctx context.Context, n int) error {
	return e.pool.Warm(ctx, n)
}

// Restart replaces every execution environment with a new one, keeping the
// front door's listener and the agent binary, as after a code change:
// idle environments are shut down at once, busy ones after their
// invocation, and the first request after pays a cold start.
func (e *Endpoint) Restart(ctx context.Context) error {
	return e.pool.Recycle(ctx)
}

// Wait blocks until the endpoint stops serving and returns why.
func (e *Endpoint) Wait() error {
	<-e.done
	return e.err
}

// Close stops accepting requests, shuts every environment down (SHUTDOWN to
// the agent, as Lambda spins environments down) and removes the layer.
func (e *Endpoint) Close(ctx context.Context) error {
	e.cancel()
	serveErr := e.Wait()
	err := e.pool.Close(ctx)
	if e.keys != nil {
		err = errors.Join(err, e.keys.close(ctx))
	}
	os.RemoveAll(e.layer)
	return errors.Join(serveErr, err)
}

// environment is one emulated function instance: one execution environment
// at a time, reset by the emulator after a timeout or a crash.
type environment struct {
	fn        *emulator.Function
	streaming bool
}

func (e *Endpoint) newEnvironment(ctx context.Context, slot int) (gateway.Environment, error) {
	port, err := e.agentPort(slot)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for k, v := range e.cfg.Env {
		env[k] = v
	}
	if e.cfg.Agent != "" {
		env["LAMBDAWAF_PORT"] = strconv.Itoa(port)
		// redirect.Start looks for the agent here instead of /opt/extensions.
		env["LAMBDAWAF_EXTENSIONS_DIR"] = filepath.Join(e.layer, "extensions")
		if e.cfg.Mode != "" {
			env["LAMBDAWAF_MODE"] = e.cfg.Mode
		}
		if e.cfg.AgentConfig != "" {
			abs, err := filepath.Abs(e.cfg.AgentConfig)
			if err != nil {
				return nil, err
			}
			env["LAMBDAWAF_CONFIG"] = abs
		}
		// A streaming front door needs streamed block responses, as a
		// deployment with a RESPONSE_STREAM Function URL configures them.
		if _, set := env["LAMBDAWAF_RESPONSE_STREAMING"]; e.cfg.Streaming && !set {
			env["LAMBDAWAF_RESPONSE_STREAMING"] = "true"
		}
		if _, set := env[contract.EnvExecWrapper]; !set {
			switch {
			case e.cfg.ExecWrapper != "":
				env[contract.EnvExecWrapper] = "/opt/" + filepath.Base(e.cfg.ExecWrapper)
			case e.cfg.Runtime != "" && !strings.HasPrefix(e.cfg.Runtime, "provided"):
				env[contract.EnvExecWrapper] = contract.WrapperPath
			}
		}
		if e.keys != nil {
			for k, v := range e.keys.env() {
				env[k] = v
			}
		}
	}
	cfg := emulator.Config{
		Handler:      e.cfg.Handler,
		HandlerName:  e.cfg.HandlerName,
		TaskRoot:     e.cfg.TaskRoot,
		Runtime:      e.cfg.Runtime,
		LayerDir:     e.layer,
		Env:          env,
		Timeout:      e.cfg.Timeout,
		MemoryMB:     e.cfg.MemoryMB,
		FunctionName: cmpOr(e.cfg.FunctionName, "function"),
		Region:       e.cfg.Translator.Region,
		Logs:         e.cfg.Logs,
	}
	fn, err := emulator.Start(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("start emulated function: %w", err)
	}
	return &environment{fn: fn, streaming: e.cfg.Streaming}, nil
}

// agentPort picks the agent's listener port for a slot.
func (e *Endpoint) agentPort(slot int) (int, error) {
	if e.cfg.AgentPort > 0 {
		return e.cfg.AgentPort + slot, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a port for the agent: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port, nil
}

// Invoke implements gateway.Invoker on the emulated function, mapping the
// Invoke API's outcomes to the errors the front door understands.
func (env *environment) Invoke(ctx context.Context, event []byte) (*gateway.Result, error) {
	res, err := env.fn.Invoke(ctx, event, emulator.InvokeOptions{Streaming: env.streaming})
	if err != nil {
		var apiErr *emulator.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusRequestEntityTooLarge {
			return nil, fmt.Errorf("%w: %v", gateway.ErrPayloadTooLarge, err)
		}
		return nil, err
	}
	if res.FunctionError != "" && res.ErrorType == "Sandbox.Timedout" {
		return nil, fmt.Errorf("%w: %s", gateway.ErrTimeout, res.Payload)
	}
	out := &gateway.Result{RequestID: res.RequestID, Payload: res.Payload, FunctionError: res.FunctionError, ContentType: res.ContentType}
	if res.Stream != nil {
		out.Stream = res.Stream
	}
	return out, nil
}

// WaitReady waits for the environment's Init phase.
func (env *environment) WaitReady(ctx context.Context) error { return env.fn.WaitInit(ctx) }

// Close spins the environment down.
func (env *environment) Close(ctx context.Context) error { return env.fn.Shutdown(ctx) }

// layOutLayer builds the /opt of the environments as the real layer lays
// it out (layer.Install: extensions/lambdawaf under the name it registers
// with, lambdawaf-wrapper, bootstrap). A wrapper given explicitly replaces
// the layer's. Without an agent, /opt holds only that wrapper.
func layOutLayer(agent, wrapper string) (string, error) {
	dir, err := os.MkdirTemp("", "lambdawaf-serve-opt-")
	if err != nil {
		return "", fmt.Errorf("local: layer dir: %w", err)
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(dir)
		return "", err
	}
	executable := func(p string) (string, error) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if !IsExecutable(abs) {
			return "", fmt.Errorf("local: %s is not an executable file", abs)
		}
		return abs, nil
	}
	if agent != "" {
		abs, err := executable(agent)
		if err != nil {
			return fail(err)
		}
		if err := layer.Install(dir, abs); err != nil {
			return fail(fmt.Errorf("local: %w", err))
		}
	}
	if wrapper != "" {
		abs, err := executable(wrapper)
		if err != nil {
			return fail(err)
		}
		dst := filepath.Join(dir, filepath.Base(wrapper))
		os.Remove(dst)
		if err := os.Symlink(abs, dst); err != nil {
			return fail(fmt.Errorf("local: %w", err))
		}
	}
	return dir, nil
}

// RequireLoopback refuses addresses other hosts can reach: the endpoint runs
// the function without authentication.
func RequireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("local: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("local: %s is not a loopback address; the local endpoint runs your function unauthenticated", addr)
	}
	return nil
}

func cmpOr(s, def string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return def
}
