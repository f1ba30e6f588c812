package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// httpAPIEvent is a realistic ~1 KB HTTP API (payload v2) event.
const httpAPIEvent = `{"version":"2.0","routeKey":"POST /orders","rawPath":"/orders","rawQueryString":"expand=items&page=2",` +
	`"cookies":["session=7f0c2a9e","theme=dark"],"headers":{"accept":"application/json","content-type":"application/json",` +
	`"host":"api.example.com","user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36","x-forwarded-for":"203.0.113.9",` +
	`"x-forwarded-proto":"https"},"queryStringParameters":{"expand":"items","page":"2"},"requestContext":{"accountId":"123456789012",` +
	`"apiId":"a1b2c3","domainName":"api.example.com","http":{"method":"POST","path":"/orders","protocol":"HTTP/1.1",` +
	`"sourceIp":"203.0.113.9","userAgent":"Mozilla/5.0"},"requestId":"bench","routeKey":"POST /orders","stage":"$default",` +
	`"time":"21/Nov/2026:23:00:00 +0000","timeEpoch":1795302000000},"body":"{\"customer\":\"c-1029\",\"sku\":\"SKU-4417\",` +
	`\"quantity\":3,\"note\":\"leave at the front desk, ring twice\"}","isBase64Encoded":false}`

// productionLayer builds the extension without test hooks (as shipped) into
// its own /opt, once, for the benchmarks.
var productionLayer = sync.OnceValues(func() (string, error) {
	tmp := filepath.Dir(layerDir)
	agent := filepath.Join(tmp, "lambdawaf-extension-production")
	if err := testenv.BuildAll(context.Background(), testenv.Binary{Pkg: "./agent/cmd/lambdawaf-extension", Out: agent}); err != nil {
		return "", fmt.Errorf("build production extension: %w", err)
	}
	dir := filepath.Join(tmp, "opt-production")
	return dir, layer.Install(dir, agent)
})

func benchFunction(b *testing.B, w wiring, env map[string]string) *emulator.Function {
	b.Helper()
	s := setup{handler: "echo", wiring: w, quiet: true, env: map[string]string{}}
	for k, v := range env {
		s.env[k] = v
	}
	if w != noAgent {
		dir, err := productionLayer()
		if err != nil {
			b.Fatal(err)
		}
		s.cfg.ExtensionsDir = filepath.Join(dir, "extensions")
		s.env["LAMBDAWAF_EXTENSIONS_DIR"] = s.cfg.ExtensionsDir
	}
	fn, _ := startFunction(b, s)
	if err := fn.WaitInit(b.Context()); err != nil {
		b.Fatal(err)
	}
	return fn
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p * float64(len(sorted)-1))
	return sorted[i]
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// BenchmarkInvoke measures caller-perceived invoke latency of the same echo
// handler without the agent and behind it (redirect.Start wiring, the
// production build), alternating the two so machine noise hits both alike,
// and reports p50/p99 of each and the latency the agent adds. Sub-benchmarks
// run the agent in its default block mode (full inspection and decision
// records) and with LAMBDAWAF_MODE=off (the proxy hop alone).
//
//	go test ./tests/e2e -run '^$' -bench BenchmarkInvoke -benchtime 3000x
func BenchmarkInvoke(b *testing.B) {
	for _, mode := range []string{"block", "off"} {
		b.Run("mode="+mode, func(b *testing.B) {
			benchmarkInvoke(b, map[string]string{"LAMBDAWAF_MODE": mode})
		})
	}
}

