package rie

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
)

// fixture is built once per `go test` run, when AWS's emulator can run.
var fixture *Fixture

func TestMain(m *testing.M) {
	if awsrie.Usable() != nil {
		os.Exit(m.Run()) // every test skips, saying why
	}
	f, err := Build(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "rie build:", err)
		os.Exit(1)
	}
	fixture = f
	code := m.Run()
	f.Close()
	os.Exit(code)
}

func needRIE(t *testing.T) {
	t.Helper()
	if err := awsrie.Usable(); err != nil {
		t.Skipf("AWS's runtime interface emulator cannot run here: %v", err)
	}
}

// runMixed runs plan against the agent in block mode and fails the test
// on any lost, duplicated or altered invocation.
func runMixed(t *testing.T, plan []Event, timeoutSeconds, maxConcurrency, inFlight int) Outcome {
	t.Helper()
	var seen Sightings
	var log strings.Builder
	fn, err := fixture.Start(t.Context(), fixture.Block, RunOptions{
		MaxConcurrency: maxConcurrency,
		TimeoutSeconds: timeoutSeconds,
		Env:            []string{"RIE_HANDLER_TRACE=1"},
		OnLine: func(l string) {
			seen.Observe(l)
			if strings.Contains(l, "lambdawaf") && strings.Contains(l, `"level":"error"`) {
				log.WriteString(l + "\n")
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Close()
	out := RunMixed(t.Context(), fn, plan, inFlight, &seen)
	for _, p := range out.Problems {
		t.Error(p)
	}
	if t.Failed() {
		t.Logf("agent errors:\n%s\nemulator tail:\n%s", log.String(), fn.Tail())
	}
	t.Logf("%d invocations, %d in flight: %d problems, %d Runtime.Unavailable retried, %s", out.Sent, inFlight, len(out.Problems), out.Unavailable, out.Wall.Round(1e6))
	return out
}

// One at a time, every kind of invocation, including those that reset the
// environment (a handler panic, a timeout): the agent is started again and
// nothing is lost across the reset.
func TestMixedTrafficOneAtATimeLosesNothing(t *testing.T) {
	needRIE(t)
	plan := Plan(9, 4000, map[Kind]int{Benign: 3, Blocked: 1, Failing: 1, Stream: 1, Large: 1, Panic: 1, Timeout: 1})
	runMixed(t, plan, 4, 0, 1)
}

// Managed Instances: 16 runtime workers, 16 invocations in flight, one
// environment. Panics and timeouts are left out: there aws-lambda-go's
// process exits (a panic, or a 410 for a late error after a timeout) and
// the emulator then shuts the whole environment down, agent or not.
func TestMixedTrafficManagedInstancesLosesNothing(t *testing.T) {
	needRIE(t)
	plan := Plan(160, 10000, map[Kind]int{Benign: 20, Blocked: 5, Failing: 3, Stream: 3, Large: 1})
	runMixed(t, plan, 10, 16, 16)
}

// Managed Instances refuses INVOKE events; the agent follows the Telemetry
// API's platform.start instead, so a runtime that talks to the real
// Runtime API (here: the handler does not find the agent and so does not
// redirect) is still reported, and a redirected one is not. The mixed
// Managed Instances test above runs with the same subscription under 16
// in flight: the emulator must not stall (see lifecycle.SubscribePlatform).
func TestBypassDetectedUnderManagedInstances(t *testing.T) {
	needRIE(t)
	for _, tc := range []struct {
		name     string
		env      []string
		bypassed bool
	}{
		{"redirected", nil, false},
		{"bypassed", []string{"LAMBDAWAF_EXTENSIONS_DIR=/nonexistent"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var following, bypass bool
			fn, err := fixture.Start(t.Context(), fixture.Block, RunOptions{MaxConcurrency: 4, Env: tc.env, OnLine: func(l string) {
				mu.Lock()
				defer mu.Unlock()
				following = following || strings.Contains(l, "bypass detection follows the Telemetry API")
				bypass = bypass || strings.Contains(l, "LAMBDAWAF IS BEING BYPASSED")
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer fn.Close()
			out := RunMixed(t.Context(), fn, Plan(8, 10000, map[Kind]int{Benign: 1}), 2, nil)
			if len(out.Problems) > 0 {
				t.Fatalf("problems: %v", out.Problems)
			}
			deadline := time.Now().Add(3 * time.Second) // the watch's grace is 1 s
			for time.Now().Before(deadline) {
				mu.Lock()
				done := bypass == tc.bypassed && following
				mu.Unlock()
				if done && tc.bypassed {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			if !following {
				t.Errorf("the agent never said it follows the Telemetry API\n%s", fn.Tail())
			}
			if bypass != tc.bypassed {
				t.Errorf("bypass reported: %v, want %v\n%s", bypass, tc.bypassed, fn.Tail())
			}
		})
	}
}
