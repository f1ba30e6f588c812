package firewall

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// The Runtime API paths and headers the benchmark's upstream plays.
const (
	runtimeInvocation = "/2018-06-01/runtime/invocation/"
	runtimeNext       = runtimeInvocation + "next"
	runtimeRequestID  = "Lambda-Runtime-Aws-Request-Id"
)

// readyRuntimeAPI is an upstream Runtime API that always has payload
// ready on next and accepts every response.
func readyRuntimeAPI(b *testing.B, payload []byte) *httptest.Server {
	b.Helper()
	var n atomic.Uint64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == runtimeNext {
			w.Header().Set(runtimeRequestID, "b-"+strconv.FormatUint(n.Add(1), 10))
			w.Header().Set("Lambda-Runtime-Deadline-Ms", "4102444800000")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
			_, _ = w.Write(payload)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkInvocationThroughAgent measures one runtime loop iteration (next,
// then the response) of the 1 KB event through the proxy with the agent's
// hooks: the firewall with 100 rules as inspector and a deferred decision
// recorder as its observer, as the extension wires them. Its allocs/op,
// minus those of the same exchange straight to the upstream ("direct"),
// are what the agent allocates per invocation.
func BenchmarkInvocationThroughAgent(b *testing.B) {
	p, err := policy.Parse([]byte(rules100()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	fw := New(p, Options{Observer: discardRecorder(b, telemetry.Config{Deferred: true}), Mode: policy.ModeBlock})
	payload := realEvent(b)
	response := []byte(`{"statusCode":200,"body":"ok"}`)
	for _, via := range []bool{false, true} {
		name := "direct"
		if via {
			name = "agent"
		}
		b.Run(name, func(b *testing.B) {
			api := readyRuntimeAPI(b, payload)
			base := api.URL
			if via {
				base = agentURL(b, api.URL, proxy.WithInspector(fw))
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			b.Cleanup(client.CloseIdleConnections)
			b.ReportAllocs()
			for b.Loop() {
				runtimeLoop(b, client, base, response)
			}
		})
	}
}

// discardRecorder is a decision recorder writing to io.Discard with cfg,
// closed with b, as the extension's observer.
func discardRecorder(b *testing.B, cfg telemetry.Config) *telemetry.Recorder {
	rec := telemetry.NewRecorder(io.Discard, agentkey.Ephemeral(), cfg)
	b.Cleanup(func() {
		if err := rec.Close(context.Background()); err != nil {
			b.Error(err)
		}
	})
	return rec
}

// agentURL serves a proxy in front of the Runtime API at api, with opts,
// as the extension serves it, and returns its URL; the proxy and its
// server close with b.
func agentURL(b *testing.B, api string, opts ...proxy.Option) string {
	px, err := proxy.New(strings.TrimPrefix(api, "http://"), opts...)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(px)
	srv.Config = proxy.NewServer(px, zerolog.Nop())
	srv.Start()
	b.Cleanup(func() { px.Close(); srv.Close() })
	return srv.URL
}

// runtimeLoop plays one iteration of a runtime's loop: next, then the
// response for the request id next returned.
func runtimeLoop(b *testing.B, client *http.Client, base string, response []byte) {
	resp, err := client.Get(base + runtimeNext)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	id := resp.Header.Get(runtimeRequestID)
	if id == "" {
		b.Fatalf("next answered %d without a request id", resp.StatusCode)
	}
	resp, err = client.Post(base+runtimeInvocation+id+"/response", "application/json", bytes.NewReader(response))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b.Fatalf("response answered %d", resp.StatusCode)
	}
}

// BenchmarkManagedInstancesThroughAgent is BenchmarkInvocationThroughAgent
// as Lambda Managed Instances run it: 16 runtime workers looping at once,
// the proxy fetching ahead for them (proxy.WithPrefetch) and the deferred
// recorder's batches written after responses (WriteDue), as the extension
// wires them. allocs/op and B/op, minus those of "direct", are what the
// agent allocates per invocation under that load.
//
//	go test ./agent/firewall -run '^$' -bench BenchmarkManagedInstancesThroughAgent -benchmem
func BenchmarkManagedInstancesThroughAgent(b *testing.B) {
	const workers = 16
	p, err := policy.Parse([]byte(rules100()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	payload := realEvent(b)
	response := []byte(`{"statusCode":200,"body":"ok"}`)
	for _, via := range []bool{false, true} {
		name := "direct"
		if via {
			name = "agent"
		}
		b.Run(name, func(b *testing.B) {
			api := readyRuntimeAPI(b, payload)
			base := api.URL
			if via {
				rec := discardRecorder(b, telemetry.Config{Deferred: true, SampleAllowed: 1})
				fw := New(p, Options{Observer: rec, Mode: policy.ModeBlock})
				base = agentURL(b, api.URL, proxy.WithInspector(fw),
					proxy.WithPrefetch(workers), proxy.WithAnswered(func(string) { rec.WriteDue() }))
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
			b.Cleanup(client.CloseIdleConnections)
			b.SetParallelism(max(1, workers/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					runtimeLoop(b, client, base, response)
				}
			})
		})
	}
}