func benchmarkInvoke(b *testing.B, agentEnv map[string]string) {
	direct := benchFunction(b, noAgent, nil)
	agent := benchFunction(b, viaRedirect, agentEnv)
	payload := []byte(httpAPIEvent)
	call := func(fn *emulator.Function) time.Duration {
		start := time.Now()
		res, err := fn.Invoke(b.Context(), payload, emulator.InvokeOptions{})
		d := time.Since(start)
		if err != nil {
			b.Fatalf("invoke: %v", err)
		}
		if res.FunctionError != "" {
			b.Fatalf("invoke: %s %s", res.ErrorType, res.Payload)
		}
		return d
	}
	for range 200 { // warm up connections, caches, the scheduler
		call(direct)
		call(agent)
	}
	withoutAgent := make([]time.Duration, 0, b.N)
	withAgent := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			withoutAgent = append(withoutAgent, call(direct))
			withAgent = append(withAgent, call(agent))
		} else {
			withAgent = append(withAgent, call(agent))
			withoutAgent = append(withoutAgent, call(direct))
		}
	}
	b.StopTimer()
	slices.Sort(withoutAgent)
	slices.Sort(withAgent)
	p50d, p99d := percentile(withoutAgent, 0.50), percentile(withoutAgent, 0.99)
	p50a, p99a := percentile(withAgent, 0.50), percentile(withAgent, 0.99)
	b.ReportMetric(micros(p50d), "p50-direct-µs")
	b.ReportMetric(micros(p99d), "p99-direct-µs")
	b.ReportMetric(micros(p50a), "p50-agent-µs")
	b.ReportMetric(micros(p99a), "p99-agent-µs")
	b.ReportMetric(micros(p50a-p50d), "p50-added-µs")
	b.ReportMetric(micros(p99a-p99d), "p99-added-µs")
}

// BenchmarkAgentColdStart starts a fresh environment per iteration and
// reports the agent's time from exec to its first event/next (the
// extension's share of cold start), as the emulator timestamps it.
//
//	go test ./tests/e2e -run '^$' -bench BenchmarkAgentColdStart -benchtime 30x
func BenchmarkAgentColdStart(b *testing.B) {
	dir, err := productionLayer()
	if err != nil {
		b.Fatal(err)
	}
	var toNext, toRegister, initDur []time.Duration
	for range b.N {
		fn, _ := startFunction(b, setup{handler: "echo", cfg: emulator.Config{ExtensionsDir: filepath.Join(dir, "extensions")},
			env: map[string]string{"LAMBDAWAF_EXTENSIONS_DIR": filepath.Join(dir, "extensions")}})
		if err := fn.WaitInit(b.Context()); err != nil {
			b.Fatal(err)
		}
		env := fn.Environments()[0]
		ext, ok := env.Extension("lambdawaf")
		if !ok || ext.FirstNext.IsZero() {
			b.Fatalf("agent report %+v", ext)
		}
		toNext = append(toNext, ext.StartToFirstNext())
		toRegister = append(toRegister, ext.Registered.Sub(ext.Process.Started))
		initDur = append(initDur, env.InitDuration)
		if err := fn.Shutdown(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range [][]time.Duration{toNext, toRegister, initDur} {
		slices.Sort(s)
	}
	b.ReportMetric(float64(percentile(toNext, 0.5).Microseconds())/1e3, "p50-exec-to-next-ms")
	b.ReportMetric(float64(toNext[len(toNext)-1].Microseconds())/1e3, "max-exec-to-next-ms")
	b.ReportMetric(float64(percentile(toRegister, 0.5).Microseconds())/1e3, "p50-exec-to-register-ms")
	b.ReportMetric(float64(percentile(initDur, 0.5).Microseconds())/1e3, "p50-init-ms")
}

// BenchmarkAgentMemory runs b.N invocations through the agent and reports
// its VmRSS and VmHWM from /proc afterwards.
//
//	go test ./tests/e2e -run '^$' -bench BenchmarkAgentMemory -benchtime 5000x
func BenchmarkAgentMemory(b *testing.B) {
	fn := benchFunction(b, viaRedirect, nil)
	payload := []byte(httpAPIEvent)
	b.ResetTimer()
	for range b.N {
		res, err := fn.Invoke(b.Context(), payload, emulator.InvokeOptions{})
		if err != nil {
			b.Fatalf("invoke: %v", err)
		}
		if res.FunctionError != "" {
			b.Fatalf("invoke: %s %s", res.ErrorType, res.Payload)
		}
	}
	b.StopTimer()
	ext, _ := fn.Environments()[0].Extension("lambdawaf")
	rss, hwm, err := emulator.ProcessMemory(ext.Process.PID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rss)/1024, "rss-MB")
	b.ReportMetric(float64(hwm)/1024, "hwm-MB")
}
