package lifecycle

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseTelemetryNamesInvocations(t *testing.T) {
	batch := `[{"time":"2026-12-06T20:00:00Z","type":"platform.start","record":{"requestId":"r-1","version":"$LATEST"}},` +
		`{"time":"2026-12-06T20:00:00Z","type":"platform.telemetrySubscription","record":{"name":"lambdawaf","state":"Subscribed"}}]`
	evs, err := ParseTelemetry(strings.NewReader(batch))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != PlatformStart || evs[0].RequestID() != "r-1" || evs[1].RequestID() != "" {
		t.Fatalf("events = %+v", evs)
	}
	if _, err := ParseTelemetry(strings.NewReader(`{"not":"a batch"}`)); err == nil {
		t.Error("an object is not a batch: want an error")
	}
}

// The subscription asks for platform events at the destination, with the
// extension's identifier, and falls back to the older schema version when
// the newer one is refused.
func TestSubscribePlatformFallsBackToTheOlderSchema(t *testing.T) {
	var schemas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || r.URL.Path != "/"+TelemetryVersion+"/telemetry" || r.Header.Get(HeaderIdentifier) != "ext-1" {
			http.Error(w, "wrong request "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var req struct {
			SchemaVersion string            `json:"schemaVersion"`
			Types         []string          `json:"types"`
			Destination   map[string]string `json:"destination"`
		}
		if err := json.Unmarshal(b, &req); err != nil || req.Types[0] != "platform" || req.Destination["URI"] != "http://sandbox.localdomain:1234/platform" {
			http.Error(w, "bad body "+string(b), http.StatusTeapot)
			return
		}
		schemas = append(schemas, req.SchemaVersion)
		if req.SchemaVersion != "2022-12-13" {
			http.Error(w, `{"errorType":"ValidationError"}`, http.StatusBadRequest)
			return
		}
		io.WriteString(w, `"OK"`)
	}))
	defer srv.Close()
	c, err := NewClient(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	c.id = "ext-1"
	if err := c.SubscribePlatform(t.Context(), "http://sandbox.localdomain:1234/platform"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(schemas, ",") != "2025-01-29,2022-12-13" {
		t.Errorf("schemas tried = %v", schemas)
	}
}
