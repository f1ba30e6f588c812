// Package fleet_test runs the fleet-wide state of agent/fleet against a real
// local DynamoDB (dynalite): many environments with separate state sharing
// one table, as the execution environments of a protection group do.
package fleet_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
	"github.com/lambdawaf/lambdawaf/tests/internal/dynalite"
)

const table = "lambdawaf-fleet"

var sharedKey = []byte("0123456789abcdef0123456789abcdef-shared")

func sharedKeyFunc() ([]byte, bool) { return sharedKey, true }

// syncLog is a log sink safe for many goroutines.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *syncLog) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func startServer(t *testing.T) *dynalite.Server {
	t.Helper()
	s := dynalite.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.CreateTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	return s
}

// environment is one execution environment: its own State, its own
// client, its own background runner syncing from a timer.
type environment struct {
	state *fleet.State
	work  *background.Runner
}

func newEnvironments(t *testing.T, srv *dynalite.Server, n int, o fleet.Options, log zerolog.Logger) []*environment {
	t.Helper()
	if o.SyncInterval == 0 {
		o.SyncInterval = fleet.DefaultSyncInterval
	}
	envs := make([]*environment, n)
	for i := range envs {
		o := o
		o.Table = &fleet.Table{API: srv.Client(), Name: table, Group: "shop"}
		o.Logger = log.With().Int("env", i).Logger()
		st, err := fleet.New(o)
		if err != nil {
			t.Fatal(err)
		}
		w := background.New(background.Options{Logger: o.Logger})
		if err := w.Add(background.Task{Name: "fleet-sync", Interval: o.SyncInterval, Timeout: 2 * time.Second, Run: st.Sync}); err != nil {
			t.Fatal(err)
		}
		envs[i] = &environment{state: st, work: w}
	}
	return envs
}

func runLoops(t *testing.T, envs []*environment) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Go(func() { e.work.Loop(ctx) })
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// loadCase is one run of the load test: the figures with the
// window (and so the rates) scaled.
type loadCase struct {
	envs     int
	limit    int64
	window   time.Duration
	windows  int // whole windows measured
	overload int // combined load as a multiple of the limit
	sync     time.Duration
}

func TestGlobalLimitHoldsAcrossFiftyEnvironments(t *testing.T) {
	// CI runs 2 s windows (the test then takes about 12 s); make
	// fleet-load runs the 10 s.
	c := loadCase{envs: 50, limit: 1000, window: 2 * time.Second, windows: 3, overload: 5, sync: 250 * time.Millisecond}
	if w := os.Getenv("LAMBDAWAF_FLEET_LOAD_WINDOW"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil {
			t.Fatalf("LAMBDAWAF_FLEET_LOAD_WINDOW: %v", err)
		}
		c.window = d
	}
	runLoad(t, c)
}

func runLoad(t *testing.T, c loadCase) {
	srv := startServer(t)
	var logs syncLog
	envs := newEnvironments(t, srv, c.envs, fleet.Options{
		Limits:       []fleet.Limit{{ID: "api", Limit: c.limit, Window: c.window}},
		Key:          sharedKeyFunc,
		SyncInterval: c.sync,
		// Generous: a table slowed down by a machine busy with other
		// tests must not count as unreachable here (the outage test
		// covers that).
		CallTimeout: 2 * time.Second,
	}, zerolog.New(&logs))
	runLoops(t, envs)

	// The load starts at a window boundary; one window of it warms the
	// connections, then whole windows are measured.
	warm := time.Now().Truncate(c.window).Add(c.window)
	time.Sleep(time.Until(warm))
	start := warm.Add(c.window)
	end := start.Add(time.Duration(c.windows) * c.window)

	var mu sync.Mutex
	admitted := map[int64]int64{}
	offered := map[int64]int64{}
	var maxDecision atomic.Int64
	perEnvRate := float64(c.overload) * float64(c.limit) / c.window.Seconds() / float64(c.envs)
	gap := time.Duration(float64(time.Second) / perEnvRate)
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Go(func() {
			next := time.Now()
			for time.Now().Before(end) {
				t0 := time.Now()
				d := e.state.Allow(0, "client-1")
				if took := time.Since(t0); took.Nanoseconds() > maxDecision.Load() {
					maxDecision.Store(took.Nanoseconds())
				}
				w := t0.UnixNano() / int64(c.window)
				mu.Lock()
				offered[w]++
				if d.Allowed {
					admitted[w]++
				}
				mu.Unlock()
				next = next.Add(gap)
				time.Sleep(time.Until(next))
			}
		})
	}
	wg.Wait()

	bound := c.limit + int64(c.envs)*fleet.DefaultCredit
	first := start.UnixNano() / int64(c.window)
	for w := first; w < first+int64(c.windows); w++ {
		a, o := admitted[w], offered[w]
		t.Logf("window %d: offered %d, admitted %d (limit %d, documented bound %d)", w-first, o, a, c.limit, bound)
		if o < int64(c.overload-1)*c.limit {
			t.Errorf("window %d: only %d requests offered; the load generator fell behind", w-first, o)
		}
		lo, hi := c.limit*95/100, c.limit*105/100
		if a < lo || a > hi || a > bound {
			t.Errorf("window %d: admitted %d, want within [%d, %d] and at most the bound %d", w-first, a, lo, hi, bound)
		}
	}
	t.Logf("slowest decision: %v", time.Duration(maxDecision.Load()))
	if strings.Contains(logs.String(), "unreachable") {
		t.Errorf("the table was reported unreachable during the run:\n%s", logs.String())
	}
}

