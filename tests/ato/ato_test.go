// Package ato_test replays account-takeover and scanning runs against
// several agent instances — each its own firewall, policy and fleet state,
// as separate execution environments are — sharing one protection group's
// table on a real local DynamoDB (dynalite), and asserts when the abuse is
// refused and that real users never are.
//
// The instances sync after every SyncEvery requests of the run (a sync
// interval expressed in requests, so the assertions do not depend on the
// machine's speed); the clock is the test's, advanced per request.
package ato_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
	"github.com/lambdawaf/lambdawaf/tests/internal/dynalite"
)

const table = "lambdawaf-fleet"

var sharedKey = []byte("0123456789abcdef0123456789abcdef-ato-shared")

// policyDoc is the login function's policy: the three login detectors and
// a scanning counter.
const policyDoc = `
logins:
  routes:
    - route: POST /login
      username: body.username
      success: {status: [200]}
      failure: {status: [401]}
  stuffing: {users: 20, within: 10m, action: block, for: 15m}
  spraying: {sources: 10, within: 10m, action: block, for: 15m}
  bruteForce: {failures: 8, within: 10m, action: block, for: 15m}
responses:
  - id: scanning
    status: [404]
    count: 100
    within: 1m
    action: flag
    for: 10m
`

// clock is the run's time, advanced per request.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newClock starts at the beginning of a 10-minute window, so a run never
// straddles two windows.
func newClock() *clock {
	return &clock{t: time.Now().Truncate(10 * time.Minute).Add(time.Second)}
}

// instance is one execution environment of the login function.
type instance struct {
	fw    *firewall.Firewall
	state *fleet.State
}

// fleetRun is a protection group of instances and what they recorded.
type fleetRun struct {
	t         *testing.T
	instances []*instance
	clock     *clock // nil: the wall clock, and the instances sync on timers
	syncEvery int    // requests between syncs of the group; 0 with timers
	requests  atomic.Int64
	// syncs, syncTime (ns) and syncErrors describe the timed syncs.
	syncs, syncTime, syncErrors atomic.Int64
	records                     bytes.Buffer
	recMu                       sync.Mutex
	users                       map[string]string // the function's accounts: user → password
}

func (f *fleetRun) Write(p []byte) (int, error) {
	f.recMu.Lock()
	defer f.recMu.Unlock()
	return f.records.Write(p)
}

func newFleetRun(t *testing.T, n, syncEvery int) *fleetRun {
	t.Helper()
	return newFleetRunWith(t, n, syncEvery, policyDoc)
}

// newFleetRunWith is newFleetRun under another policy.
func newFleetRunWith(t *testing.T, n, syncEvery int, doc string) *fleetRun {
	t.Helper()
	f := &fleetRun{t: t, clock: newClock(), syncEvery: syncEvery, users: map[string]string{}}
	f.start(n, f.clock.Now, doc)
	return f
}

// newTimedFleetRun is a run on the wall clock whose instances sync every
// interval from timers, as under Managed Instances.
func newTimedFleetRun(t *testing.T, n int, interval time.Duration) *fleetRun {
	t.Helper()
	f := &fleetRun{t: t, users: map[string]string{}}
	f.start(n, time.Now, policyDoc)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, in := range f.instances {
		w := background.New(background.Options{})
		run := func(ctx context.Context) error {
			t0 := time.Now()
			err := in.state.Sync(ctx)
			f.syncs.Add(1)
			f.syncTime.Add(int64(time.Since(t0)))
			if err != nil {
				f.syncErrors.Add(1)
			}
			return err
		}
		if err := w.Add(background.Task{Name: "fleet-sync", Interval: interval, Timeout: 2 * time.Second, Run: run}); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { w.Loop(ctx) })
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	return f
}

func (f *fleetRun) start(n int, now func() time.Time, doc string) {
	t := f.t
	t.Helper()
	srv := dynalite.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.CreateTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	rec := telemetry.NewRecorder(f, agentkey.Static(sharedKey), telemetry.Config{SampleAllowed: 1})
	for i := 0; i < n; i++ {
		in := &instance{}
		p, err := policy.Parse([]byte(doc), "login.yaml")
		if err != nil {
			t.Fatal(err)
		}
		in.fw = firewall.New(p, firewall.Options{
			Now:      now,
			Observer: rec,
			SharedState: func(p *policy.Policy) policy.SharedState {
				st, err := fleet.New(fleet.OptionsFor(p, fleet.Options{
					Table: &fleet.Table{API: srv.Client(), Name: table, Group: "shop"},
					Key:   func() ([]byte, bool) { return sharedKey, true },
					Now:   now,
				}))
				if err != nil {
					t.Fatal(err)
				}
				in.state = st
				return fleet.ForPolicy{S: st}
			},
		})
		if in.state == nil {
			t.Fatal("the firewall did not ask for shared state")
		}
		f.instances = append(f.instances, in)
	}
}

// syncAll runs one sync of every instance, concurrently, as their timers
// would.
func (f *fleetRun) syncAll() {
	var wg sync.WaitGroup
	for _, in := range f.instances {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := in.state.Sync(ctx); err != nil {
				f.t.Errorf("sync: %v", err)
			}
		})
	}
	wg.Wait()
}

