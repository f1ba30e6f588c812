package telemetry

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fakeFirehose speaks the Firehose JSON protocol for PutRecordBatch.
type fakeFirehose struct {
	t *testing.T
	// answer decides per call: failIdx lists records to fail; status/err
	// replace the whole answer; delay stalls it.
	answer func(call int, n int) (status int, body string, failIdx map[int]bool, delay time.Duration)

	mu      sync.Mutex
	calls   int
	batches [][]string
	stored  []string
}

func (f *fakeFirehose) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("X-Amz-Target"); got != "Firehose_20150804.PutRecordBatch" {
		f.t.Errorf("X-Amz-Target = %q", got)
	}
	var in struct {
		DeliveryStreamName string
		Records            []struct{ Data string }
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("decode: %v", err)
	}
	if in.DeliveryStreamName != "waf-records" {
		f.t.Errorf("stream = %q", in.DeliveryStreamName)
	}
	if len(in.Records) > MaxBatchRecords {
		f.t.Errorf("batch of %d records", len(in.Records))
	}
	var recs []string
	size := 0
	for _, rec := range in.Records {
		b, _ := base64.StdEncoding.DecodeString(rec.Data)
		recs = append(recs, string(b))
		size += len(b)
	}
	if size > MaxBatchBytes {
		f.t.Errorf("batch of %d bytes", size)
	}
	f.mu.Lock()
	call := f.calls
	f.calls++
	f.batches = append(f.batches, recs)
	f.mu.Unlock()
	status, body, failIdx, delay := 200, "", map[int]bool(nil), time.Duration(0)
	if f.answer != nil {
		status, body, failIdx, delay = f.answer(call, len(recs))
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if status != 200 {
		w.WriteHeader(status)
		w.Write([]byte(body))
		return
	}
	var resps []string
	for i, rec := range recs {
		if failIdx[i] {
			resps = append(resps, `{"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."}`)
			continue
		}
		f.mu.Lock()
		f.stored = append(f.stored, rec)
		f.mu.Unlock()
		resps = append(resps, fmt.Sprintf(`{"RecordId":"r%d"}`, i))
	}
	fmt.Fprintf(w, `{"Encrypted":false,"FailedPutCount":%d,"RequestResponses":[%s]}`, len(failIdx), strings.Join(resps, ","))
}

func (f *fakeFirehose) batchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.batches)
}

func (f *fakeFirehose) storedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.stored)
}

func firehoseClient(t *testing.T, url string) *FirehoseClient {
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	c, err := NewFirehoseClient(context.Background(), func(o *FirehoseClientOptions) { o.Endpoint = url })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startShipper(t *testing.T, fake *fakeFirehose, opts ShipperOptions) (*Shipper, *httptest.Server) {
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	opts.Stream = "waf-records"
	opts.Client = firehoseClient(t, srv.URL)
	opts.Logger = zerolog.New(capture(&syncBuffer{}))
	s := NewShipper(opts)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go s.Run(ctx)
	return s, srv
}

func line(i int) []byte { return []byte(fmt.Sprintf(`{"kind":"decision","request_id":"r%d"}`+"\n", i)) }

func TestShipperBatches(t *testing.T) {
	fake := &fakeFirehose{t: t}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Hour})
	for i := range 1200 {
		s.Ship(line(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if fake.storedCount() != 1200 || s.Sent() != 1200 || s.Dropped() != 0 {
		t.Fatalf("stored %d, sent %d, dropped %d", fake.storedCount(), s.Sent(), s.Dropped())
	}
	if fake.batchCount() != 3 {
		t.Errorf("%d batches for 1200 records, want 3", fake.batchCount())
	}
}

func TestShipperBatchBytes(t *testing.T) {
	fake := &fakeFirehose{t: t}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Hour, QueueBytes: 16 << 20, CallTimeout: time.Minute})
	big := []byte(strings.Repeat("x", 300<<10) + "\n")
	for range 20 { // 6 MB: needs two batches
		s.Ship(big)
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fake.storedCount() != 20 || fake.batchCount() < 2 {
		t.Errorf("stored %d in %d batches", fake.storedCount(), fake.batchCount())
	}
}

func TestShipperPartialFailureRetriedOnce(t *testing.T) {
	fake := &fakeFirehose{t: t, answer: func(call, n int) (int, string, map[int]bool, time.Duration) {
		if call == 0 {
			return 200, "", map[int]bool{1: true, 3: true}, 0
		}
		return 200, "", nil, 0
	}}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Hour})
	for i := range 5 {
		s.Ship(line(i))
	}
	s.Flush(context.Background())
	fake.mu.Lock()
	batches := fake.batches
	fake.mu.Unlock()
	if fake.storedCount() != 5 || s.Dropped() != 0 || len(batches) != 2 || len(batches[1]) != 2 {
		t.Errorf("stored %d, dropped %d, batches %v", fake.storedCount(), s.Dropped(), batches)
	}
}

