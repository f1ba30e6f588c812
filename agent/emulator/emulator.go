// Package emulator runs a function locally the way AWS Lambda runs it: one
// execution environment at a time with a strict Runtime API and Extensions
// API on a loopback port, external extensions launched from a directory,
// the runtime process, the Init, Invoke and Shutdown phases with their
// time limits, and environment resets after a timeout or a crash.
//
// It exists so the lambdawaf agent can be tested end to end against the
// protocol it must survive in the cloud, and so `lambdawaf serve` can run a
// protected function locally. It records what happened (per-extension
// timestamps, every API call and who made it) so tests can assert on it.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Function is a running emulated function.
type Function struct {
	cfg   Config
	ln    net.Listener
	srv   *http.Server
	addr  string
	logs  *lineSink
	slots chan struct{}
	calls *callLog

	mu      sync.Mutex
	env     *environment
	envs    []*environment
	closed  bool
	initMu  sync.Mutex // serialises environment creation
	closeCh chan struct{}
}

// Start validates the configuration, opens the API listener and begins the
// first Init phase in the background. Invoke waits for Init to finish.
func Start(ctx context.Context, cfg Config) (*Function, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: listen: %w", err)
	}
	f := &Function{
		cfg:     cfg,
		ln:      ln,
		addr:    ln.Addr().String(),
		logs:    &lineSink{w: cfg.Logs},
		slots:   make(chan struct{}, cfg.Concurrency),
		closeCh: make(chan struct{}),
	}
	f.calls = newCallLog(f)
	f.srv = &http.Server{
		Handler:     f.calls.middleware(f.routes()),
		ConnContext: f.calls.connContext,
		// No timeouts: next is a long poll and bodies may stream.
	}
	go f.srv.Serve(ln)
	if _, err := f.environment(); err != nil {
		f.srv.Close()
		return nil, err
	}
	return f, nil
}

// Addr is the AWS_LAMBDA_RUNTIME_API address (host:port) of the emulated
// Runtime and Extensions APIs.
func (f *Function) Addr() string { return f.addr }

// environment returns the current execution environment, creating one (and
// starting its Init phase) when there is none or the last one was reset.
func (f *Function) environment() (*environment, error) {
	f.initMu.Lock()
	defer f.initMu.Unlock()
	f.mu.Lock()
	env, closed := f.env, f.closed
	f.mu.Unlock()
	if closed {
		return nil, errors.New("emulator: function is shut down")
	}
	if env != nil && !env.isDying() {
		return env, nil
	}
	if env != nil {
		// A reset environment must be gone (processes dead, ports free)
		// before the next one starts, as on Lambda.
		<-env.exited
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil, errors.New("emulator: function is shut down")
	}
	env = newEnvironment(f, len(f.envs)+1)
	f.env = env
	f.envs = append(f.envs, env)
	f.mu.Unlock()
	if err := env.start(); err != nil {
		return nil, err
	}
	return env, nil
}

// WaitInit waits for the current environment's Init phase and returns its
// failure, if any.
func (f *Function) WaitInit(ctx context.Context) error {
	env, err := f.environment()
	if err != nil {
		return err
	}
	select {
	case <-env.initDone:
	case <-ctx.Done():
		return ctx.Err()
	}
	if env.initErr != nil {
		return env.initErr
	}
	return nil
}

// Invoke runs one invocation and returns its result. Function failures
// (errors, timeouts, crashes, init failures) are reported in the Result, as
// the Invoke API reports them; the error is for requests Lambda would
// refuse (*APIError) and for ctx ending first.
func (f *Function) Invoke(ctx context.Context, payload []byte, opts InvokeOptions) (*Result, error) {
	if len(payload) > MaxPayloadSize {
		return nil, &APIError{StatusCode: 413, Type: "RequestEntityTooLargeException",
			Message: fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", MaxPayloadSize)}
	}
	if len(payload) > 0 && !json.Valid(payload) {
		return nil, &APIError{StatusCode: 400, Type: "InvalidRequestContentException",
			Message: "Could not parse request body into json: the payload is not valid JSON"}
	}
	select {
	case f.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	released := false
	release := func() {
		if !released {
			released = true
			<-f.slots
		}
	}
	id := newID()
	var env *environment
	var initWaited time.Duration
	var inv *invocation
	// An environment can be reset between Init and dispatch (another
	// invocation crashed it); Lambda would route to a fresh one, so retry.
	for attempt := 0; inv == nil; attempt++ {
		var err error
		if env, err = f.environment(); err != nil {
			release()
			return nil, err
		}
		waitStart := time.Now()
		select {
		case <-env.initDone:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
		if !env.initReported.Swap(true) {
			initWaited += env.initDuration()
		} else if d := time.Since(waitStart); d > time.Millisecond {
			initWaited += d
		}
		if env.initErr != nil {
			release()
			res := errorResult(id, env.initErr.Type, fmt.Sprintf("RequestId: %s Error: %s", id, env.initErr.Message))
			res.InitDuration = initWaited
			return res, nil
		}
		candidate := newInvocation(id, payload, opts, f.cfg, f.addr)
		if env.dispatch(candidate) {
			inv = candidate
		} else if attempt == 2 {
			release()
			return errorResult(id, "Runtime.ExitError", fmt.Sprintf("RequestId: %s Error: execution environment was reset before the invocation started", id)), nil
		}
	}
	go func() {
		env.complete(inv)
		<-f.slots
	}()
	released = true
	select {
	case res := <-inv.result:
		res.InitDuration = initWaited
		return res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Shutdown ends the function as Lambda spins an environment down: SIGTERM
// to the runtime, SHUTDOWN (reason spindown) to subscribed extensions, and
// SIGKILL for whatever is left after the shutdown budget. It then closes the
// API listener.
func (f *Function) Shutdown(ctx context.Context) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	env := f.env
	f.mu.Unlock()
	var err error
	if env != nil {
		env.teardown(reasonSpindown)
		select {
		case <-env.exited:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	close(f.closeCh)
	if cerr := f.srv.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("emulator: close API server: %w", cerr)
	}
	return err
}

// Environments reports every execution environment this function has had,
// oldest first.
func (f *Function) Environments() []EnvironmentReport {
	f.mu.Lock()
	envs := append([]*environment(nil), f.envs...)
	f.mu.Unlock()
	out := make([]EnvironmentReport, len(envs))
	for i, e := range envs {
		out[i] = e.report()
	}
	return out
}

// newID returns a random UUID (version 4), the shape of Lambda request and
// extension ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newTraceID returns an X-Ray trace header like the one Lambda passes.
func newTraceID() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), h[:24], h[24:40])
}
