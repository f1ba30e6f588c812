// Package background runs the agent's periodic work — syncing fleet-wide
// state, polling signed policy bundles — where it costs the caller no
// latency.
//
// Lambda freezes an execution environment between invocations, so no timer
// can be trusted to fire on time; what an extension may do is work after
// the invocation's response has been posted and before it calls the
// Extensions API's event/next again. That time is billed but the caller
// does not wait for it. A Runner holds the tasks; the agent's lifecycle
// loop calls RunDue in that window, which starts the tasks whose interval
// has passed and waits for them at most the Runner's budget. In Lambda
// Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY set) there are no INVOKE
// events and the environment is not frozen, so Loop runs the same tasks from
// a timer instead.
//
// Usage:
//
//	r := background.New(background.Options{Logger: log})
//	err := r.Add(background.Task{Name: "fleet-sync", Interval: 250 * time.Millisecond, Run: st.Sync})
//	...
//	// lifecycle loop, after the response of an invocation was posted:
//	r.RunDue(ctx)
//	// or, without INVOKE events:
//	go r.Loop(ctx)
//
// Nothing here is ever on the request path: RunDue and Loop run in the
// lifecycle goroutine or their own, never in an invocation's.
package background

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// DefaultBudget is how long RunDue waits for the tasks it started, unless
// Options.Budget says otherwise. It is billed time added to an invocation
// whose response is already out; a DynamoDB or S3 round trip from Lambda
// takes a few milliseconds.
const DefaultBudget = 100 * time.Millisecond

// DefaultTimeout bounds one run of a task whose Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Task is periodic background work.
type Task struct {
	// Name identifies the task in log lines. Required, unique per Runner.
	Name string
	// Interval is the least time between the starts of two runs. A frozen
	// environment stretches it: a task runs at the first window after its
	// interval has passed. Required, positive.
	Interval time.Duration
	// Timeout bounds one run: Run's context is cancelled after it
	// (DefaultTimeout when zero). It is independent of the Runner's
	// budget: a run that outlasts the budget goes on in the background
	// and the lifecycle loop does not wait for it.
	Timeout time.Duration
	// Run does the work. It is called from one goroutine at a time per
	// task (a run still going when the task is due again is not started
	// twice), never from an invocation's goroutine. An error or a panic
	// is logged and the task runs again at its next interval; it never
	// reaches an invocation.
	Run func(ctx context.Context) error
}

// Options configure a Runner.
type Options struct {
	// Budget is how long RunDue waits for the tasks it started
	// (DefaultBudget when zero).
	Budget time.Duration
	// Logger receives task errors, panics and overruns. The zero value
	// discards them.
	Logger zerolog.Logger
	// Now is the clock (time.Now when nil); tests set it.
	Now func() time.Time
}

// Runner holds background tasks and runs them when they are due. It is
// safe for concurrent use: tasks may be added while it runs.
type Runner struct {
	budget time.Duration
	log    zerolog.Logger
	now    func() time.Time

	mu    sync.Mutex
	tasks []*task
	wake  chan struct{} // nudges Loop when a task is added
}

// task is one Task with its schedule. Fields after mu are guarded by it.
type task struct {
	Task
	mu       sync.Mutex
	running  bool
	next     time.Time // when the task is due; zero: at once
	failures int       // consecutive failed runs
	runs     uint64
	errs     uint64
	overruns uint64
	lastDur  time.Duration
}

// New returns an empty Runner.
func New(opts Options) *Runner {
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Runner{budget: opts.Budget, log: opts.Logger, now: opts.Now, wake: make(chan struct{}, 1)}
}

// Budget returns how long RunDue waits for the tasks it starts.
func (r *Runner) Budget() time.Duration { return r.budget }

