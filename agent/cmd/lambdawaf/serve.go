package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

func init() {
	register(command{
		name:    "serve",
		summary: "run a function locally behind an API Gateway/ALB/Function URL-like endpoint, protected by the agent",
		run:     runServe,
	})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", gateway.DefaultAddr, "listen address (loopback only)")
	trigger := fs.String("trigger", "http", "front door to imitate: http (HTTP API, payload 2.0), rest (REST API, 1.0), alb, alb-multi (multi-value headers), url (Function URL)")
	runtimeID := fs.String("runtime", local.DefaultRuntime, "Lambda runtime: provided.al2023, python3.11-python3.14, nodejs22.x, nodejs24.x")
	handlerName := fs.String("handler", "", "the function's handler (_HANDLER): module.function for Python and Node.js (app.handler, index.handler); on provided.al2023 the executable's file name in -function DIR")
	function := fs.String("function", "", "the function: a directory (the task root), a handler binary, or a Go main package (./path or import path, built with go build) (required)")
	agent := fs.String("agent", "", "the lambdawaf extension binary (default: next to this command, under dist/, else built from this command's source into the user cache on first use)")
	noAgent := fs.Bool("no-agent", false, "run the function unprotected, to compare")
	allowBypass := fs.Bool("allow-bypass", false, "serve a function that would reach the Runtime API without the agent (refused by default)")
	configPath := fs.String("config", "", "agent configuration document (LAMBDAWAF_CONFIG)")
	mode := fs.String("mode", "", "agent mode: block, log or off (LAMBDAWAF_MODE; default: the agent's)")
	concurrency := fs.Int("concurrency", 4, "execution environments started on demand, at most")
	queue := fs.Duration("queue-timeout", 10*time.Second, "how long a request waits for a free environment before 429")
	timeout := fs.Duration("timeout", 3*time.Second, "function timeout")
	memory := fs.Int("memory", 128, "function memory (MB)")
	name := fs.String("name", "function", "function name")
	stream := fs.Bool("stream", false, "Function URL RESPONSE_STREAM invoke mode (with -trigger url)")
	binaryTypes := fs.String("binary-media-types", "", "REST API binary media types, comma-separated (image/png,*/*)")
	stage := fs.String("stage", "dev", "REST API stage")
	region := fs.String("region", "us-east-1", "region in ARNs, domains and AWS_REGION")
	agentPort := fs.Int("agent-port", 0, "first agent listener port (environment n uses port+n; 0 picks free ports)")
	logPath := fs.String("log", "", "also append the function's and the agent's log lines (decision records) and one line per request (its path) to this file, for 'lambdawaf report'")
	ephemeral := fs.Bool("ephemeral-keys", false, "let each environment pseudonymise with its own random key, as an agent without a secret does (default: one random key per serve session, served by a loopback Secrets Manager)")
	quiet := fs.Bool("quiet", false, "do not print the function's and the agent's other log lines")
	asJSON := fs.Bool("json", false, "print the agent's decision records (JSON lines) on stdout instead of one line per request (the default when stdout is not a terminal)")
	lines := fs.Bool("lines", false, "print one line per request even when stdout is not a terminal")
	watchFlag := fs.Bool("watch", false, "rebuild (Go) and restart the function when its files change, keeping the agent and the port")
	var envs listFlag
	fs.Var(&envs, "env", "function environment variable KEY=VALUE (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf serve [-runtime R -handler H] -function <dir|binary|package> [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs the function in a local Lambda emulation with the lambdawaf agent as an")
		fmt.Fprintln(stderr, "external extension, and turns each HTTP request into the event the chosen front")
		fmt.Fprintln(stderr, "door would send. Go handlers reach the agent through redirect.Start; Python and")
		fmt.Fprintln(stderr, "Node.js handlers through the layer's exec wrapper, as on Lambda.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *function == "" && fs.NArg() == 1 {
		*function = fs.Arg(0)
	}
	if *function == "" {
		fs.Usage()
		return 2
	}
	shape, err := gateway.ParseShape(*trigger)
	if err != nil {
		fmt.Fprintln(stderr, "lambdawaf serve:", err)
		return 2
	}
	rt, err := local.ParseRuntime(*runtimeID)
	if err != nil {
		fmt.Fprintln(stderr, "lambdawaf serve:", err)
		return 2
	}
	env := map[string]string{}
	for _, kv := range envs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "lambdawaf serve: -env %q is not KEY=VALUE\n", kv)
			return 2
		}
		env[k] = v
	}
	if *asJSON && *lines {
		fmt.Fprintln(stderr, "lambdawaf serve: -json and -lines exclude each other")
		return 2
	}
	if err := serve(ctx, serveOptions{
		shape: shape, runtime: rt, handler: *handlerName, addr: *addr, function: *function, agent: *agent, noAgent: *noAgent,
		allowBypass: *allowBypass, config: *configPath, mode: *mode, concurrency: *concurrency, queue: *queue, timeout: *timeout,
		memory: *memory, name: *name, stream: *stream, binaryTypes: *binaryTypes, stage: *stage, region: *region,
		agentPort: *agentPort, logPath: *logPath, quiet: *quiet, env: env, ephemeral: *ephemeral,
		json: *asJSON || (!*lines && !isTerminal(stdout)), color: isTerminal(stdout) && os.Getenv("NO_COLOR") == "",
		watch: *watchFlag,
	}, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "lambdawaf serve:", err)
		return 1
	}
	return 0
}

