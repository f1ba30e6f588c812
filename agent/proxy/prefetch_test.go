package proxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitNexts waits until the fake upstream has received n next calls.
func waitNexts(t *testing.T, api *fakeAPI, n int32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for api.nexts.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("upstream got %d next calls, want %d", api.nexts.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// With prefetching (Managed Instances), the proxy calls next upstream as
// soon as a worker's response is relayed, before the worker itself calls
// next again, and hands the event over when it does.
func TestPrefetchOpensTheSlotWhenTheResponseIsRelayed(t *testing.T) {
	h := newHarness(t, WithPrefetch(1), WithInspector(blockOn("attack")))
	h.api.events <- fakeEvent{id: "a", payload: []byte(`{"n":1}`)}
	resp, body := h.next(t)
	if id := resp.Header.Get(headerRequestID); id != "a" || string(body) != `{"n":1}` {
		t.Fatalf("runtime got %s %q", id, body)
	}
	if r := h.postResponse(t, "a", []byte(`{}`), nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("response status %d", r.StatusCode)
	}
	// The worker has not called next yet; the proxy has, for it.
	waitNexts(t, h.api, 2)
	h.api.events <- fakeEvent{id: "blocked", payload: []byte(`{"q":"attack"}`)}
	h.api.events <- fakeEvent{id: "b", payload: []byte(`{"n":2}`)}
	resp, body = h.next(t)
	if id := resp.Header.Get(headerRequestID); id != "b" || string(body) != `{"n":2}` {
		t.Fatalf("runtime got %s %q, want b (the blocked one answered upstream)", id, body)
	}
	if rec := h.api.waitFor(t, pathPrefix+"blocked/response"); string(rec.body) != `{"statusCode":403,"body":"blocked"}` {
		t.Errorf("block response %q", rec.body)
	}
	// One worker: no further next while b is in the handler.
	time.Sleep(20 * time.Millisecond)
	if n := h.api.nexts.Load(); n != 3 {
		t.Errorf("upstream got %d next calls with one worker busy, want 3", n)
	}
}

// The slot opens as soon as the response starts to arrive: the next is
// upstream while the response's body is still on its way through the
// proxy, as a runtime calling the platform directly could not have it.
func TestPrefetchOpensTheSlotWhileTheResponseIsRelayed(t *testing.T) {
	h := newHarness(t, WithPrefetch(1))
	h.api.events <- fakeEvent{id: "a", payload: []byte(`{}`)}
	h.next(t)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+"a/response"), pr)
	done := make(chan *http.Response, 1)
	go func() {
		r, err := h.client.Do(req)
		if err != nil {
			t.Error(err)
			close(done)
			return
		}
		r.Body.Close()
		done <- r
	}()
	pw.Write([]byte(`{"half":`))
	waitNexts(t, h.api, 2) // before the body has ended
	pw.Write([]byte(`1}`))
	pw.Close()
	if r := <-done; r == nil || r.StatusCode != http.StatusAccepted {
		t.Fatalf("response relay: %v", r)
	}
	if rec := h.api.waitFor(t, pathPrefix+"a/response"); string(rec.body) != `{"half":1}` {
		t.Errorf("relayed %q", rec.body)
	}
	// the worker comes back: the next already upstream is its, no other
	h.api.events <- fakeEvent{id: "b", payload: []byte(`{}`)}
	if resp, _ := h.next(t); resp.Header.Get(headerRequestID) != "b" {
		t.Fatalf("worker got %q, want b", resp.Header.Get(headerRequestID))
	}
	time.Sleep(20 * time.Millisecond)
	if n := h.api.nexts.Load(); n != 2 {
		t.Errorf("upstream got %d nexts with the one worker busy, want 2", n)
	}
}

// The proxy never holds more invocations than there are workers: with
// two workers both in their handlers, nothing is fetched ahead.
func TestPrefetchHoldsAtMostOneInvocationPerWorker(t *testing.T) {
	h := newHarness(t, WithPrefetch(2))
	h.api.events <- fakeEvent{id: "a", payload: []byte(`{}`)}
	h.api.events <- fakeEvent{id: "b", payload: []byte(`{}`)}
	got := make(chan string, 2)
	for range 2 {
		go func() {
			resp, _ := h.next(t)
			got <- resp.Header.Get(headerRequestID)
		}()
	}
	ids := map[string]bool{<-got: true, <-got: true}
	if !ids["a"] || !ids["b"] {
		t.Fatalf("workers got %v, want a and b", ids)
	}
	time.Sleep(20 * time.Millisecond)
	if n := h.api.nexts.Load(); n != 2 {
		t.Fatalf("upstream got %d nexts with both workers busy, want 2", n)
	}
	h.postResponse(t, "a", []byte(`{}`), nil)
	waitNexts(t, h.api, 3)
	time.Sleep(20 * time.Millisecond)
	if n := h.api.nexts.Load(); n != 3 {
		t.Fatalf("upstream got %d nexts after one response, want 3", n)
	}
	// An error post opens the other slot the same way.
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+"b/error"), nil)
	r, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	waitNexts(t, h.api, 4)
}

// At Close, an event fetched ahead that no worker took is failed upstream
// rather than left to time out.
func TestPrefetchedEventFailedAtClose(t *testing.T) {
	h := newHarness(t, WithPrefetch(1))
	h.api.events <- fakeEvent{id: "a", payload: []byte(`{}`)}
	h.next(t)
	h.postResponse(t, "a", []byte(`{}`), nil)
	h.api.events <- fakeEvent{id: "orphan", payload: []byte(`{}`)}
	// Wait until the orphan has been fetched ahead and queued.
	deadline := time.Now().Add(5 * time.Second)
	for h.proxy.Stats().Fetched < 2 {
		if time.Now().After(deadline) {
			t.Fatal("orphan never fetched")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	h.proxy.Close()
	h.api.waitFor(t, pathPrefix+"orphan/error")
}

// goroutineID is the running goroutine's number, from its stack header
// ("goroutine 42 [running]:").
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf))
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// Events fetched ahead are inspected on fetcher goroutines that live as
// long as the proxy, never more of them than workers: a goroutine per
// event would grow a new stack for every inspection.
func TestPrefetchInspectsOnAtMostOneGoroutinePerWorker(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workers int
		rounds  int
	}{
		{"one worker", 1, 12},
		{"three workers", 3, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]bool{}
			in := InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
				mu.Lock()
				seen[goroutineID()] = true
				mu.Unlock()
				return Verdict{}, nil
			})
			h := newHarness(t, WithPrefetch(tc.workers), WithInspector(in))
			total := tc.workers * tc.rounds
			go func() {
				for i := range total {
					h.api.events <- fakeEvent{id: fmt.Sprintf("e%d", i), payload: []byte(`{}`)}
				}
			}()
			var wg sync.WaitGroup
			for range tc.workers {
				wg.Go(func() {
					for range tc.rounds {
						resp, _ := h.next(t)
						h.postResponse(t, resp.Header.Get(headerRequestID), []byte(`{}`), nil)
					}
				})
			}
			wg.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(seen) == 0 || len(seen) > tc.workers {
				t.Errorf("%d events inspected on %d goroutines, want 1 to %d", total, len(seen), tc.workers)
			}
		})
	}
}
