package background

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// clock is a settable clock for schedules.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a log sink safe for the runner's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestAddRejectsIncompleteTasks(t *testing.T) {
	run := func(context.Context) error { return nil }
	tests := []struct {
		name string
		task Task
		want string
	}{
		{"no name", Task{Interval: time.Second, Run: run}, "no name"},
		{"zero interval", Task{Name: "a", Run: run}, "not positive"},
		{"negative interval", Task{Name: "a", Interval: -time.Second, Run: run}, "not positive"},
		{"no run", Task{Name: "a", Interval: time.Second}, "no Run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := New(Options{}).Add(tt.task)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	r := New(Options{})
	if err := r.Add(Task{Name: "a", Interval: time.Second, Run: run}); err != nil {
		t.Fatal(err)
	}
	if err := r.Add(Task{Name: "a", Interval: time.Second, Run: run}); err == nil {
		t.Fatal("a second task with the same name was accepted")
	}
}

func TestRunDueRunsOnlyTasksWhoseIntervalPassed(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	r := New(Options{Now: c.now, Budget: time.Second})
	var fast, slow atomic.Int32
	must(t, r.Add(Task{Name: "fast", Interval: 100 * time.Millisecond, Run: func(context.Context) error { fast.Add(1); return nil }}))
	must(t, r.Add(Task{Name: "slow", Interval: time.Second, Run: func(context.Context) error { slow.Add(1); return nil }}))

	steps := []struct {
		advance            time.Duration
		wantFast, wantSlow int32
		wantStarted        int
	}{
		{0, 1, 1, 2},                      // both due at once
		{50 * time.Millisecond, 1, 1, 0},  // nothing due
		{50 * time.Millisecond, 2, 1, 1},  // fast due
		{900 * time.Millisecond, 3, 2, 2}, // both due; a long freeze runs each once, not once per missed interval
		{10 * time.Second, 4, 3, 2},
	}
	for i, s := range steps {
		c.advance(s.advance)
		started, unfinished := r.RunDue(context.Background())
		if started != s.wantStarted || unfinished != 0 {
			t.Errorf("step %d: started %d unfinished %d, want %d and 0", i, started, unfinished, s.wantStarted)
		}
		if fast.Load() != s.wantFast || slow.Load() != s.wantSlow {
			t.Errorf("step %d: runs fast=%d slow=%d, want %d %d", i, fast.Load(), slow.Load(), s.wantFast, s.wantSlow)
		}
	}
}

func TestRunDueReturnsWithinBudgetAndNeverStartsARunningTaskTwice(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	r := New(Options{Now: c.now, Budget: 20 * time.Millisecond})
	release := make(chan struct{})
	var runs atomic.Int32
	must(t, r.Add(Task{Name: "stuck", Interval: time.Millisecond, Run: func(ctx context.Context) error {
		runs.Add(1)
		<-release
		return nil
	}}))

	start := time.Now()
	started, unfinished := r.RunDue(context.Background())
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Fatalf("RunDue waited %v for a stuck task, budget 20ms", took)
	}
	if started != 1 || unfinished != 1 {
		t.Fatalf("started %d unfinished %d, want 1 and 1", started, unfinished)
	}
	c.advance(time.Second)
	if started, _ := r.RunDue(context.Background()); started != 0 {
		t.Fatalf("a task still running was started again")
	}
	close(release)
	waitFor(t, func() bool { return !r.Stats()[0].Running })
	c.advance(time.Second)
	if started, unfinished := r.RunDue(context.Background()); started != 1 || unfinished != 0 {
		t.Fatalf("after it returned: started %d unfinished %d, want 1 and 0", started, unfinished)
	}
	if s := r.Stats()[0]; s.Runs != 2 || s.Overruns != 1 {
		t.Fatalf("stats %+v, want 2 runs and 1 overrun", s)
	}
}

func TestRunDueStopsWaitingWhenContextEnds(t *testing.T) {
	r := New(Options{Budget: time.Minute})
	must(t, r.Add(Task{Name: "stuck", Interval: time.Second, Run: func(ctx context.Context) error {
		time.Sleep(2 * time.Second)
		return nil
	}}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, unfinished := r.RunDue(ctx); unfinished != 1 {
		t.Fatalf("unfinished %d, want 1", unfinished)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("RunDue outlived its context by %v", took)
	}
}

func TestFailingTasksAreLoggedAndContained(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	var logs syncBuffer
	r := New(Options{Now: c.now, Budget: time.Second, Logger: zerolog.New(&logs)})
	var fail atomic.Bool
	fail.Store(true)
	must(t, r.Add(Task{Name: "flaky", Interval: time.Second, Run: func(context.Context) error {
		if fail.Load() {
			return errors.New("table unreachable")
		}
		return nil
	}}))
	must(t, r.Add(Task{Name: "panics", Interval: time.Second, Run: func(context.Context) error { panic("boom") }}))

	for range 3 {
		r.RunDue(context.Background())
		c.advance(time.Second)
	}
	fail.Store(false)
	r.RunDue(context.Background())

	out := logs.String()
	// Three failures of each log at 1 and 2 consecutive failures only.
	if n := strings.Count(out, `"task":"flaky"`) - strings.Count(out, "recovered"); n != 2 {
		t.Errorf("flaky logged %d failure lines, want 2 (1st and 2nd of 3):\n%s", n, out)
	}
	if !strings.Contains(out, `"after_failures":3`) || !strings.Contains(out, "background task recovered") {
		t.Errorf("recovery not logged:\n%s", out)
	}
	if !strings.Contains(out, "panic: boom") {
		t.Errorf("panic not logged:\n%s", out)
	}
	for _, s := range r.Stats() {
		if s.Runs != 4 {
			t.Errorf("%s ran %d times, want 4", s.Name, s.Runs)
		}
	}
}

func TestTaskContextEndsAtItsTimeout(t *testing.T) {
	r := New(Options{Budget: time.Second})
	got := make(chan error, 1)
	must(t, r.Add(Task{Name: "t", Interval: time.Hour, Timeout: 10 * time.Millisecond, Run: func(ctx context.Context) error {
		<-ctx.Done()
		got <- ctx.Err()
		return ctx.Err()
	}}))
	r.RunDue(context.Background())
	select {
	case err := <-got:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("task context ended with %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("task context never ended")
	}
}

func TestLoopRunsTasksFromATimer(t *testing.T) {
	r := New(Options{})
	var runs atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Loop(ctx); close(done) }()
	// Added after Loop started: the loop wakes for it.
	must(t, r.Add(Task{Name: "tick", Interval: 10 * time.Millisecond, Run: func(context.Context) error { runs.Add(1); return nil }}))
	waitFor(t, func() bool { return runs.Load() >= 5 })
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Loop did not return after its context ended")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
