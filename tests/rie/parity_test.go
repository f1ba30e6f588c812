package rie

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// answer is an invocation's outcome as a client of the Invoke API sees
// it, with what changes from run to run (request ids) taken out.
type answer struct {
	FunctionError bool
	ErrorType     string
	Body          string
}

// requestID matches the request ids an answer may carry (the block
// response's X-Lambdawaf-Request-Id, an error message's RequestId).
var requestID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func normalise(body []byte) string {
	return requestID.ReplaceAllString(string(bytes.TrimSpace(body)), "<id>")
}

// awsAnswer reads aws-lambda-rie's invoke answer: the payload as is, a
// function error as its error document.
func awsAnswer(r *awsrie.Result) answer {
	a := answer{Body: normalise(r.Body)}
	var doc struct {
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(r.Body, &doc) == nil && doc.ErrorType != "" {
		a.FunctionError, a.ErrorType = true, doc.ErrorType
	}
	return a
}

func ownAnswer(r *emulator.Result) answer {
	return answer{FunctionError: r.FunctionError != "", ErrorType: r.ErrorType, Body: normalise(r.Payload)}
}

// TestOwnEmulatorAgreesWithAWS runs the same invocations through the agent
// (block mode) on AWS's emulator and on ours (agent/emulator, which serve
// and the fast tests use), one at a time in one environment each, and
// requires the same answers and the same deliveries to the handler: an
// echoed 1 KB event, a blocked one, a handler error, a streamed response,
// a 6 MB event, a panic (aws-lambda-go exits: the environment is reset),
// a timeout (reset), and an event after each reset.
//
// Two differences are AWS's emulator's own rendering, not Lambda's, and
// are checked as such rather than copied: its classic mode answers HTTP
// 502 when the runtime exits after an error (Lambda's Invoke API answers
// 200 with X-Amz-Function-Error: Unhandled, which ours models; the error
// document is the same), and on a timeout it races its timer against the
// runtime, answering either the plain text "Task timed out after N.00
// seconds" or the "context deadline exceeded" error aws-lambda-go gives up
// with; ours always answers what Lambda, and AWS's emulator's own Managed
// Instances mode (internal/lambda-managed-instances/invoke/utils.go), do:
// an error document of type Sandbox.Timedout with that message.
func TestOwnEmulatorAgreesWithAWS(t *testing.T) {
	needRIE(t)
	const timeoutSeconds = 8
	plan := Plan(7, timeoutSeconds*1000, map[Kind]int{Benign: 1, Blocked: 1, Failing: 1, Stream: 1, Large: 1, Panic: 1, Timeout: 1})
	after := Plan(2, 0, map[Kind]int{Benign: 1})
	plan = []Event{plan[0], plan[1], plan[2], plan[3], plan[4], plan[5], after[0], plan[6], after[1]}
	for i := range plan {
		plan[i].Nonce += "-" + string(rune('a'+i)) // unique across the two Plans
	}

	var awsSeen, ownSeen Sightings
	aws, own := startBoth(t, timeoutSeconds, 0, &awsSeen, &ownSeen)
	for _, e := range plan {
		payload := e.JSON()
		ra, err := aws.Invoke(t.Context(), payload)
		if err != nil {
			t.Fatalf("%s on AWS's emulator: %v", e.Nonce, err)
		}
		ro, err := own.Invoke(t.Context(), payload, emulator.InvokeOptions{})
		if err != nil {
			t.Fatalf("%s on ours: %v", e.Nonce, err)
		}
		a, o := awsAnswer(ra), ownAnswer(ro)
		switch KindOf(e.Nonce) {
		case Timeout:
			// AWS's emulator races its timer against the runtime: the
			// caller gets its plain-text timeout, or the error
			// aws-lambda-go gives up with at the deadline it was told.
			msg := "Task timed out after 8.00 seconds"
			if a.Body != msg && !(a.FunctionError && strings.Contains(a.Body, "deadline exceeded")) {
				t.Errorf("%s: AWS's emulator answered %+v, want a timeout", e.Nonce, a)
			}
			if !o.FunctionError || o.ErrorType != "Sandbox.Timedout" || !strings.Contains(o.Body, msg) {
				t.Errorf("%s: ours answered %+v, want a Sandbox.Timedout error document saying %q", e.Nonce, o, msg)
			}
		case Panic:
			if ra.Status != 502 || ro.StatusCode != 200 || ro.FunctionError != "Unhandled" {
				t.Errorf("%s: statuses AWS %d, ours %d %q; want 502 from AWS's emulator, 200 Unhandled from ours (Lambda's Invoke API)", e.Nonce, ra.Status, ro.StatusCode, ro.FunctionError)
			}
			fallthrough
		default:
			if a != o {
				t.Errorf("%s: answers differ\n AWS's: %.400v\n ours:  %.400v", e.Nonce, a, o)
			}
		}
	}
	waitSightings(plan, &awsSeen, true)
	waitSightings(plan, &ownSeen, true)
	for _, e := range plan {
		if a, o := awsSeen.Count(e.Nonce), ownSeen.Count(e.Nonce); a != o {
			t.Errorf("%s: the handler saw it %d times on AWS's emulator, %d on ours", e.Nonce, a, o)
		}
	}
	if t.Failed() {
		t.Logf("AWS's emulator, last lines:\n%s", aws.Tail())
	}
}

// Managed Instances: the same invocations 4 at a time in one environment
// with AWS_LAMBDA_MAX_CONCURRENCY=4 on both emulators (no panics or
// timeouts: there aws-lambda-go's exit and a timeout reset every
// invocation in flight). Each must get the same answer on both, and reach
// the handler the same number of times. AWS's emulator buffers responses
// in this mode, so a stream is compared whole.
func TestOwnEmulatorAgreesWithAWSUnderManagedInstances(t *testing.T) {
	needRIE(t)
	const inFlight = 4
	plan := Plan(24, 0, map[Kind]int{Benign: 3, Blocked: 1, Failing: 1, Stream: 1})
	var awsSeen, ownSeen Sightings
	aws, own := startBoth(t, 10, inFlight, &awsSeen, &ownSeen)
	answers := make([][2]answer, len(plan))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range inFlight {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(plan) {
					return
				}
				payload := plan[i].JSON()
				for {
					ra, err := aws.Invoke(t.Context(), payload)
					if err != nil {
						t.Errorf("%s on AWS's emulator: %v", plan[i].Nonce, err)
						return
					}
					if ra.RuntimeUnavailable() {
						continue // no worker waiting in next yet: retry, as clients do
					}
					answers[i][0] = awsAnswer(ra)
					break
				}
				ro, err := own.Invoke(t.Context(), payload, emulator.InvokeOptions{})
				if err != nil {
					t.Errorf("%s on ours: %v", plan[i].Nonce, err)
					return
				}
				answers[i][1] = ownAnswer(ro)
			}
		})
	}
	wg.Wait()
	for i, e := range plan {
		if a, o := answers[i][0], answers[i][1]; a.Body == "" || !strings.Contains(a.Body, e.Nonce) && KindOf(e.Nonce) != Blocked {
			t.Errorf("%s: AWS's emulator answered %.300v, which does not name the event", e.Nonce, a)
		} else if a != o {
			t.Errorf("%s: answers differ\n AWS's: %.400v\n ours:  %.400v", e.Nonce, a, o)
		}
	}
	waitSightings(plan, &awsSeen, true)
	waitSightings(plan, &ownSeen, true)
	for _, e := range plan {
		if a, o := awsSeen.Count(e.Nonce), ownSeen.Count(e.Nonce); a != o {
			t.Errorf("%s: the handler saw it %d times on AWS's emulator, %d on ours", e.Nonce, a, o)
		}
	}
	if t.Failed() {
		t.Logf("AWS's emulator, last lines:\n%s", aws.Tail())
	}
}

