package main

import (
	"context"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// bypassGrace is how long after an INVOKE event the proxy has to have
// fetched the invocation: Lambda hands the event to the runtime and the
// INVOKE to extensions at about the same moment.
const bypassGrace = time.Second

// bypassWatch notices invocations the proxy never saw: the runtime is
// talking to the real Runtime API, so nothing is inspected. It checks off
// the hot path, after a grace period, and says so loudly.
type bypassWatch struct {
	proxy    *proxy.Proxy
	grace    time.Duration
	log      zerolog.Logger
	bypassed atomic.Uint64
}

// invoked checks one INVOKE event: at once when the proxy already has the
// invocation (the usual case), else after the grace period. Lambda freezes
// the environment between invocations, so a late check may only run when
// the next invocation thaws it; the count catches up then.
func (b *bypassWatch) invoked(requestID string) {
	if requestID == "" || b.proxy.Fetched(requestID) {
		return
	}
	time.AfterFunc(b.grace, func() { b.check(requestID) })
}

func (b *bypassWatch) check(requestID string) {
	if b.proxy.Fetched(requestID) {
		return
	}
	n := b.bypassed.Add(1)
	s := b.proxy.Stats()
	switch {
	case n == 1:
		b.log.Error().Str("request_id", requestID).Uint64("runtime_next_calls", s.RuntimeNexts).Uint64("events_fetched", s.Fetched).
			Msg("LAMBDAWAF IS BEING BYPASSED: an invocation reached the function without passing through the agent; " +
				"nothing is inspected or blocked. The runtime talks to the real Runtime API. Likely cause: managed runtimes need " +
				"AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper; Go functions on provided.al2023 must call redirect.Start " +
				"(github.com/lambdawaf/lambdawaf/agent/redirect) instead of lambda.Start; other OS-only runtimes need /opt/bootstrap " +
				"with the handler binary not named bootstrap")
	case n&(n-1) == 0: // 2, 4, 8, ...: a running count without flooding the log
		b.log.Error().Str("request_id", requestID).Uint64("bypassed_invocations", n).Uint64("events_fetched", s.Fetched).
			Msg("LAMBDAWAF IS STILL BEING BYPASSED: invocations reach the function unprotected")
	}
}

// watchTelemetry feeds bypass detection from the Telemetry API where
// INVOKE events are refused (Lambda Managed Instances): it listens for
// platform events (on sandbox.localdomain's address, loopback where
// /etc/hosts does not name it, as in emulators), subscribes, and checks
// each platform.start's invocation. It returns a function that stops the
// listener.
func watchTelemetry(ctx context.Context, ext *lifecycle.Client, watch *bypassWatch, log zerolog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(sandboxAddress("/etc/hosts"), "0"))
	if err != nil {
		return nil, fmt.Errorf("telemetry listener: %w", err)
	}
	srv := &http.Server{
		Handler:  telemetryHandler(watch, log),
		ErrorLog: stdlog.New(log.With().Str("source", "telemetry listener").Logger(), "", 0),
	}
	go srv.Serve(ln)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	dest := "http://" + net.JoinHostPort(lifecycle.TelemetryHost, port) + "/platform"
	if err := ext.SubscribePlatform(ctx, dest); err != nil {
		srv.Close()
		return nil, err
	}
	return func() { srv.Close() }, nil
}

// telemetryHandler receives Telemetry API batches. It answers as soon as
// it has read a batch and looks at the events after: the platform does not
// send the next batch before this one is answered (and AWS's emulator
// stalls if a batch waits too long; see lifecycle.SubscribePlatform).
func telemetryHandler(watch *bypassWatch, log zerolog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			log.Warn().Err(err).Msg("telemetry batch could not be read")
			http.Error(w, "unreadable batch", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		_ = http.NewResponseController(w).Flush()
		ids, err := lifecycle.PlatformStarts(body)
		if err != nil {
			log.Warn().Err(err).Msg("telemetry batch is not a list of events")
			return
		}
		for _, id := range ids {
			watch.invoked(id)
		}
	})
}

// sandboxAddress is sandbox.localdomain's address from the hosts file, or
// 127.0.0.1. It reads the file rather than asking the resolver: a DNS
// query for a name that only exists inside Lambda costs tens of
// milliseconds of cold start elsewhere.
func sandboxAddress(hostsFile string) string {
	b, err := os.ReadFile(hostsFile)
	if err != nil {
		return "127.0.0.1"
	}
	for _, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) > 1 && slices.Contains(f[1:], lifecycle.TelemetryHost) && net.ParseIP(f[0]) != nil {
			return f[0]
		}
	}
	return "127.0.0.1"
}