func TestFlaggedSourceIsBlockedEverywhereWithinOneSyncInterval(t *testing.T) {
	srv := startServer(t)
	const syncEvery = 200 * time.Millisecond
	envs := newEnvironments(t, srv, 5, fleet.Options{
		Thresholds:   []fleet.Threshold{{ID: "attacks", Blocked: 3, Within: time.Minute, FlagFor: time.Hour}},
		Key:          sharedKeyFunc,
		SyncInterval: syncEvery,
	}, zerolog.Nop())
	ctx := context.Background()
	attacker := fleet.Source{Prefix: telemetry.SourcePrefix, Value: "203.0.113.7"}
	bystander := fleet.Source{Prefix: telemetry.SourcePrefix, Value: "198.51.100.1"}

	// The threshold is crossed in one environment; it flags at its sync.
	for range 3 {
		envs[0].state.Blocked(0, attacker)
	}
	if envs[1].state.Flagged(attacker) {
		t.Fatal("flagged before any sync")
	}
	if err := envs[0].state.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// Every other environment blocks it after its own next sync: within
	// one sync interval, whatever its phase.
	for i, e := range envs[1:] {
		if err := e.state.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if !e.state.Flagged(attacker) {
			t.Errorf("environment %d: not flagged after one sync", i+1)
		}
		if e.state.Flagged(bystander) {
			t.Errorf("environment %d: a bystander is flagged", i+1)
		}
	}

	// The same on the clock: a second attacker, environments syncing from
	// their timers; each must see the flag within one interval of the
	// sync that wrote it (plus scheduling slack on a shared machine).
	runLoops(t, envs)
	second := fleet.Source{Prefix: telemetry.UserPrefix, Value: "api-key-42"}
	for range 3 {
		envs[0].state.Blocked(0, second)
	}
	// Wait until the flagging environment has it (its sync wrote it).
	written := waitUntil(t, 5*time.Second, func() bool { return envs[0].state.Flagged(second) })
	var worst time.Duration
	for _, e := range envs[1:] {
		seen := waitUntil(t, 5*time.Second, func() bool { return e.state.Flagged(second) })
		if d := seen.Sub(written); d > worst {
			worst = d
		}
	}
	t.Logf("flag reached every environment %v after it was written (sync interval %v)", worst, syncEvery)
	if worst > syncEvery+150*time.Millisecond {
		t.Errorf("flag propagation took %v, more than one sync interval (%v) plus 150 ms slack", worst, syncEvery)
	}
}