// startBoth runs the handler behind the agent (block mode) on AWS's
// emulator and on ours, with the same timeout and, when maxConcurrency >
// 0, Managed Instances emulation on both; each one's handler sightings go
// to its Sightings. Both stop at the end of the test.
func startBoth(t *testing.T, timeoutSeconds, maxConcurrency int, awsSeen, ownSeen *Sightings) (*Function, *emulator.Function) {
	t.Helper()
	aws, err := fixture.Start(t.Context(), fixture.Block, RunOptions{
		TimeoutSeconds: timeoutSeconds,
		MaxConcurrency: maxConcurrency,
		Env:            []string{"RIE_HANDLER_TRACE=1"},
		OnLine:         awsSeen.Observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(aws.Close)
	port := testenv.FreePort(t)
	own, err := emulator.Start(t.Context(), emulator.Config{
		Handler:  []string{filepath.Join(fixture.Task, "bootstrap")},
		LayerDir: fixture.Block.Layer,
		Env: map[string]string{
			contract.EnvMode: "block", contract.EnvPort: port, "RIE_HANDLER_TRACE": "1",
			// Lambda puts the layer on /opt; ours plays it from a directory.
			contract.EnvExtensionsDir: filepath.Join(fixture.Block.Layer, "extensions"),
		},
		Timeout:     time.Duration(timeoutSeconds) * time.Second,
		Concurrency: maxConcurrency,
		Logs:        observer{ownSeen},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		own.Shutdown(ctx)
	})
	return aws, own
}

// observer feeds our emulator's log lines to Sightings.
type observer struct{ s *Sightings }

func (o observer) Write(p []byte) (int, error) {
	for _, l := range strings.Split(string(p), "\n") {
		o.s.Observe(l)
	}
	return len(p), nil
}

var _ io.Writer = observer{}
