package proxy

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// eventually polls cond for up to 2 s: after-response work runs once the
// runtime has its answer, so a test sees the answer first.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// The after-response work (writing decision records) runs once the
// runtime's response or error has been relayed and once a block response
// has been posted, once for each.
func TestAnsweredRunsOnceEachAnswerIsOut(t *testing.T) {
	var calls atomic.Int32
	h := newHarness(t, WithInspector(blockOn("attack")), WithAnswered(func(string) { calls.Add(1) }))

	h.api.events <- fakeEvent{id: "bad", payload: []byte(`{"q":"attack"}`)}
	h.api.events <- fakeEvent{id: "good", payload: []byte(`{"q":"hello"}`)}
	resp, _ := h.next(t)
	if resp.Header.Get(headerRequestID) != "good" {
		t.Fatalf("runtime got %s, want good", resp.Header.Get(headerRequestID))
	}
	eventually(t, "1 call after the block, before the response", func() bool { return calls.Load() == 1 })
	if r := h.postResponse(t, "good", []byte(`{"ok":true}`), nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("response status %d", r.StatusCode)
	}
	eventually(t, "2 calls after the response", func() bool { return calls.Load() == 2 })
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+"other/error"), nil)
	r, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	eventually(t, "3 calls after an error post", func() bool { return calls.Load() == 3 })
}

// The after-response function runs once the answer is out: when it runs
// for a response, upstream has that response already.
func TestAnsweredRunsOnceTheAnswerIsUpstream(t *testing.T) {
	var h *harness
	var sawResponse atomic.Bool
	h = newHarness(t, WithAnswered(func(id string) {
		h.api.mu.Lock()
		defer h.api.mu.Unlock()
		for _, g := range h.api.got {
			if g.path == pathPrefix+id+"/response" {
				sawResponse.Store(true)
			}
		}
	}))
	h.api.events <- fakeEvent{id: "first", payload: []byte(`{}`)}
	h.next(t)
	if r := h.postResponse(t, "first", []byte(`{"ok":true}`), nil); r.StatusCode != http.StatusAccepted {
		t.Fatalf("response status %d", r.StatusCode)
	}
	eventually(t, "the answered function saw the response upstream", sawResponse.Load)
}
