package gateway

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// fakeEnv is an environment that takes a while per invocation and checks
// it is never used by two invocations at once.
type fakeEnv struct {
	slot   int
	busy   atomic.Bool
	delay  time.Duration
	closed atomic.Bool
}

func (e *fakeEnv) Invoke(ctx context.Context, ev []byte) (*Result, error) {
	if !e.busy.CompareAndSwap(false, true) {
		return nil, errors.New("environment used concurrently")
	}
	defer e.busy.Store(false)
	time.Sleep(e.delay)
	return &Result{Payload: fmt.Appendf(nil, `{"slot":%d,"echo":%s}`, e.slot, ev)}, nil
}

func (e *fakeEnv) Close(context.Context) error { e.closed.Store(true); return nil }

func TestPoolScalesUpToMaxAndReusesEnvironments(t *testing.T) {
	var mu sync.Mutex
	started := map[int]int{}
	p := &Pool{
		Max:          4,
		QueueTimeout: 5 * time.Second,
		New: func(ctx context.Context, slot int) (Environment, error) {
			mu.Lock()
			started[slot]++
			mu.Unlock()
			return &fakeEnv{slot: slot, delay: 5 * time.Millisecond}, nil
		},
	}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := range 40 {
		wg.Go(func() {
			res, err := p.Invoke(t.Context(), fmt.Appendf(nil, "%d", i))
			if err != nil || len(res.Payload) == 0 {
				failures.Add(1)
			}
		})
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d invocations failed", failures.Load())
	}
	if p.Size() > 4 || p.Size() == 0 {
		t.Fatalf("pool size %d", p.Size())
	}
	for slot, n := range started {
		if slot < 0 || slot >= 4 || n != 1 {
			t.Errorf("slot %d started %d times", slot, n)
		}
	}
	if err := p.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if p.Size() != 0 {
		t.Errorf("size after close %d", p.Size())
	}
}

func TestPoolThrottlesBeyondTheBound(t *testing.T) {
	release := make(chan struct{})
	p := &Pool{
		Max:          1,
		QueueTimeout: 20 * time.Millisecond,
		New: func(ctx context.Context, slot int) (Environment, error) {
			return &blockingEnv{release: release}, nil
		},
	}
	done := make(chan error, 1)
	go func() { _, err := p.Invoke(t.Context(), nil); done <- err }()
	time.Sleep(10 * time.Millisecond) // let the first invocation take the environment
	start := time.Now()
	_, err := p.Invoke(t.Context(), nil)
	if !errors.Is(err, ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	if waited := time.Since(start); waited < 15*time.Millisecond {
		t.Errorf("throttled after %v, before the queue timeout", waited)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPoolFreesTheSlotWhenStartFails(t *testing.T) {
	calls := 0
	p := &Pool{Max: 1, New: func(ctx context.Context, slot int) (Environment, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("init failed")
		}
		return &fakeEnv{slot: slot}, nil
	}}
	if _, err := p.Invoke(t.Context(), []byte("1")); err == nil {
		t.Fatal("first invoke succeeded")
	}
	if _, err := p.Invoke(t.Context(), []byte("1")); err != nil {
		t.Fatalf("second invoke: %v", err)
	}
}

type blockingEnv struct{ release chan struct{} }

func (e *blockingEnv) Invoke(ctx context.Context, ev []byte) (*Result, error) {
	<-e.release
	return &Result{Payload: []byte("{}")}, nil
}

func (e *blockingEnv) Close(context.Context) error { return nil }

type readyEnv struct {
	fakeEnv
	ready error
}

func (e *readyEnv) WaitReady(context.Context) error { return e.ready }

func TestPoolWarm(t *testing.T) {
	p := &Pool{Max: 3, New: func(ctx context.Context, slot int) (Environment, error) {
		return &readyEnv{fakeEnv: fakeEnv{slot: slot}}, nil
	}}
	if err := p.Warm(t.Context(), 5); err != nil {
		t.Fatal(err)
	}
	if p.Size() != 3 {
		t.Fatalf("warmed %d environments, want 3 (the bound)", p.Size())
	}
	// Warm environments are idle: three invocations at once need no new ones.
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := p.Invoke(t.Context(), []byte("1")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p.Size() != 3 {
		t.Errorf("size %d after invocations", p.Size())
	}

	broken := &Pool{Max: 1, New: func(ctx context.Context, slot int) (Environment, error) {
		return &readyEnv{ready: errors.New("init failed: Runtime.ExitError")}, nil
	}}
	if err := broken.Warm(t.Context(), 1); err == nil || !strings.Contains(err.Error(), "Runtime.ExitError") {
		t.Errorf("Warm of a broken function: %v", err)
	}
}

// TestPoolRecycleReplacesEnvironments: after Recycle, idle environments are
// closed at once, a busy one when its invocation ends, and the next
// invocations run in new environments.
func TestPoolRecycleReplacesEnvironments(t *testing.T) {
	var mu sync.Mutex
	var started []*fakeEnv
	p := &Pool{Max: 2, QueueTimeout: time.Second, New: func(_ context.Context, slot int) (Environment, error) {
		e := &fakeEnv{slot: slot, delay: 100 * time.Millisecond}
		mu.Lock()
		started = append(started, e)
		mu.Unlock()
		return e, nil
	}}
	defer p.Close(context.Background())
	if err := p.Warm(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	idle := started[0]
	// Keep the warm environment busy during Recycle.
	busyDone := make(chan error, 1)
	go func() {
		_, err := p.Invoke(context.Background(), []byte(`{}`))
		busyDone <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := p.Recycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if idle.closed.Load() {
		t.Fatal("the busy environment was closed under its invocation")
	}
	if err := <-busyDone; err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Second); !idle.closed.Load() && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
	}
	if !idle.closed.Load() {
		t.Error("the recycled environment was not closed once free")
	}
	if _, err := p.Invoke(context.Background(), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	n := len(started)
	mu.Unlock()
	if n != 2 || started[1].closed.Load() {
		t.Errorf("after Recycle: %d environments started (want a fresh second), second closed %v", n, n == 2 && started[1].closed.Load())
	}
	if p.Size() != 1 {
		t.Errorf("Size = %d, want 1 (the fresh one)", p.Size())
	}
}
