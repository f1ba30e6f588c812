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
// has been posted, never while an event is on its way to the runtime.
func TestAnsweredRunsOnceEachAnswerIsOut(t *testing.T) {
	var calls atomic.Int32
	h := newHarness(t, WithInspector(blockOn("attack")), WithAnswered(func(string) { calls.Add(1) }))

	h.api.events <- fakeEvent{id: "bad", payload: []byte(`{"q":"attack"}`)}
	h.api.events <- fakeEvent{id: "good", payload: []byte(`{"q":"hello"}`)}
	resp, _ := h.next(t)
	if resp.Header.Get(headerRequestID) != "good" {
		t.Fatalf("runtime got %s, want good", resp.Header.Get(headerRequestID))
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("after the block and before the response: %d calls, want 1 (the block)", got)
	}
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
