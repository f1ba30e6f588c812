package proxy

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// answerLog records WithAnswered calls.
type answerLog struct {
	mu  sync.Mutex
	ids []string
}

func (a *answerLog) add(id string) { a.mu.Lock(); a.ids = append(a.ids, id); a.mu.Unlock() }
func (a *answerLog) has(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, have := range a.ids {
		if have == id {
			return true
		}
	}
	return false
}

// wait reports whether id is reported within 5 s: the report follows the
// upstream's answer, which the runtime may see first.
func (a *answerLog) wait(id string) bool {
	deadline := time.Now().Add(5 * time.Second)
	for !a.has(id) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func TestAnsweredIsCalledOnceTheInvocationIsAnsweredUpstream(t *testing.T) {
	var got answerLog
	h := newHarness(t, WithInspector(blockOn("attack")), WithAnswered(got.add))
	h.api.events <- fakeEvent{id: "blocked", payload: []byte(`attack`)}
	h.api.events <- fakeEvent{id: "handled", payload: []byte(`ok`)}
	resp, _ := h.next(t)
	if resp.Header.Get(headerRequestID) != "handled" {
		t.Fatal("runtime did not get the benign event")
	}
	h.api.waitFor(t, pathPrefix+"blocked/response")
	if !got.wait("blocked") {
		t.Error("a block posted by the proxy was not reported")
	}
	if got.has("handled") {
		t.Fatal("an invocation was reported answered before its response was posted")
	}
	h.postResponse(t, "handled", []byte(`{"ok":true}`), nil)
	if !got.wait("handled") {
		t.Error("the handler's response was not reported")
	}

	h.api.events <- fakeEvent{id: "failed", payload: []byte(`ok`)}
	h.next(t)
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+"failed/error"), nil)
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !got.wait("failed") {
		t.Error("the handler's error was not reported")
	}
}