func TestShipperPersistentPartialFailureDropped(t *testing.T) {
	fake := &fakeFirehose{t: t, answer: func(call, n int) (int, string, map[int]bool, time.Duration) {
		return 200, "", map[int]bool{0: true}, 0
	}}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Hour})
	s.Ship(line(0))
	s.Ship(line(1))
	s.Flush(context.Background())
	if fake.storedCount() != 1 || s.Dropped() != 1 || fake.batchCount() != 2 {
		t.Errorf("stored %d, dropped %d, calls %d", fake.storedCount(), s.Dropped(), fake.batchCount())
	}
}

func TestShipperFailuresDropWithCount(t *testing.T) {
	tests := []struct {
		name   string
		answer func(int, int) (int, string, map[int]bool, time.Duration)
	}{
		{"throttled", func(int, int) (int, string, map[int]bool, time.Duration) {
			return 400, `{"__type":"ServiceUnavailableException","message":"Slow down."}`, nil, 0
		}},
		{"access denied", func(int, int) (int, string, map[int]bool, time.Duration) {
			return 400, `{"__type":"AccessDeniedException","message":"not authorized"}`, nil, 0
		}},
		{"hangs", func(int, int) (int, string, map[int]bool, time.Duration) { return 200, "", nil, 10 * time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var metricsOut syncBuffer
			m := NewMetrics(&metricsOut, "orders", time.Hour)
			s, _ := startShipper(t, &fakeFirehose{t: t, answer: tt.answer}, ShipperOptions{Interval: time.Hour, CallTimeout: 200 * time.Millisecond, Metrics: m})
			for i := range 10 {
				s.Ship(line(i))
			}
			start := time.Now()
			s.Flush(context.Background())
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("flush took %v", d)
			}
			if s.Dropped() != 10 || s.Sent() != 0 {
				t.Errorf("dropped %d, sent %d", s.Dropped(), s.Sent())
			}
			m.Flush()
			if !strings.Contains(metricsOut.String(), `"RecordsDropped":10`) {
				t.Errorf("metrics = %s", metricsOut.String())
			}
		})
	}
}

func TestShipperUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	s := NewShipper(ShipperOptions{Stream: "waf-records", Client: firehoseClient(t, url), Interval: time.Hour, Logger: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	s.Ship(line(1))
	s.Flush(context.Background())
	if s.Dropped() != 1 {
		t.Errorf("dropped %d", s.Dropped())
	}
}

// TestShipNeverBlocks fills the queue while Firehose hangs: Ship returns at
// once and counts what it cannot hold.
func TestShipNeverBlocks(t *testing.T) {
	fake := &fakeFirehose{t: t, answer: func(int, int) (int, string, map[int]bool, time.Duration) { return 200, "", nil, 5 * time.Second }}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Millisecond, QueueRecords: 10, CallTimeout: 5 * time.Second})
	start := time.Now()
	for i := range 2000 {
		s.Ship(line(i))
	}
	// Firehose hangs for 5 s per call; Ship must not wait for it.
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("2000 Ship calls took %v", d)
	}
	if s.Dropped() < 1000 {
		t.Errorf("dropped %d of 2000 with a 10-record queue", s.Dropped())
	}
}

// TestShutdownFlushWithinBudget sends the queue at SHUTDOWN with a 1.5 s
// budget while Firehose answers in 100 ms.
func TestShutdownFlushWithinBudget(t *testing.T) {
	fake := &fakeFirehose{t: t, answer: func(int, int) (int, string, map[int]bool, time.Duration) { return 200, "", nil, 100 * time.Millisecond }}
	s, _ := startShipper(t, fake, ShipperOptions{Interval: time.Hour})
	for i := range 1000 {
		s.Ship(line(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("flushed 1000 records in %v", time.Since(start))
	if fake.storedCount() != 1000 {
		t.Errorf("stored %d", fake.storedCount())
	}
}
