package background

import (
	"context"
	"sync"
)

// maxAnswers bounds how many answered invocations nobody waited for are
// remembered.
const maxAnswers = 256

// Answers tells the lifecycle loop when an invocation's response has been
// posted upstream, so background work starts only once the caller has its
// answer. The proxy reports every answer (the handler's response or error,
// or a block the agent posted itself) with Answered; the loop waits with
// Wait. Either may come first. It is safe for concurrent use.
type Answers struct {
	mu    sync.Mutex
	chans map[string]chan struct{}
	order []string // ids in insertion order, to forget the oldest
}

// NewAnswers returns an empty Answers.
func NewAnswers() *Answers {
	return &Answers{chans: make(map[string]chan struct{})}
}

// Answered records that the invocation requestID has been answered. It
// never blocks.
func (a *Answers) Answered(requestID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ch, ok := a.chans[requestID]
	if !ok {
		ch = a.add(requestID)
	}
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// Wait blocks until requestID has been answered (true) or ctx is done
// (false). Callers bound ctx: an invocation the agent never sees (the
// runtime bypasses it) is never answered here.
func (a *Answers) Wait(ctx context.Context, requestID string) bool {
	a.mu.Lock()
	ch, ok := a.chans[requestID]
	if !ok {
		ch = a.add(requestID)
	}
	a.mu.Unlock()
	select {
	case <-ch:
		a.forget(requestID)
		return true
	case <-ctx.Done():
		a.forget(requestID)
		return false
	}
}

// add creates the channel for id, forgetting the oldest beyond maxAnswers.
// a.mu is held.
func (a *Answers) add(id string) chan struct{} {
	ch := make(chan struct{})
	a.chans[id] = ch
	a.order = append(a.order, id)
	for len(a.order) > maxAnswers {
		delete(a.chans, a.order[0])
		a.order = a.order[1:]
	}
	return ch
}

func (a *Answers) forget(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.chans, id)
	for i, have := range a.order {
		if have == id {
			a.order = append(a.order[:i], a.order[i+1:]...)
			break
		}
	}
}