func TestNoSharedKeyCountsLocallyAndNeverFlags(t *testing.T) {
	srv := startServer(t)
	envs := newEnvironments(t, srv, 2, fleet.Options{
		Thresholds: []fleet.Threshold{{ID: "attacks", Blocked: 1, Within: time.Minute, FlagFor: time.Hour}},
		Limits:     []fleet.Limit{{ID: "api", Limit: 100, Window: time.Minute}},
		Key:        func() ([]byte, bool) { return []byte("ephemeral-key-of-this-environment-only"), false },
		LocalShare: 0.05,
	}, zerolog.Nop())
	src := fleet.Source{Prefix: telemetry.SourcePrefix, Value: "203.0.113.9"}
	for range 10 {
		envs[0].state.Blocked(0, src)
	}
	admitted := 0
	for range 20 {
		if d := envs[0].state.Allow(0, "k"); d.Allowed {
			admitted++
			if !d.Local {
				t.Error("a decision without the shared key was not marked local")
			}
		}
	}
	for _, e := range envs {
		if err := e.state.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if envs[0].state.Flagged(src) || envs[1].state.Flagged(src) {
		t.Error("a source was flagged without the shared key")
	}
	if admitted != 5 {
		t.Errorf("admitted %d without the shared key, want the local share 5", admitted)
	}
	flags, err := (&fleet.Table{API: srv.Client(), Name: table, Group: "shop"}).Flags(context.Background(), time.Now())
	if err != nil || len(flags) != 0 {
		t.Errorf("table flags %v (%v), want none", flags, err)
	}
}

func TestTableOutageNeitherFailsNorDelaysDecisionsAndCatchesUp(t *testing.T) {
	srv := startServer(t)
	var logs syncLog
	const n = 10
	const syncEvery = 100 * time.Millisecond
	window := time.Hour // the outage falls inside one window
	envs := newEnvironments(t, srv, n, fleet.Options{
		Limits:       []fleet.Limit{{ID: "api", Limit: 1_000_000, Window: window}},
		Key:          sharedKeyFunc,
		SyncInterval: syncEvery,
		CallTimeout:  time.Second,
	}, zerolog.New(&logs))
	runLoops(t, envs)

	var admitted, denied atomic.Int64
	var maxDecision atomic.Int64
	var decisionsMu sync.Mutex
	var decisions []time.Duration
	// Denials count only once every environment has its first lease: a
	// key's first sync interval holds bursts to the credit (see the
	// package's error bound).
	var warm atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				d := e.state.Allow(0, "client")
				took := time.Since(t0)
				if took.Nanoseconds() > maxDecision.Load() {
					maxDecision.Store(took.Nanoseconds())
				}
				decisionsMu.Lock()
				decisions = append(decisions, took)
				decisionsMu.Unlock()
				if d.Allowed {
					admitted.Add(1)
				} else if warm.Load() {
					denied.Add(1)
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	waitUntil(t, 10*time.Second, func() bool {
		for _, e := range envs {
			if e.state.Degraded() || e.state.Allow(0, "client").FleetCount == 0 {
				return false
			}
		}
		return true
	})
	warm.Store(true)
	time.Sleep(300 * time.Millisecond)
	srv.Kill()
	killedAt := admitted.Load()
	waitUntil(t, 5*time.Second, func() bool {
		for _, e := range envs {
			if !e.state.Degraded() {
				return false
			}
		}
		return true
	})
	time.Sleep(time.Second) // well into the outage: more syncs fail
	srv.Restart()           // empty: the table comes back without its items
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.CreateTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	restartedAt := admitted.Load()
	waitUntil(t, 10*time.Second, func() bool {
		for _, e := range envs {
			if e.state.Degraded() {
				return false
			}
		}
		return true
	})
	time.Sleep(3 * syncEvery)
	close(stop)
	wg.Wait()

	if denied.Load() != 0 {
		t.Errorf("%d decisions denied under a limit far above the load", denied.Load())
	}
	// A decision that waited on the table would take a call timeout (1 s)
	// or a connection attempt; what is left is scheduling on a shared
	// machine (and the race detector).
	slices.Sort(decisions)
	p99 := decisions[len(decisions)*99/100]
	if d := time.Duration(maxDecision.Load()); d > 250*time.Millisecond || p99 > 2*time.Millisecond {
		t.Errorf("decision p99 %v, max %v during the outage: decisions must not wait on the table", p99, d)
	}
	out := logs.String()
	if got := strings.Count(out, "fleet state unreachable"); got != n {
		t.Errorf("%d degradation lines, want one per environment (%d):\n%s", got, n, out)
	}
	if got := strings.Count(out, "fleet state reachable again"); got != n {
		t.Errorf("%d recovery lines, want one per environment (%d)", got, n)
	}
	// What was admitted while the table was down reached the restarted
	// table: its counter covers at least the outage's admissions.
	for _, e := range envs {
		if err := e.state.Sync(context.Background()); err != nil {
			t.Fatalf("sync after recovery: %v", err)
		}
	}
	total := envs[0].state.Allow(0, "client").FleetCount
	during := restartedAt - killedAt
	t.Logf("admitted %d during the outage; fleet count after recovery %d; decision p99 %v, slowest %v", during, total, p99, time.Duration(maxDecision.Load()))
	if total < during {
		t.Errorf("fleet count after recovery %d < %d admitted during the outage: state did not catch up", total, during)
	}
}

func waitUntil(t *testing.T, limit time.Duration, cond func() bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", limit)
		}
		time.Sleep(time.Millisecond)
	}
	return time.Now()
}
