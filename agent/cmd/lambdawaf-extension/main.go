// Command lambdawaf-extension is the lambdawaf agent: a Lambda external
// extension, installed in the layer as /opt/extensions/lambdawaf, that serves
// the Runtime API to the function's runtime on 127.0.0.1:LAMBDAWAF_PORT and
// inspects every event before the handler sees it.
//
// Start-up order matters: the listener is bound first (the runtime may
// connect as soon as init starts), then the extension registers, then it
// calls event/next at once, because Lambda counts everything before the
// first event/next as cold start. The inspector is built concurrently.
package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
	"github.com/lambdawaf/lambdawaf/agent/memlimit"
	"github.com/lambdawaf/lambdawaf/agent/procs"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// shutdownBudget is how long the agent takes to drain after SHUTDOWN at
// most: Lambda gives all external extensions about 2 s together.
const shutdownBudget = 1500 * time.Millisecond

// flushReserve is the part of the shutdown budget kept for the inspector's
// shutdown work after the server has drained.
const flushReserve = 500 * time.Millisecond

func main() {
	cfg := loadConfig(os.Getenv)
	if os.Getenv("GOMEMLIMIT") == "" {
		// The agent's soft memory limit (package memlimit), raised while
		// a large event is judged. Never above half the function's
		// memory: the rest is the handler's.
		cfg.memory = memlimit.Set(memlimit.For(cfg.MaxConcurrency), int64(cfg.FunctionMemoryMB)<<20/2)
	}
	if os.Getenv("GOGC") == "" {
		// More garbage per collection under Managed Instances (package
		// memlimit).
		debug.SetGCPercent(memlimit.GCPercent(cfg.MaxConcurrency))
	}
	// One thread between large events, one at a time (package procs).
	cfg.procs = procs.Narrow(os.Getenv("GOMAXPROCS") != "", cfg.MaxConcurrency > 0)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := runConfigured(ctx, os.Args, cfg, os.Stdout)
	stop()
	os.Exit(code)
}

// run is the whole extension, configured from getenv; it returns the
// process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) int {
	return runConfigured(ctx, args, loadConfig(getenv), stdout)
}