type serveOptions struct {
	shape                                        gateway.Shape
	runtime                                      local.Runtime
	addr, function, handler, agent, config, mode string
	noAgent, allowBypass, stream, quiet          bool
	ephemeral, json, color, watch                bool
	concurrency, memory, agentPort               int
	queue, timeout                               time.Duration
	name, binaryTypes, stage, region, logPath    string
	env                                          map[string]string
}

func serve(ctx context.Context, o serveOptions, stdout, stderr io.Writer) error {
	// SIGTERM (timeout(1), process managers) must spin the environments
	// down like Ctrl-C does, or the agents and handlers outlive serve.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if o.stream && o.shape != gateway.FunctionURL {
		return errors.New("-stream needs -trigger url: only Function URLs stream responses")
	}
	if o.mode != "" && o.mode != "block" && o.mode != "log" && o.mode != "off" {
		return fmt.Errorf("-mode %q is not block, log or off", o.mode)
	}
	if err := local.RequireLoopback(o.addr); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "lambdawaf-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}

	// 1. The function, resolved as Lambda would start it, and whether it
	// would go through the agent: say so before serving anything.
	fn, err := resolveFunction(ctx, o.runtime, o.function, o.handler, cwd, work, !o.noAgent, o.env)
	if err != nil {
		return fmt.Errorf("function: %w", err)
	}
	for k, v := range fn.Env {
		if _, set := o.env[k]; !set {
			o.env[k] = v
		}
	}
	for _, w := range fn.Warnings {
		fmt.Fprintln(stderr, "lambdawaf serve: warning:", w)
	}
	if fn.bypass != "" {
		if !o.allowBypass {
			fmt.Fprintf(stderr, "lambdawaf serve: REFUSED: %s, so it would run UNPROTECTED (in AWS as here).\n%s\n", fn.bypass, bypassAdvice)
			return fmt.Errorf("%w (pass -allow-bypass to serve it anyway)", errBypass)
		}
		fmt.Fprintf(stderr, "lambdawaf serve: WARNING: %s; serving it UNPROTECTED because of -allow-bypass\n", fn.bypass)
	}

	// 2. The agent: given, next to this command, or built from source.
	agent := ""
	if !o.noAgent {
		if agent, err = findAgent(ctx, o.agent, cwd, work); err != nil {
			return fmt.Errorf("agent: %w", err)
		}
	}

	// 3. Output: people lines or records on stdout, other logs on stderr.
	var other io.Writer = stderr
	if o.quiet {
		other = io.Discard
	}
	rl := newRequestLog(&lockedWriter{w: stdout}, &bypassAlarm{next: other, alarm: stderr}, o.json, o.color)
	var logs io.Writer = rl
	if o.logPath != "" {
		f, err := os.OpenFile(o.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("log file: %w", err)
		}
		defer f.Close()
		file := &lockedWriter{w: f}
		logs = io.MultiWriter(rl, file)
		rl.served = file
	}
	logs = &lockedWriter{w: logs}
	defer rl.Flush()

	var binaryTypes []string
	for t := range strings.SplitSeq(o.binaryTypes, ",") {
		if t = strings.TrimSpace(t); t != "" {
			binaryTypes = append(binaryTypes, t)
		}
	}
	ep, err := local.Start(ctx, local.Config{
		Addr:          o.addr,
		Translator:    gateway.Translator{Shape: o.shape, Region: o.region, Stage: o.stage, BinaryMediaTypes: binaryTypes},
		Handler:       fn.Command,
		HandlerName:   fn.HandlerName,
		TaskRoot:      fn.TaskRoot,
		Runtime:       fn.Runtime.ID,
		Agent:         agent,
		AgentConfig:   o.config,
		Mode:          o.mode,
		AgentPort:     o.agentPort,
		Env:           o.env,
		Concurrency:   o.concurrency,
		QueueTimeout:  o.queue,
		Streaming:     o.stream,
		EphemeralKeys: o.ephemeral,
		FunctionName:  o.name,
		Timeout:       o.timeout,
		MemoryMB:      o.memory,
		Logs:          logs,
		Observe:       rl.Observe,
	})
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := ep.Close(cctx); err != nil {
			fmt.Fprintln(stderr, "lambdawaf serve: shut down:", err)
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = ep.WarmUp(wctx, 1)
	cancel()
	if err != nil {
		return fmt.Errorf("function failed to initialise: %w", err)
	}
	protection := "protected by the agent " + agent
	switch {
	case agent == "":
		protection = "UNPROTECTED (no agent)"
	case fn.bypass != "":
		protection = "UNPROTECTED (bypasses the agent " + agent + ")"
	}
	runs := fn.Runtime.ID
	if fn.Interpreter != "" {
		runs += ", " + fn.Interpreter
	}
	fmt.Fprintf(stderr, "lambdawaf serve: %s (%s) → %s\n  %s\n  %s, mode %s, up to %d environments\n",
		ep.URL(), o.shape, o.function, runs, protection, cmpOr(o.mode, "block"), o.concurrency)
	if o.watch && fn.watch != "" {
		fmt.Fprintf(stderr, "  watching %s for changes\n", fn.watch)
		go watch(ctx, watchRoot(fn.watch), func(ctx context.Context) error {
			return reload(ctx, ep, fn, cwd, stderr)
		}, func(err error) { fmt.Fprintln(stderr, "lambdawaf serve: watch:", err) })
	}
	fmt.Fprintf(stderr, "  try: curl -i '%s/'\n  Ctrl-C to stop\n", ep.URL())
	select {
	case <-ctx.Done():
		return nil
	case err := <-waitErr(ep):
		return err
	}
}

