package telemetry

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// A header value is scrubbed the same whether or not an earlier record
// brought it, and only values that scrub to themselves are remembered:
// a value holding this request's secret, a credential or personal data
// is scrubbed every time.
func TestHeaderValuesScrubTheSameWhenRemembered(t *testing.T) {
	const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"
	for _, tc := range []struct {
		name       string
		value      string
		cookie     string // the request's secret
		want       string
		remembered bool
	}{
		{"clean value", ua, "", ua, true},
		{"clean value, another request's cookie", ua, "s3cr3t-cookie-value", ua, true},
		{"the request's secret inside", "agent s3cr3t-cookie-value", "s3cr3t-cookie-value", "agent [redacted]", false},
		{"a credential", "sqlmap/1.7 " + plantedAWSKey, "", "", false},
		{"an e-mail address", "bot (" + plantedUser + ")", "", "bot ([email])", false},
		{"a control character", "evil\nline", "", "evil�line", false},
		{"longer than a record keeps", strings.Repeat("a", maxHeaderValue+10), "", strings.Repeat("a", maxHeaderValue) + "…", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			red := NewRedactor(nil)
			req := &event.Request{Headers: map[string][]string{"user-agent": {tc.value}}}
			if tc.cookie != "" {
				req.Cookies = map[string][]string{"session": {tc.cookie}}
			}
			var got []string
			for range 3 {
				got = append(got, red.ForRequest(req).Headers(req.Headers)["user-agent"])
			}
			for i, g := range got {
				if tc.want != "" && g != tc.want || g != red.ForRequest(req).Text(tc.value, maxHeaderValue) {
					t.Errorf("record %d: %q, want %q (Text says %q)", i, g, tc.want, red.ForRequest(req).Text(tc.value, maxHeaderValue))
				}
				if strings.Contains(g, plantedAWSKey) || strings.Contains(g, plantedUser) {
					t.Errorf("record %d leaks: %q", i, g)
				}
			}
			if has := red.clean.has(tc.value); has != tc.remembered {
				t.Errorf("remembered: %v, want %v", has, tc.remembered)
			}
		})
	}
}

// A value remembered as clean is still masked in the record of a request
// for which it is a secret.
func TestRememberedHeaderValueIsMaskedWhereItIsASecret(t *testing.T) {
	red := NewRedactor(nil)
	const v = "tenant-7f0c2a9e"
	clean := &event.Request{Headers: map[string][]string{"host": {v}}}
	if got := red.ForRequest(clean).Headers(clean.Headers)["host"]; got != v {
		t.Fatalf("host %q, want %q", got, v)
	}
	secret := &event.Request{Headers: map[string][]string{"host": {v}}, Cookies: map[string][]string{"t": {v}}}
	if got := red.ForRequest(secret).Headers(secret.Headers)["host"]; got != "[redacted]" {
		t.Errorf("host %q where it is the request's cookie, want [redacted]", got)
	}
}

// Consecutive batches reuse the recorder's buffers; every line of every
// batch is written whole and in order.
func TestDeferredBatchesAreWrittenWholeOneAfterAnother(t *testing.T) {
	var out writeCounter
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{Deferred: true, SampleAllowed: 1, DeferredDelay: time.Hour})
	const batches = 4
	for b := range batches {
		for i := range DeferredBatch {
			r.ObserveRequest(context.Background(), allowDecision("req-"+strconv.Itoa(b*DeferredBatch+i)), plantedRequest())
		}
		r.WriteDeferred()
	}
	lines := out.Lines()
	if len(lines) != batches*DeferredBatch || out.writes.Load() != batches {
		t.Fatalf("%d lines in %d writes, want %d in %d", len(lines), out.writes.Load(), batches*DeferredBatch, batches)
	}
	for i, l := range lines {
		if rec := decode(t, l); rec["request_id"] != "req-"+strconv.Itoa(i) || rec["kind"] != KindDecision {
			t.Fatalf("line %d: %v", i, rec)
		}
	}
}