// runConfigured is run with the configuration read.
func runConfigured(ctx context.Context, args []string, cfg config, stdout io.Writer) int {
	start := time.Now()
	// One synchronised stdout for the agent's own log lines and its
	// decision records and metrics, so that lines never interleave.
	stdout = zerolog.SyncWriter(stdout)
	log := zerolog.New(stdout).Level(cfg.LogLevel).With().Timestamp().Str("agent", "lambdawaf").Logger()
	name := filepath.Base(args[0])

	// 1. Bind before anything else.
	var ln net.Listener
	bindErr := cfg.PortErr
	if bindErr == nil {
		ln, bindErr = listen(ctx, cfg.ListenAddr)
	}

	// 2. Register under the executable's own file name.
	if cfg.RuntimeAPI == "" {
		log.Error().Msg("AWS_LAMBDA_RUNTIME_API is not set: cannot reach the Extensions API; not running inside Lambda?")
		return 1
	}
	ext, err := lifecycle.NewClient(cfg.RuntimeAPI)
	if err != nil {
		log.Error().Err(err).Msg("cannot use AWS_LAMBDA_RUNTIME_API")
		return 1
	}
	// INVOKE events feed bypass detection only; an environment that
	// refuses them (a flavour of Lambda without per-invoke extension
	// events) still gets a working agent registered for SHUTDOWN.
	invokeEvents := true
	_, err = ext.Register(ctx, name, lifecycle.Invoke, lifecycle.Shutdown)
	var refused *lifecycle.StatusError
	if errors.As(err, &refused) && refused.StatusCode >= 400 && refused.StatusCode < 500 {
		invokeEvents = false
		_, err = ext.Register(ctx, name, lifecycle.Shutdown)
	}
	if err != nil {
		log.Error().Err(err).Str("name", name).Msg("cannot register with the Extensions API")
		if ln != nil {
			ln.Close()
		}
		return 1
	}
	if bindErr != nil {
		return initError(ctx, ext, log, "Extension.ListenFailed", bindErr, ln)
	}
	if err := cfg.validate(); err != nil {
		return initError(ctx, ext, log, "Extension.ConfigInvalid", err, ln)
	}

	// 3. Serve at once; the inspector comes when it is ready. Background
	// work (fleet state, bundles) runs after each invocation is answered,
	// or from a timer where there are no INVOKE events or several
	// invocations in flight (Managed Instances).
	work := background.New(background.Options{Logger: log})
	answers := background.NewAnswers()
	timerDriven := !invokeEvents || cfg.MaxConcurrency > 0
	// In Lambda Managed Instances the runtime's workers all poll next; keep
	// as many next calls waiting upstream as there are workers.
	opts := []proxy.Option{proxy.WithLogger(log), proxy.WithFailClosed(cfg.FailClosed), proxy.WithPrefetch(cfg.MaxConcurrency)}
	if len(cfg.Streaming) > 0 {
		opts = append(opts, proxy.WithStreamedBlocks(firewall.StreamedInvocations(cfg.Streaming)))
	}
	var deferred *deferredInspector
	if cfg.Mode != contract.ModeOff {
		deferred = newDeferredInspector()
		var in proxy.Inspector = reserving{in: deferred, memory: cfg.memory, procs: cfg.procs}
		if cfg.Mode == contract.ModeLog {
			in = logOnly{in: in, log: log}
		}
		opts = append(opts, proxy.WithInspector(in))
	}
	// Once an invocation is answered: background work (unless a timer
	// drives it) and the decision records held back from the request path.
	// Both only signal or start a goroutine: the proxy calls this on the
	// goroutine that relayed the answer.
	opts = append(opts, proxy.WithAnswered(func(id string) {
		if !timerDriven {
			answers.Answered(id)
		}
		if deferred != nil {
			deferred.afterResponse()
		}
	}))
	p, err := proxy.New(cfg.Upstream, opts...)
	if err != nil {
		return initError(ctx, ext, log, "Extension.ConfigInvalid", err, ln)
	}
	srv := proxy.NewServer(p, log)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if deferred != nil {
		go func() {
			t := time.Now()
			in, stop, after, err := newInspector(ctx, cfg, stdout, log, work)
			if err != nil {
				log.Error().Err(err).Bool("fail_closed", cfg.FailClosed).Msg("cannot build the inspector; every invocation follows the failure policy")
			} else {
				log.Debug().Dur("build_ms", time.Since(t)).Msg("inspector ready")
			}
			deferred.after = after // published by set
			deferred.set(in, stop, err)
		}()
	}

	// A few log lines (microseconds) are all that stands between
	// registration and the first event/next.
	for _, problem := range cfg.Problems {
		log.Warn().Msg(problem)
	}
	watch := &bypassWatch{proxy: p, grace: bypassGrace, log: log}
	if !invokeEvents {
		// Lambda Managed Instances: no INVOKE events, but the Telemetry
		// API's platform.start names every invocation.
		stopTelemetry, err := watchTelemetry(ctx, ext, watch, log)
		if err != nil {
			log.Warn().Err(err).Str("refused", refused.Body).Msg("the Extensions API refused INVOKE events and the Telemetry API is unavailable; registered for SHUTDOWN only, so bypass detection is off")
		} else {
			defer stopTelemetry()
			log.Info().Msg("the Extensions API refused INVOKE events; bypass detection follows the Telemetry API's platform.start events")
		}
	}
	streamed := make([]string, 0, len(cfg.Streaming)) // [] rather than null when off
	for _, t := range cfg.Streaming {
		streamed = append(streamed, string(t))
	}
	log.Info().Str("name", name).Str("listen", cfg.ListenAddr).Str("upstream", cfg.Upstream).
		Str("mode", string(cfg.Mode)).Bool("fail_closed", cfg.FailClosed).Strs("response_streaming", streamed).Int("workers", cfg.MaxConcurrency).
		Dur("startup_ms", time.Since(start)).
		Msg("lambdawaf agent running")

	if timerDriven {
		go work.Loop(ctx)
	}
	for {
		ev, err := ext.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				log.Info().Msg("signalled; shutting down")
				drain(p, srv, served, deferred, time.Now().Add(shutdownBudget), log)
				return 0
			}
			log.Error().Err(err).Msg("lost the Extensions API")
			exitCtx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			_ = ext.ExitError(exitCtx, "Extension.EventLoopFailed", err)
			cancel()
			drain(p, srv, served, deferred, time.Now().Add(shutdownBudget), log)
			return 1
		}
		switch ev.EventType {
		case lifecycle.Invoke:
			watch.invoked(ev.RequestID)
			if !timerDriven {
				afterInvocation(ctx, p, answers, work, ev)
			}
		case lifecycle.Shutdown:
			log.Info().Str("reason", string(ev.ShutdownReason)).Int64("deadline_ms", ev.DeadlineMs).Msg("shutdown")
			drain(p, srv, served, deferred, shutdownDeadline(time.Now(), ev.Deadline()), log)
			return 0
		default:
			log.Warn().Str("event_type", string(ev.EventType)).Msg("ignoring unknown lifecycle event")
		}
	}
}

