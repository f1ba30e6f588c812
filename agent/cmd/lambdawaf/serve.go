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
	function := fs.String("function", "", "the function: a Go main package (./path or import path, built with go build) or a handler binary (required)")
	agent := fs.String("agent", "", "the lambdawaf extension binary (default: next to this command, under dist/, else built from "+local.AgentPackage+")")
	noAgent := fs.Bool("no-agent", false, "run the function unprotected, to compare")
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
	logPath := fs.String("log", "", "also append the function's and the agent's log lines (decision records) to this file, for 'lambdawaf report'")
	ephemeral := fs.Bool("ephemeral-keys", false, "let each environment pseudonymise with its own random key, as an agent without a secret does (default: one random key per serve session, served by a loopback Secrets Manager)")
	quiet := fs.Bool("quiet", false, "do not print the function's log lines and an access line per request")
	var envs listFlag
	fs.Var(&envs, "env", "function environment variable KEY=VALUE (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf serve -function <package|binary> [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs the function in a local Lambda emulation with the lambdawaf agent as an")
		fmt.Fprintln(stderr, "external extension, and turns each HTTP request into the event the chosen front")
		fmt.Fprintln(stderr, "door would send. Go handlers reach the agent through redirect.Start.")
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
	env := map[string]string{}
	for _, kv := range envs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "lambdawaf serve: -env %q is not KEY=VALUE\n", kv)
			return 2
		}
		env[k] = v
	}
	if err := serve(ctx, serveOptions{
		shape: shape, addr: *addr, function: *function, agent: *agent, noAgent: *noAgent,
		config: *configPath, mode: *mode, concurrency: *concurrency, queue: *queue, timeout: *timeout,
		memory: *memory, name: *name, stream: *stream, binaryTypes: *binaryTypes, stage: *stage, region: *region,
		agentPort: *agentPort, logPath: *logPath, quiet: *quiet, env: env, ephemeral: *ephemeral,
	}, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "lambdawaf serve:", err)
		return 1
	}
	return 0
}

type serveOptions struct {
	shape                                     gateway.Shape
	addr, function, agent, config, mode       string
	noAgent, stream, quiet, ephemeral         bool
	concurrency, memory, agentPort            int
	queue, timeout                            time.Duration
	name, binaryTypes, stage, region, logPath string
	env                                       map[string]string
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

	handler, err := local.Binary(ctx, cwd, o.function, work, "bootstrap")
	if err != nil {
		return fmt.Errorf("function: %w", err)
	}
	agent := ""
	if !o.noAgent {
		agent = o.agent
		if agent == "" {
			agent = local.FindAgent(cwd)
		}
		if agent == "" {
			agent = local.AgentPackage
		}
		if agent, err = local.Binary(ctx, cwd, agent, work, "lambdawaf"); err != nil {
			return fmt.Errorf("agent: %w", err)
		}
	}

	var logs io.Writer = io.Discard
	if !o.quiet {
		logs = stderr
	}
	if o.logPath != "" {
		f, err := os.OpenFile(o.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("log file: %w", err)
		}
		defer f.Close()
		logs = io.MultiWriter(logs, f)
	}
	logs = &lockedWriter{w: &bypassAlarm{next: logs, alarm: stderr}}
	var observe func(gateway.Exchange)
	if !o.quiet {
		observe = func(x gateway.Exchange) {
			line := fmt.Sprintf("%s %s %d %s", x.Method, x.Path, x.Status, x.Duration.Round(10*time.Microsecond))
			if x.Err != nil {
				line += " (" + x.Err.Error() + ")"
			}
			fmt.Fprintln(logs, "serve:", line)
		}
	}
	var binaryTypes []string
	for t := range strings.SplitSeq(o.binaryTypes, ",") {
		if t = strings.TrimSpace(t); t != "" {
			binaryTypes = append(binaryTypes, t)
		}
	}
	ep, err := local.Start(ctx, local.Config{
		Addr:          o.addr,
		Translator:    gateway.Translator{Shape: o.shape, Region: o.region, Stage: o.stage, BinaryMediaTypes: binaryTypes},
		Handler:       []string{handler},
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
		Observe:       observe,
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
	protection := "agent " + agent
	if agent == "" {
		protection = "UNPROTECTED (no agent)"
	}
	fmt.Fprintf(stdout, "lambdawaf serve: %s (%s) → %s\n  %s, mode %s, up to %d environments\n",
		ep.URL(), o.shape, o.function, protection, cmpOr(o.mode, "block"), o.concurrency)
	fmt.Fprintf(stdout, "  try: curl -i '%s/'\n  Ctrl-C to stop\n", ep.URL())
	select {
	case <-ctx.Done():
		return nil
	case err := <-waitErr(ep):
		return err
	}
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