// Add registers a task; it is due at once. It returns an error for a task
// without a name, a positive interval or a Run function, or with the name
// of one already added.
func (r *Runner) Add(t Task) error {
	switch {
	case t.Name == "":
		return errors.New("background task: no name")
	case t.Interval <= 0:
		return fmt.Errorf("background task %q: interval %v is not positive", t.Name, t.Interval)
	case t.Run == nil:
		return fmt.Errorf("background task %q: no Run function", t.Name)
	}
	if t.Timeout <= 0 {
		t.Timeout = DefaultTimeout
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.tasks {
		if have.Name == t.Name {
			return fmt.Errorf("background task %q: already added", t.Name)
		}
	}
	r.tasks = append(r.tasks, &task{Task: t})
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return nil
}

// RunDue starts every task whose interval has passed and that is not still
// running, and waits until they have all returned, the budget has passed or
// ctx is done, whichever comes first. It reports how many tasks it started
// and how many of those were still running when it returned.
func (r *Runner) RunDue(ctx context.Context) (started, unfinished int) {
	now := r.now()
	r.mu.Lock()
	tasks := append([]*task(nil), r.tasks...)
	r.mu.Unlock()

	done := make(chan struct{}, len(tasks))
	for _, t := range tasks {
		if !t.claim(now) {
			continue
		}
		started++
		go func() {
			r.runOne(t)
			done <- struct{}{}
		}()
	}
	if started == 0 {
		return 0, 0
	}
	timer := time.NewTimer(r.budget)
	defer timer.Stop()
	for finished := 0; finished < started; finished++ {
		select {
		case <-done:
		case <-timer.C:
			return started, started - finished
		case <-ctx.Done():
			return started, started - finished
		}
	}
	return started, 0
}

// Loop runs tasks from a timer until ctx is done: for environments that
// are not frozen between invocations and get no INVOKE events (Lambda
// Managed Instances). It wakes when the earliest task is due.
func (r *Runner) Loop(ctx context.Context) {
	for {
		r.RunDue(ctx)
		wait := r.untilDue()
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-r.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// minLoopWait keeps Loop from spinning on tasks that are due but still
// running.
const minLoopWait = 5 * time.Millisecond

// maxLoopWait is how long Loop sleeps with no task at all.
const maxLoopWait = time.Minute

// untilDue is how long until the earliest task is due.
func (r *Runner) untilDue() time.Duration {
	now := r.now()
	wait := maxLoopWait
	r.mu.Lock()
	tasks := append([]*task(nil), r.tasks...)
	r.mu.Unlock()
	for _, t := range tasks {
		t.mu.Lock()
		d := t.next.Sub(now)
		if t.running {
			d = minLoopWait
		}
		t.mu.Unlock()
		if d < wait {
			wait = d
		}
	}
	return max(wait, minLoopWait)
}

// claim marks t running if it is due and idle.
func (t *task) claim(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.running || now.Before(t.next) {
		return false
	}
	t.running = true
	t.next = now.Add(t.Interval)
	t.runs++
	return true
}

// runOne runs t once with its timeout and records how it went.
func (r *Runner) runOne(t *task) {
	ctx, cancel := context.WithTimeout(context.Background(), t.Timeout)
	defer cancel()
	start := r.now()
	err := safeRun(ctx, t.Run)
	d := r.now().Sub(start)

	t.mu.Lock()
	t.running = false
	t.lastDur = d
	if d > r.budget {
		t.overruns++
	}
	var failures int
	recovered := false
	if err != nil {
		t.errs++
		t.failures++
		failures = t.failures
	} else {
		recovered = t.failures > 0
		failures = t.failures
		t.failures = 0
	}
	t.mu.Unlock()

	switch {
	case err != nil && failures&(failures-1) == 0:
		// 1, 2, 4, 8, ...: every failure streak is visible without
		// flooding the log at the task's interval.
		r.log.Warn().Err(err).Str("task", t.Name).Int("consecutive_failures", failures).
			Dur("duration_ms", d).Msg("background task failed")
	case recovered:
		r.log.Info().Str("task", t.Name).Int("after_failures", failures).Msg("background task recovered")
	}
	if d > r.budget && err == nil {
		r.log.Debug().Str("task", t.Name).Dur("duration_ms", d).Dur("budget_ms", r.budget).
			Msg("background task outlasted the budget; it finished in the background")
	}
}

// PanicError is a panic in a task's Run, returned as its error.
type PanicError struct{ Value any }

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

func safeRun(ctx context.Context, run func(context.Context) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v}
		}
	}()
	return run(ctx)
}

// TaskStats is what a Runner knows about one task.
type TaskStats struct {
	Name     string
	Runs     uint64        // runs started
	Errors   uint64        // runs that returned an error or panicked
	Overruns uint64        // runs that outlasted the budget
	Last     time.Duration // duration of the last finished run
	Running  bool
}

// Stats returns a snapshot of every task, in the order they were added.
func (r *Runner) Stats() []TaskStats {
	r.mu.Lock()
	tasks := append([]*task(nil), r.tasks...)
	r.mu.Unlock()
	out := make([]TaskStats, 0, len(tasks))
	for _, t := range tasks {
		t.mu.Lock()
		out = append(out, TaskStats{Name: t.Name, Runs: t.runs, Errors: t.errs, Overruns: t.overruns, Last: t.lastDur, Running: t.running})
		t.mu.Unlock()
	}
	return out
}
