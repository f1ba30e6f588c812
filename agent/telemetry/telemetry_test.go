package telemetry

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
)

// slowSecretsManager answers GetSecretValue after delay.
func slowSecretsManager(t testing.TB, delay time.Duration) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(map[string]string{"ARN": "arn", "Name": "k", "SecretString": slowKeyBytes})
	}))
}

func secretsClient(t testing.TB, url string) *agentkey.Client {
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	c, err := agentkey.NewClient(context.Background(), func(o *agentkey.ClientOptions) { o.Endpoint = url })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestStartAndShutdown(t *testing.T) {
	srv := slowSecretsManager(t, 100*time.Millisecond)
	defer srv.Close()
	fh := &fakeFirehose{t: t}
	fhSrv := httptest.NewServer(fh)
	defer fhSrv.Close()
	var out syncBuffer
	tel := Start(context.Background(), Options{
		Stdout: capture(&out), AgentVersion: "test",
		Records: Config{
			FunctionName: "orders", FunctionVersion: "3", Level: zerolog.InfoLevel,
			SampleAllowed: 1, Headers: []string{"user-agent"},
		},
		SecretARN:      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k",
		FirehoseStream: "waf-records",
		Logger:         zerolog.New(capture(&out)),
		SecretsManager: secretsClient(t, srv.URL),
		Firehose:       firehoseClient(t, fhSrv.URL),
	})
	tel.Recorder.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	tel.Recorder.ReportResponse(context.Background(), &outbound.Report{
		RequestID: "req-block", Trigger: event.APIGatewayHTTP, Action: outbound.Mask, Where: "body",
		Counts: map[leak.Kind]int{leak.Card: 2, leak.StackTrace: 1},
	})
	// The decision waits for the key (100 ms away), then is written.
	<-tel.Key.Ready()
	waitFor(t, func() bool { return strings.Contains(out.String(), `"kind":"decision"`) })
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := tel.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	var decision, response, emf int
	for _, l := range out.Lines() {
		m := decode(t, l)
		switch {
		case m["kind"] == KindDecision:
			decision++
			if m["pseudonym_key"] != "secret" || m["function_name"] != "orders" || m["function_version"] != "3" {
				t.Errorf("decision record: %s", l)
			}
		case m["kind"] == KindResponse:
			response++
			leaks := m["leaks"].([]any)
			if len(leaks) != 2 || m["action"] != "mask" || m["level"] != "warn" {
				t.Errorf("response record: %s", l)
			}
		case m["_aws"] != nil:
			emf++
		}
	}
	if decision != 1 || response != 1 || emf == 0 {
		t.Errorf("decision %d, response %d, emf %d lines:\n%s", decision, response, emf, out.String())
	}
	if !strings.Contains(out.String(), `"ResponseLeaks":1`) {
		t.Error("response leak not counted in metrics")
	}
	if fh.storedCount() != 2 { // the decision and the response record, not the metrics
		t.Errorf("firehose stored %d records", fh.storedCount())
	}
}

// BenchmarkReadinessWithSlowSecret measures what telemetry costs the agent
// before it can serve: Start plus the first recorded decision, with the
// Secrets Manager endpoint answering at once or after 500 ms. The two
// figures are the same: the key is fetched in the background and the first
// record waits for it in the buffer, not the invocation.
func BenchmarkReadinessWithSlowSecret(b *testing.B) {
	for _, delay := range []time.Duration{0, 500 * time.Millisecond} {
		b.Run("secret-endpoint="+delay.String(), func(b *testing.B) {
			srv := slowSecretsManager(b, delay)
			defer srv.Close()
			client := secretsClient(b, srv.URL)
			var worst time.Duration
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				tel := Start(context.Background(), Options{Stdout: discard{}, SecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k", SecretsManager: client, Logger: zerolog.Nop()})
				tel.Recorder.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
				d := time.Since(start)
				total += d
				worst = max(worst, d)
				b.StopTimer()
				tel.Shutdown(context.Background())
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs-ready/op")
			b.ReportMetric(float64(worst.Microseconds()), "µs-ready-max")
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
