package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/bundle/bundletest"
	"github.com/lambdawaf/lambdawaf/agent/bundle/publish"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// Policies of the bundle test: base runs the defaults (GET /admin is
// allowed), strict also blocks /admin, tampered would also block /reports.
const (
	basePolicyDoc   = "version: 1\nmode: block\n"
	strictPolicyDoc = "version: 1\nmode: block\nrules:\n  - id: no-admin\n    when: {field: path, prefix: /admin}\n    action: block\n"
	reportsPolicy   = "version: 1\nmode: block\nrules:\n  - id: no-reports\n    when: {field: path, prefix: /reports}\n    action: block\n"
)

// bundlePoll is the agents' poll interval in this test, and fetchAllowance
// the time a poll, a verification and a compilation may take on a loaded
// machine: an invocation starting bundlePoll+fetchAllowance after a push
// must run the pushed bundle.
const (
	bundlePoll     = time.Second
	fetchAllowance = time.Second
)

// bundleWorld is a local S3 store, a publisher with the signing key, and
// the environment that points agents at the store.
type bundleWorld struct {
	srv *bundletest.Server
	pub *publish.Publisher
	env map[string]string
}

func newBundleWorld(t *testing.T) *bundleWorld {
	srv := bundletest.NewS3Server(t, "waf-bundles")
	priv, pubKey, err := bundle.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := bundle.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := bundle.ParseKeys(pubKey)
	if err != nil {
		t.Fatal(err)
	}
	loc := bundle.Location{Bucket: srv.Bucket, Prefix: "prod/"}
	store, err := publish.NewS3Store(t.Context(), loc, publish.S3Options{Endpoint: srv.Endpoint})
	if err != nil {
		t.Fatal(err)
	}
	return &bundleWorld{
		srv: srv,
		pub: &publish.Publisher{Store: store, Signer: signer, Keys: keys, Author: "e2e"},
		env: map[string]string{
			"LAMBDAWAF_BUNDLE_SOURCE":   loc.String(),
			"LAMBDAWAF_BUNDLE_KEYS":     pubKey,
			"LAMBDAWAF_BUNDLE_POLL":     bundlePoll.String(),
			"LAMBDAWAF_BUNDLE_ENDPOINT": srv.Endpoint,
			"LAMBDAWAF_SAMPLE_ALLOWED":  "1",
		},
	}
}

// roleCredentials stand in for the execution role's: the agent signs its
// S3 requests with what Lambda puts in the environment (the local S3
// server does not check signatures).
var roleCredentials = emulator.Credentials{AccessKeyID: "AKIDLAMBDAWAFTEST", SecretAccessKey: "secret", SessionToken: "token"}

