package lifecycle

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestPlatformStartsNamesTheInvocationsStarted(t *testing.T) {
	const report = `{"time":"2026-12-06T20:00:01Z","type":"platform.report","record":{"requestId":"r-1","metrics":{"durationMs":1.5,"billedDurationMs":2},"spans":[{"name":"responseLatency","durationMs":0.5}],"status":"success"}}`
	for _, tc := range []struct {
		name  string
		batch string
		want  []string
	}{
		{"starts among other events", `[{"time":"2026-12-06T20:00:00Z","type":"platform.start","record":{"requestId":"r-1","version":"$LATEST"}},` +
			report + `,{"time":"2026-12-06T20:00:00Z","type":"platform.telemetrySubscription","record":{"name":"lambdawaf","state":"Subscribed"}},` +
			`{"record":{"tracing":{"type":"X-Amzn-Trace-Id"},"requestId":"r-2"},"type":"platform.start","time":"2026-12-06T20:00:02Z"}]`, []string{"r-1", "r-2"}},
		{"empty batch", `[]`, nil},
		{"no start", `[` + report + `]`, nil},
		{"names as encoding/json matches them", `[{"Type":"platform.start","RECORD":{"RequestID":"r-3"}}]`, []string{"r-3"}},
		{"escapes", `[{"ty\u0070e":"platform\u002estart","record":{"requestId":"r\/4"}}]`, []string{"r/4"}},
		{"the last of a repeated member", `[{"type":"platform.report","type":"platform.start","record":{"requestId":"a"},"record":{"requestId":"b"}}]`, []string{"b"}},
		{"a start without a request id", `[{"type":"platform.start","record":{}},{"type":"platform.start"}]`, nil},
		{"a type of another kind", `[{"type":["platform.start"],"record":{"requestId":"r-5"}},{"type":null,"record":{"requestId":"r-6"}}]`, nil},
		{"a record of another kind", `[{"type":"platform.start","record":"r-7"},{"type":"platform.start","record":{"requestId":7}}]`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlatformStarts([]byte(tc.batch))
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("PlatformStarts = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestPlatformStartsRefusesWhatIsNoBatch(t *testing.T) {
	for _, batch := range []string{
		`{"not":"a batch"}`,
		`[{"type":"platform.start","record":{"requestId":"r-1"}}`, // cut short
		`["platform.start"]`,
		`[{"type":"platform.start"}] []`,
		``,
	} {
		if ids, err := PlatformStarts([]byte(batch)); err == nil {
			t.Errorf("PlatformStarts(%q) = %q, want an error", batch, ids)
		}
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

// platformStartsByDecoding is the reading PlatformStarts replaces: the
// batch decoded with encoding/json.
func platformStartsByDecoding(batch []byte) ([]string, error) {
	var evs []struct {
		Type   string
		Record json.RawMessage
	}
	if err := json.Unmarshal(batch, &evs); err != nil {
		return nil, err
	}
	var ids []string
	for _, ev := range evs {
		var r struct{ RequestID string }
		if ev.Type == PlatformStart && json.Unmarshal(ev.Record, &r) == nil && r.RequestID != "" {
			ids = append(ids, r.RequestID)
		}
	}
	return ids, nil
}

func FuzzPlatformStartsAgreesWithDecoding(f *testing.F) {
	f.Add(`[{"time":"t","type":"platform.start","record":{"requestId":"r-1","version":"$LATEST"}},{"type":"platform.report","record":{"requestId":"r-1","metrics":{"durationMs":1}}}]`)
	f.Add(`[{"Type":"platform.start","record":{"REQUESTID":"r-2"},"record":{"requestId":"r-3"}}]`)
	f.Add(`[{"type":"platform.start","record":null}]`)
	f.Fuzz(func(t *testing.T, batch string) {
		want, err := platformStartsByDecoding([]byte(batch))
		if err != nil {
			return // encoding/json refuses it; PlatformStarts may read more
		}
		got, err := PlatformStarts([]byte(batch))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("PlatformStarts(%q) = %q, %v; decoding gives %q", batch, got, err, want)
		}
	})
}

// BenchmarkPlatformStarts reads a batch of 16 invocations' platform
// events (start, runtimeDone, report), as AWS's emulator posts them under
// Managed Instances load; "decoding" is encoding/json's reading of it.
//
//	go test ./agent/lifecycle -run '^$' -bench BenchmarkPlatformStarts -benchmem
func BenchmarkPlatformStarts(b *testing.B) {
	var batch strings.Builder
	batch.WriteByte('[')
	for i := range 16 {
		if i > 0 {
			batch.WriteByte(',')
		}
		id := fmt.Sprintf("8f5c2f4e-1c2b-4d7e-9a51-%012d", i)
		fmt.Fprintf(&batch, `{"time":"2026-12-06T20:00:00.001Z","type":"platform.start","record":{"requestId":%q,"version":"$LATEST","tracing":{"spanId":"296ab04c3a0f7d13","type":"X-Amzn-Trace-Id","value":"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}}},`, id)
		fmt.Fprintf(&batch, `{"time":"2026-12-06T20:00:00.004Z","type":"platform.runtimeDone","record":{"requestId":%q,"status":"success","metrics":{"durationMs":2.5,"producedBytes":58},"spans":[{"name":"responseLatency","start":"2026-12-06T20:00:00.002Z","durationMs":1.2},{"name":"responseDuration","start":"2026-12-06T20:00:00.003Z","durationMs":0.1}]}},`, id)
		fmt.Fprintf(&batch, `{"time":"2026-12-06T20:00:00.005Z","type":"platform.report","record":{"requestId":%q,"status":"success","metrics":{"durationMs":3.1,"billedDurationMs":4,"memorySizeMB":2048,"maxMemoryUsedMB":64}}}`, id)
	}
	batch.WriteByte(']')
	data := []byte(batch.String())
	for _, tc := range []struct {
		name string
		read func([]byte) ([]string, error)
	}{{"scan", PlatformStarts}, {"decoding", platformStartsByDecoding}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if ids, err := tc.read(data); err != nil || len(ids) != 16 {
					b.Fatal(ids, err)
				}
			}
		})
	}
}