// bindRetry is how long listen keeps trying while the port is in use: after
// an environment reset the previous agent may still be dying.
const bindRetry = 250 * time.Millisecond

// listen binds addr, retrying briefly while it is in use.
func listen(ctx context.Context, addr string) (net.Listener, error) {
	deadline := time.Now().Add(bindRetry)
	for {
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			return ln, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// shutdownDeadline is when draining must be done: within shutdownBudget of
// the SHUTDOWN event, and a little before Lambda's own deadline.
func shutdownDeadline(now, lambdaDeadline time.Time) time.Time {
	d := now.Add(shutdownBudget)
	if !lambdaDeadline.IsZero() {
		if l := lambdaDeadline.Add(-200 * time.Millisecond); l.Before(d) {
			d = l
		}
	}
	if floor := now.Add(50 * time.Millisecond); d.Before(floor) {
		d = floor
	}
	return d
}

// drain stops the proxy: runtime nexts still waiting are released, requests
// in flight (responses on their way upstream) finish, then the inspector's
// shutdown work (flushing records) runs, all before the deadline. The
// server gets all but flushReserve of the budget; connections still open
// then are closed.
func drain(p *proxy.Proxy, srv *http.Server, served <-chan error, in *deferredInspector, deadline time.Time, log zerolog.Logger) {
	p.Close()
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	srvDeadline := deadline.Add(-flushReserve)
	if floor := time.Now().Add(50 * time.Millisecond); srvDeadline.Before(floor) {
		srvDeadline = floor
	}
	sctx, scancel := context.WithDeadline(ctx, srvDeadline)
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn().Err(err).Msg("drain deadline reached; closing connections")
		srv.Close()
	}
	scancel()
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn().Err(err).Msg("listener stopped")
	}
	if in != nil {
		if err := in.shutdown(ctx); err != nil {
			log.Warn().Err(err).Msg("inspector shutdown")
		}
	}
	s := p.Stats()
	log.Info().Uint64("runtime_next_calls", s.RuntimeNexts).Uint64("events_fetched", s.Fetched).
		Uint64("blocked", s.Blocked).Uint64("inspect_errors", s.InspectErrors).Uint64("panics", s.Panics).
		Uint64("undelivered", s.Undelivered).Dur("inspect_total_ms", s.InspectTime).Dur("inspect_max_ms", s.MaxInspectTime).
		Msg("agent stopped")
}

// initError reports a fatal init problem to Lambda and returns the exit code.
func initError(ctx context.Context, ext *lifecycle.Client, log zerolog.Logger, errorType string, cause error, ln net.Listener) int {
	if ln != nil {
		ln.Close()
	}
	log.Error().Err(cause).Str("error_type", errorType).Msg("lambdawaf agent cannot run")
	if err := ext.InitError(ctx, errorType, cause); err != nil {
		log.Error().Err(err).Msg("could not report the init error")
	}
	return 1
}
