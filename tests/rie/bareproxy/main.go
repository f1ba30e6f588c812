// Command bareproxy is the anchor of the rie benchmark: a Runtime API
// proxy extension with nothing in it but net/http/httputil.ReverseProxy
// (streaming, keep-alive, no inspection). It does what any proxying
// extension must do — bind 127.0.0.1:LAMBDAWAF_PORT, register, forward
// every request to the real Runtime API — so the difference between it and
// lambdawaf in `make bench-rie` is lambdawaf's own cost.
//
// Install it as /opt/extensions/lambdawaf so that the test handlers'
// redirect.Start points the runtime at it exactly as at the agent.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "bareproxy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	api := os.Getenv(contract.EnvRuntimeAPI)
	port := strconv.Itoa(contract.DefaultPort)
	if p := os.Getenv(contract.EnvPort); p != "" {
		port = p
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite:       func(r *httputil.ProxyRequest) { r.SetURL(&url.URL{Scheme: "http", Host: api}) },
		FlushInterval: -1,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			DisableCompression:  true,
		},
	}
	srv := &http.Server{Handler: rp}
	go srv.Serve(ln)
	defer srv.Close()

	ext, err := lifecycle.NewClient(api)
	if err != nil {
		return err
	}
	name := filepath.Base(os.Args[0])
	_, err = ext.Register(ctx, name, lifecycle.Invoke, lifecycle.Shutdown)
	var refused *lifecycle.StatusError
	if errors.As(err, &refused) && refused.StatusCode >= 400 && refused.StatusCode < 500 {
		_, err = ext.Register(ctx, name, lifecycle.Shutdown)
	}
	if err != nil {
		return fmt.Errorf("register %s: %w", name, err)
	}
	for {
		ev, err := ext.Next(ctx)
		if err != nil {
			return fmt.Errorf("next: %w", err)
		}
		if ev.EventType == lifecycle.Shutdown {
			return nil
		}
	}
}
