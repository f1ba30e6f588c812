package telemetry

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// orderEvent is the 1 KB API Gateway HTTP API event of tests/rie's load
// (an order with a delivery note), as the agent parses it.
const orderEvent = `{"body":"{\"customer\":\"c-1029\",\"lines\":[{\"sku\":\"SKU-4417\",\"quantity\":3,\"gift\":false,\"note\":\"Please leave the parcel at the front desk if nobody answers; ring twice and wait a minute, the office is large. Deliveries after six go to the side entrance on the left, next to the bicycle racks. Thank you for packing the glasses carefully last time.\"}]}","cookies":["session=7f0c2a9e","theme=dark"],"headers":{"accept":"application/json","content-type":"application/json","host":"api.example.com","user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36","x-forwarded-for":"203.0.113.9","x-forwarded-proto":"https"},"isBase64Encoded":false,"queryStringParameters":{"expand":"items","page":"2"},"rawPath":"/orders","rawQueryString":"expand=items\u0026page=2","requestContext":{"accountId":"123456789012","apiId":"a1b2c3","domainName":"api.example.com","http":{"method":"POST","path":"/orders","protocol":"HTTP/1.1","sourceIp":"203.0.113.9","userAgent":"Mozilla/5.0"},"requestId":"rie-load","routeKey":"POST /orders","stage":"$default","time":"21/Nov/2026:23:00:00 +0000","timeEpoch":1795302000000},"rieAction":"","rieNonce":"load","routeKey":"POST /orders","version":"2.0"}`

// BenchmarkAllowedRecord is what the agent spends on the record of an
// allowed 1 KB event under Managed Instances load: holding it on the
// invocation's path, then building (scrubbing headers and query,
// pseudonymising the source), encoding and writing it in a batch of
// DeferredBatch after the response.
//
//	go test ./agent/telemetry -run '^$' -bench BenchmarkAllowedRecord -benchmem
func BenchmarkAllowedRecord(b *testing.B) {
	req, err := event.Parse([]byte(orderEvent))
	if err != nil {
		b.Fatal(err)
	}
	m := NewMetrics(discard{}, "orders", time.Hour)
	r := NewRecorder(discard{}, agentkey.Static(testKey), Config{SampleAllowed: 1, Metrics: m, Deferred: true})
	b.Cleanup(func() { _ = r.Close(context.Background()) })
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		d := &policy.Decision{RequestID: "req-" + strconv.Itoa(i), Trigger: event.APIGatewayHTTP, Method: "POST", Route: "POST /orders",
			Mode: policy.ModeBlock, Outcome: policy.Allow, Duration: 52 * time.Microsecond, Config: "defaults"}
		r.ObserveRequest(context.Background(), d, req)
		if i%DeferredBatch == 0 {
			r.WriteDeferred()
		}
	}
}