// reload rebuilds a Go function and restarts the environments after a
// change; a failed build keeps the running code.
func reload(ctx context.Context, ep *local.Endpoint, fn *function, cwd string, stderr io.Writer) error {
	if fn.goPackage != "" {
		fmt.Fprintf(stderr, "lambdawaf serve: change detected, rebuilding %s\n", fn.goPackage)
		if err := buildGo(ctx, cwd, fn.goPackage, fn.Command[0]); err != nil {
			return fmt.Errorf("rebuild failed, still serving the previous build: %w", err)
		}
		if fn.bypass == "" {
			if x, err := local.InspectExecutable(fn.Command[0]); err == nil && !x.Redirects {
				fmt.Fprintln(stderr, "lambdawaf serve: WARNING: the rebuilt function no longer calls redirect.Start: it bypasses the agent")
			}
		}
	} else {
		fmt.Fprintln(stderr, "lambdawaf serve: change detected, restarting the function")
	}
	if err := ep.Restart(ctx); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := ep.WarmUp(wctx, 1); err != nil {
		return fmt.Errorf("the changed function failed to initialise: %w", err)
	}
	fmt.Fprintln(stderr, "lambdawaf serve: function restarted")
	return nil
}

// findAgent returns the extension binary: -agent (a binary or a Go
// package), else one next to this command or under dist/, else one built
// from this command's own source into the user cache.
func findAgent(ctx context.Context, flagValue, cwd, work string) (string, error) {
	if flagValue != "" {
		return local.Binary(ctx, cwd, flagValue, work, "lambdawaf")
	}
	if a := local.FindAgent(cwd); a != "" {
		return a, nil
	}
	return local.CachedAgent(ctx, "")
}

func waitErr(ep *local.Endpoint) <-chan error {
	c := make(chan error, 1)
	go func() { c <- ep.Wait() }()
	return c
}

func cmpOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// bypassAlarm passes log output through and, the first time the agent
// reports that the function reaches the Runtime API without it, says so on
// the terminal even with -quiet: serving an unprotected function while the
// user believes it protected is the one thing serve must not do silently.
type bypassAlarm struct {
	next, alarm io.Writer
	tail        []byte // the unterminated end of the last write
	fired       bool
}

const bypassMarker = "LAMBDAWAF IS BEING BYPASSED"

func (b *bypassAlarm) Write(p []byte) (int, error) {
	if !b.fired {
		b.tail = append(b.tail, p...)
		if strings.Contains(string(b.tail), bypassMarker) {
			b.fired = true
			b.tail = nil
			fmt.Fprintln(b.alarm, "lambdawaf serve: WARNING: the function bypasses the agent and runs UNPROTECTED. "+
				"Start Go handlers with redirect.Start (github.com/lambdawaf/lambdawaf/agent/redirect) instead of lambda.Start.")
		} else if i := strings.LastIndexByte(string(b.tail), '\n'); i >= 0 {
			b.tail = b.tail[i+1:]
		}
		if len(b.tail) > 64<<10 {
			b.tail = b.tail[len(b.tail)-len(bypassMarker):]
		}
	}
	return b.next.Write(p)
}

// lockedWriter serialises writes from the environments' log pumps and the
// access log, so lines never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
