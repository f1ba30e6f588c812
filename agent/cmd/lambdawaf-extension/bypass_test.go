package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// Under Managed Instances the Telemetry API's platform.start is what names
// each invocation: one the proxy never fetched is reported after the
// grace period; a batch is answered before its events are looked at.
func TestTelemetryBatchesFeedBypassDetection(t *testing.T) {
	p, err := proxy.New("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		batch      string
		wantStatus int
		wantLog    string
	}{
		{
			name:       "an invocation the proxy never fetched",
			batch:      `[{"time":"2026-12-06T20:00:00Z","type":"platform.start","record":{"requestId":"r-unseen","version":"$LATEST"}}]`,
			wantStatus: http.StatusOK,
			wantLog:    "LAMBDAWAF IS BEING BYPASSED",
		},
		{
			name:       "events that name no invocation",
			batch:      `[{"time":"2026-12-06T20:00:00Z","type":"platform.telemetrySubscription","record":{"name":"lambdawaf"}}]`,
			wantStatus: http.StatusOK,
		},
		{
			name:       "not a batch",
			batch:      `{"not":"a batch"}`,
			wantStatus: http.StatusOK,
			wantLog:    "telemetry batch is not a list of events",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			log := zerolog.New(logs)
			watch := &bypassWatch{proxy: p, grace: 10 * time.Millisecond, log: log}
			rec := httptest.NewRecorder()
			telemetryHandler(watch, log).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/platform", strings.NewReader(tt.batch)))
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			deadline := time.Now().Add(2 * time.Second)
			for tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(30 * time.Millisecond) // past the grace: nothing else is reported
			got := logs.String()
			if tt.wantLog != "" && !strings.Contains(got, tt.wantLog) {
				t.Errorf("log lacks %q:\n%s", tt.wantLog, got)
			}
			if tt.wantLog == "" && got != "" {
				t.Errorf("unexpected log:\n%s", got)
			}
		})
	}
}
