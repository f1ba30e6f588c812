package serve

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

// BenchmarkRoundTrip measures one HTTP request through the local endpoint,
// the emulation and the handler, with and without the agent in between,
// and reports p50/p99 latency (go test -bench RoundTrip ./tests/serve).
func BenchmarkRoundTrip(b *testing.B) {
	for _, tc := range []struct {
		name  string
		agent string
	}{{"without-agent", ""}, {"with-agent", "agent"}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := local.Config{Addr: "127.0.0.1:0", Handler: []string{bins.handler}}
			if tc.agent != "" {
				cfg.Agent = bins.agent
			}
			ep, err := local.Start(b.Context(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer ep.Close(b.Context())
			if err := ep.WarmUp(b.Context(), 1); err != nil {
				b.Fatal(err)
			}
			client := &http.Client{}
			url := ep.URL() + "/status/204"
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 204 {
					b.Fatalf("status %d", resp.StatusCode)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