func (w *bundleWorld) sign(t *testing.T, version, parent, doc string) *bundle.Signed {
	t.Helper()
	s, err := bundle.Sign(t.Context(), &bundle.Bundle{
		Metadata: bundle.Metadata{Version: version, Parent: parent, Author: "secops", Created: time.Now().UTC()},
		Policy:   doc,
	}, w.pub.Signer)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// getEvent is an HTTP API v2 GET of path.
func getEvent(path string) string {
	ev, _ := json.Marshal(map[string]any{
		"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
		"headers": map[string]string{"host": "api.example.com", "user-agent": "Mozilla/5.0"},
		"requestContext": map[string]any{"http": map[string]string{"method": "GET", "path": path, "sourceIp": "203.0.113.9"},
			"requestId": "r1", "stage": "$default"},
		"isBase64Encoded": false,
	})
	return string(ev)
}

// sample is one invocation made by the load.
type sample struct {
	start, end time.Time
	blocked    bool
	err        string
	requestID  string
}

// load invokes GET path on fn back to back until stop is closed.
func load(fn *emulator.Function, path string, stop <-chan struct{}, out *[]sample, wg *sync.WaitGroup) {
	defer wg.Done()
	ev := []byte(getEvent(path))
	for {
		select {
		case <-stop:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s := sample{start: time.Now()}
		res, err := fn.Invoke(ctx, ev, emulator.InvokeOptions{})
		cancel()
		s.end = time.Now()
		switch {
		case err != nil:
			s.err = err.Error()
		case res.FunctionError != "":
			s.err = res.ErrorType + ": " + string(res.Payload)
		default:
			var resp struct {
				StatusCode int `json:"statusCode"`
			}
			json.Unmarshal(res.Payload, &resp)
			s.blocked = resp.StatusCode == 403
			s.requestID = res.RequestID
		}
		*out = append(*out, s)
	}
}

// blockedBy invokes GET path once on each function and reports whether it
// was blocked, as a string per function ("block"/"allow").
func decisions(t *testing.T, fns []*emulator.Function, path string) []string {
	t.Helper()
	out := make([]string, len(fns))
	for i, fn := range fns {
		res := invoke(t, fn, getEvent(path), emulator.InvokeOptions{})
		if res.FunctionError != "" {
			t.Fatalf("GET %s failed: %s", path, res.Payload)
		}
		out[i] = "allow"
		if strings.Contains(string(res.Payload), `"statusCode":403`) {
			out[i] = "block"
		}
	}
	return out
}

// records returns the decision records in a function's log, by request id.
func records(logs *emulator.LogBuffer) map[string]map[string]any {
	out := map[string]map[string]any{}
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r map[string]any
		if json.Unmarshal(sc.Bytes(), &r) == nil && r["message"] == "lambdawaf decision" {
			out[fmt.Sprint(r["request_id"])] = r
		}
	}
	return out
}

// recordOf returns the decision record of one invocation, waiting briefly
// for it: the agent writes records once the invocation is answered, off
// the request path, so a record may land just after the caller has its
// answer. nil when none came.
func recordOf(logs *emulator.LogBuffer, requestID string) map[string]any {
	deadline := time.Now().Add(2 * time.Second)
	for {
		if r := records(logs)[requestID]; r != nil || time.Now().After(deadline) {
			return r
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSignedBundlesReachRunningAgents runs two real agents (two functions
// in the Lambda emulation) under continuous load while bundles are pushed
// to a real local S3 server: a push reaches every invocation that starts a
// poll interval plus a fetch after it, without failing or stalling any;
// a bundle with one byte changed is refused and the running one keeps
// deciding; a rollback restores the previous decisions; a stricter shadow
// bundle shows up as shadow differences while active decisions stay.
func TestSignedBundlesReachRunningAgents(t *testing.T) {
	w := newBundleWorld(t)
	ctx := t.Context()
	v1 := w.sign(t, "v1", "", basePolicyDoc)
	v2 := w.sign(t, "v2", "v1", strictPolicyDoc)
	if _, err := w.pub.Push(ctx, v1, false); err != nil {
		t.Fatal(err)
	}

	var fns []*emulator.Function
	var logs []*emulator.LogBuffer
	for range 2 {
		env := map[string]string{}
		for k, v := range w.env {
			env[k] = v
		}
		fn, lb := startFunction(t, setup{handler: "echo", env: env, cfg: emulator.Config{Credentials: roleCredentials}})
		fns, logs = append(fns, fn), append(logs, lb)
	}
	// Cold start runs the baked configuration and fetches v1 in the
	// background; wait until both agents run it (every record names it).
	waitFor(t, 10*time.Second, "both agents run bundle v1", func() bool {
		for i, fn := range fns {
			res := invoke(t, fn, getEvent("/orders"), emulator.InvokeOptions{})
			if r := recordOf(logs[i], res.RequestID); r == nil || r["bundle"] != "v1" {
				return false
			}
		}
		return true
	})

	// 1. Push v2 under load.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	samples := make([][]sample, len(fns))
	for i, fn := range fns {
		wg.Add(1)
		go load(fn, "/admin", stop, &samples[i], &wg)
	}
	time.Sleep(time.Second) // steady state under v1
	if _, err := w.pub.Push(ctx, v2, false); err != nil {
		t.Fatal(err)
	}
	pushed := time.Now()
	time.Sleep(bundlePoll + fetchAllowance + time.Second)
	close(stop)
	wg.Wait()
	deadline := pushed.Add(bundlePoll + fetchAllowance)
	for i, ss := range samples {
		var before, after, stale int
		var firstNew time.Duration = -1
		var worst time.Duration
		for _, s := range ss {
			if s.err != "" {
				t.Errorf("function %d: an invocation failed during the swap: %s", i, s.err)
				continue
			}
			worst = max(worst, s.end.Sub(s.start))
			if s.start.Before(pushed) {
				before++
				continue
			}
			if s.blocked && firstNew < 0 {
				firstNew = s.start.Sub(pushed)
			}
			if !s.start.Before(deadline) {
				after++
				if !s.blocked {
					stale++
				}
			}
		}
		t.Logf("function %d: %d invocations before the push, %d after push+%v; first v2 decision %v after the push; slowest invocation %v",
			i, before, after, bundlePoll+fetchAllowance, firstNew, worst)
		if after == 0 || stale > 0 {
			t.Errorf("function %d: %d of %d invocations starting %v after the push still ran v1", i, stale, after, bundlePoll+fetchAllowance)
		}
		if worst > 2*time.Second {
			t.Errorf("function %d: an invocation took %v during the swap", i, worst)
		}
	}

	// 2. A bundle with one byte changed is refused; v2 keeps deciding.
	v3 := w.sign(t, "v3", "v2", reportsPolicy)
	if err := w.pub.Upload(ctx, v3); err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), v3.Object...)
	i := strings.Index(string(tampered), "no-reports")
	tampered[i] = 'N'
	w.srv.Replace(t, "prod/"+bundle.BundleKey("v3"), tampered)
	if _, err := w.pub.Move(ctx, func(*bundle.Pointer) (*bundle.Pointer, error) {
		return &bundle.Pointer{Active: v3.Ref}, nil
	}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "both agents refuse the tampered bundle", func() bool {
		keepActive(t, fns, 0)
		for _, lb := range logs {
			if !strings.Contains(lb.String(), "policy bundle REFUSED") {
				return false
			}
		}
		return true
	})
	for _, lb := range logs {
		if !strings.Contains(lb.String(), "does not match its signed manifest") {
			t.Errorf("the refusal does not say why:\n%s", lb.String())
		}
	}
	if got := decisions(t, fns, "/admin"); !slices.Equal(got, []string{"block", "block"}) {
		t.Errorf("after the refusal GET /admin: %v, want v2's block everywhere", got)
	}
	if got := decisions(t, fns, "/reports"); !slices.Equal(got, []string{"allow", "allow"}) {
		t.Errorf("after the refusal GET /reports: %v, want allow (the tampered bundle must not run)", got)
	}

	// 3. Roll back: the pointer was at v3 (refused), whose parent is v2;
	// a second rollback from v2 goes to v1 and restores v1's decisions.
	if _, err := w.pub.Move(ctx, func(*bundle.Pointer) (*bundle.Pointer, error) {
		return &bundle.Pointer{Active: v2.Ref}, nil
	}); err != nil {
		t.Fatal(err)
	}
	ptr, err := w.pub.Rollback(ctx)
	if err != nil || ptr.Active.Version != "v1" {
		t.Fatalf("rollback = %+v, %v; want v1", ptr, err)
	}
	keepActive(t, fns, bundlePoll+fetchAllowance)
	if got := decisions(t, fns, "/admin"); !slices.Equal(got, []string{"allow", "allow"}) {
		t.Errorf("after the rollback GET /admin: %v, want v1's allow everywhere", got)
	}

	// 4. v2 in shadow beside v1: active decisions stay v1's, the records
	// carry v2's and where they differ.
	if _, err := w.pub.Push(ctx, v2, true); err != nil {
		t.Fatal(err)
	}
	keepActive(t, fns, bundlePoll+fetchAllowance)
	for i, fn := range fns {
		res := invoke(t, fn, getEvent("/admin"), emulator.InvokeOptions{})
		if strings.Contains(string(res.Payload), `"statusCode":403`) {
			t.Errorf("function %d: the shadow bundle blocked: %s", i, res.Payload)
		}
		var r map[string]any
		waitFor(t, 5*time.Second, "the shadow record", func() bool {
			r = recordOf(logs[i], res.RequestID)
			return r != nil
		})
		diff, _ := json.Marshal(r["shadow_diff"])
		if r["bundle"] != "v1" || r["decision"] != "allow" || r["shadow_bundle"] != "v2" || r["shadow_decision"] != "block" ||
			!strings.Contains(string(diff), "decision allow -\\u003e block") && !strings.Contains(string(diff), "decision allow -> block") ||
			!strings.Contains(string(diff), "rule +no-admin") {
			t.Errorf("function %d: record %v, want bundle v1 allow, shadow v2 block with the differences", i, r)
		}
	}
}

// keepActive invokes every function with a benign event, back to back,
// for d (at least once): the agents check for bundles only in the windows
// after invocations, as they do in Lambda, where a frozen environment
// runs nothing.
func keepActive(t *testing.T, fns []*emulator.Function, d time.Duration) {
	t.Helper()
	end := time.Now().Add(d)
	for first := true; first || time.Now().Before(end); first = false {
		for _, fn := range fns {
			if res := invoke(t, fn, getEvent("/orders"), emulator.InvokeOptions{}); res.FunctionError != "" {
				t.Fatalf("benign invocation failed: %s", res.Payload)
			}
		}
	}
}

// waitFor polls cond every 100 ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting until %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSignedBundlesUnderManagedInstances runs the agent as Lambda Managed
// Instances run it (several invocations in flight, no INVOKE events, never
// frozen): bundle checks run on the background runner's timer, so a pushed
// bundle is in force after a poll interval even with no invocation in
// between.
func TestSignedBundlesUnderManagedInstances(t *testing.T) {
	w := newBundleWorld(t)
	ctx := t.Context()
	v1 := w.sign(t, "v1", "", basePolicyDoc)
	v2 := w.sign(t, "v2", "v1", strictPolicyDoc)
	if _, err := w.pub.Push(ctx, v1, false); err != nil {
		t.Fatal(err)
	}
	fn, logs := startFunction(t, setup{handler: "echo", env: w.env, cfg: emulator.Config{Concurrency: 2, Credentials: roleCredentials}})
	waitFor(t, 10*time.Second, "the agent runs bundle v1", func() bool {
		res := invoke(t, fn, getEvent("/orders"), emulator.InvokeOptions{})
		r := recordOf(logs, res.RequestID)
		return r != nil && r["bundle"] == "v1"
	})
	if got := decisions(t, []*emulator.Function{fn}, "/admin"); got[0] != "allow" {
		t.Fatalf("GET /admin under v1: %s", got[0])
	}
	if _, err := w.pub.Push(ctx, v2, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(bundlePoll + fetchAllowance) // no invocation: the timer polls
	if got := decisions(t, []*emulator.Function{fn}, "/admin"); got[0] != "block" {
		t.Fatalf("GET /admin %v after the push with no invocation between: %s, want v2's block", bundlePoll+fetchAllowance, got[0])
	}
}