// answer is what the client got.
type answer struct {
	status     int
	retryAfter int // seconds; 0 when absent
	byAgent    bool
}

// send passes one request through instance i and, when the agent lets it
// through, through the function's handler and the agent's response
// watch. Every SyncEvery requests the group syncs.
func (f *fleetRun) send(i int, method, path, src string, body string, handler func(method, path, body string) (int, string)) answer {
	f.t.Helper()
	return f.sendWith(i, method, path, src, nil, body, handler)
}

// sendWith is send with more request headers.
func (f *fleetRun) sendWith(i int, method, path, src string, headers map[string]string, body string, handler func(method, path, body string) (int, string)) answer {
	f.t.Helper()
	if f.clock != nil {
		f.clock.Advance(50 * time.Millisecond)
	}
	n := f.requests.Add(1)
	h := map[string]string{
		"content-type": "application/json", "host": "api.example.com",
		"user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
		"accept":     "application/json",
	}
	for k, v := range headers {
		h[k] = v
	}
	ev := map[string]any{
		"version": "2.0", "routeKey": method + " " + path, "rawPath": path, "rawQueryString": "",
		"headers": h,
		"requestContext": map[string]any{
			"http":      map[string]string{"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": src, "userAgent": "Mozilla/5.0"},
			"requestId": fmt.Sprintf("req-%d", n), "routeKey": method + " " + path, "stage": "$default",
		},
		"body": body, "isBase64Encoded": false,
	}
	payload, _ := json.Marshal(ev)
	defer func() {
		if f.syncEvery > 0 && n%int64(f.syncEvery) == 0 {
			f.syncAll()
		}
	}()
	ctx := context.Background()
	v, err := f.instances[i%len(f.instances)].fw.InspectEvent(ctx, &proxy.Invocation{RequestID: fmt.Sprintf("req-%d", n), Event: payload})
	if err != nil {
		f.t.Fatalf("inspect: %v", err)
	}
	if v.Block {
		var r struct {
			StatusCode int               `json:"statusCode"`
			Headers    map[string]string `json:"headers"`
		}
		if err := json.Unmarshal(v.BlockResponse, &r); err != nil {
			f.t.Fatalf("block response %s: %v", v.BlockResponse, err)
		}
		ra, _ := strconv.Atoi(r.Headers["Retry-After"])
		return answer{status: r.StatusCode, retryAfter: ra, byAgent: true}
	}
	status, respBody := handler(method, path, body)
	resp, _ := json.Marshal(map[string]any{"statusCode": status, "headers": map[string]string{"content-type": "application/json"}, "body": respBody})
	if v.Response != nil {
		if _, err := v.Response.FilterResponse(ctx, resp); err != nil {
			f.t.Fatalf("response filter: %v", err)
		}
	}
	return answer{status: status}
}

// login is the function's login handler: 200 for a known user with the
// right password, 401 otherwise.
func (f *fleetRun) login(method, path, body string) (int, string) {
	var in struct{ Username, Password string }
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		return 400, `{"error":"bad request"}`
	}
	if pw, ok := f.users[in.Username]; ok && pw == in.Password {
		return 200, `{"token":"t-` + in.Username + `"}`
	}
	return 401, `{"error":"invalid credentials"}`
}

func (f *fleetRun) sendLogin(i int, src, user, pass string) answer {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	return f.send(i, "POST", "/login", src, string(b), f.login)
}

// realUsers are accounts with their own addresses, logging in with their
// own passwords throughout the runs.
type realUser struct{ name, pass, src string }

func (f *fleetRun) addRealUsers(n int) []realUser {
	var us []realUser
	for i := 0; i < n; i++ {
		u := realUser{name: fmt.Sprintf("member-%03d", i), pass: fmt.Sprintf("correct horse %d", i), src: fmt.Sprintf("198.51.100.%d", i+1)}
		f.users[u.name] = u.pass
		us = append(us, u)
	}
	return us
}

// assertNoLeaks checks that no record holds a user name or a password.
func (f *fleetRun) assertNoLeaks(secrets ...string) {
	f.t.Helper()
	f.recMu.Lock()
	out := f.records.String()
	f.recMu.Unlock()
	if out == "" {
		f.t.Fatal("no records written")
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			f.t.Errorf("a record holds %q", s)
		}
	}
}

// reasonsIn returns the recorded reasons that start with prefix.
func (f *fleetRun) reasonsIn(prefix string) []string {
	f.recMu.Lock()
	defer f.recMu.Unlock()
	var out []string
	for _, line := range strings.Split(f.records.String(), "\n") {
		var r struct{ Reasons []string }
		if json.Unmarshal([]byte(line), &r) != nil {
			continue
		}
		for _, s := range r.Reasons {
			if strings.HasPrefix(s, prefix) {
				out = append(out, s)
			}
		}
	}
	return out
}

// figures collects the numbers the README quotes, written to
// $LAMBDAWAF_ATO_FIGURES when set.
func figure(t *testing.T, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf(format, args...)
	t.Log(line)
	if p := os.Getenv("LAMBDAWAF_ATO_FIGURES"); p != "" {
		fh, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(fh, t.Name()+": "+line)
			fh.Close()
		}
	}
}
