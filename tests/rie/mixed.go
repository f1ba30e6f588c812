package rie

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
)

// Kind is one kind of invocation in mixed traffic.
type Kind string

// The kinds of mixed traffic.
const (
	Benign  Kind = "benign"  // 1 KB event, echoed
	Blocked Kind = "blocked" // SQL injection: answered by the agent, never seen by the handler
	Failing Kind = "error"   // the handler returns an error
	Panic   Kind = "panic"   // the handler panics (aws-lambda-go exits: the environment resets)
	Timeout Kind = "timeout" // the handler outlives the function timeout
	Large   Kind = "6mb"     // a ~6 MB event, echoed as a digest
	Stream  Kind = "stream"  // a streamed response
)

// largeSize keeps the event under the 6 MB (6,291,456 byte) limit of a
// synchronous invocation, its JSON escaping included.
const largeSize = 6_000_000

// Plan returns n invocations cycling through kinds with the given weights
// (kinds[i] appears weights[i] times per cycle), each with its own nonce.
func Plan(n int, timeoutMs int, mix map[Kind]int) []Event {
	var cycle []Kind
	for _, k := range []Kind{Benign, Blocked, Failing, Stream, Large, Panic, Timeout} {
		for range mix[k] {
			cycle = append(cycle, k)
		}
	}
	out := make([]Event, n)
	for i := range out {
		k := cycle[i%len(cycle)]
		e := Event{Nonce: fmt.Sprintf("%s-%06d", k, i), Size: 1024}
		switch k {
		case Blocked:
			e.Attack = true
		case Failing:
			e.Action = "error"
		case Panic:
			e.Action = "panic"
		case Timeout:
			e.Action, e.SleepMs = "sleep", timeoutMs+1500
		case Large:
			e.Size, e.Binary = largeSize, true
		case Stream:
			e.Action, e.Chunks = "stream", 64
		}
		out[i] = e
	}
	return out
}

// KindOf is the kind a nonce from Plan belongs to.
func KindOf(nonce string) Kind {
	k, _, _ := strings.Cut(nonce, "-")
	return Kind(k)
}

// Sightings counts the events the handler saw ("rie-handler saw <nonce>"
// lines, with RIE_HANDLER_TRACE=1). Observe is an awsrie.Options.OnLine.
type Sightings struct {
	mu   sync.Mutex
	seen map[string]int
}

// Observe reads one output line.
func (s *Sightings) Observe(line string) {
	_, nonce, ok := strings.Cut(line, "rie-handler saw ")
	if !ok {
		return
	}
	nonce = strings.TrimSpace(nonce)
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	s.seen[nonce]++
	s.mu.Unlock()
}

// Count is how often the handler saw nonce.
func (s *Sightings) Count(nonce string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[nonce]
}

// Outcome is what a mixed run found.
type Outcome struct {
	Sent        int
	Unavailable int // Runtime.Unavailable answers, retried
	Wall        time.Duration
	Problems    []string // lost, duplicated or altered invocations, with why
}

// RunMixed sends events inFlight at a time (retrying Runtime.Unavailable),
// then checks every answer and, with seen, how often the handler saw each
// event: benign, failing, streamed and large events exactly once with the
// answer naming them unaltered, blocked events never and answered with a
// 403.
func RunMixed(ctx context.Context, fn *Function, events []Event, inFlight int, seen *Sightings) Outcome {
	var (
		out       Outcome
		mu        sync.Mutex
		next      atomic.Int64
		unavail   atomic.Int64
		wg        sync.WaitGroup
		sentLen   = make([]int, len(events))
		sentSum   = make([]string, len(events))
		answers   = make([]*awsrie.Result, len(events))
		failures  = make([]error, len(events))
		blockMode = strings.Contains(strings.Join(fn.Setup.Env, " "), "=block")
	)
	start := time.Now()
	for range inFlight {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(events) {
					return
				}
				payload := events[i].JSON()
				sentLen[i], sentSum[i] = len(payload), sha(payload)
				giveUp := time.Now().Add(60 * time.Second)
				for {
					// A lost invocation must fail the run, not hang it.
					ictx, cancel := context.WithTimeout(ctx, 60*time.Second)
					r, err := fn.Invoke(ictx, payload)
					cancel()
					if err == nil && r.RuntimeUnavailable() {
						unavail.Add(1)
						if time.Now().After(giveUp) {
							err = errors.New("Runtime.Unavailable for 60 s: no runtime worker waits in next")
						} else {
							continue
						}
					}
					answers[i], failures[i] = r, err
					break
				}
			}
		})
	}
	wg.Wait()
	out.Wall = time.Since(start)
	out.Sent = len(events)
	out.Unavailable = int(unavail.Load())

	problem := func(e Event, format string, args ...any) {
		mu.Lock()
		out.Problems = append(out.Problems, e.Nonce+": "+fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	// The handler's lines pass through the emulator: give the last ones a
	// moment.
	if seen != nil {
		waitSightings(events, seen, blockMode)
	}
	for i, e := range events {
		if failures[i] != nil {
			problem(e, "no answer: %v", failures[i])
			continue
		}
		r := answers[i]
		kind := KindOf(e.Nonce)
		if seen != nil {
			want := 1
			if kind == Blocked && blockMode {
				want = 0
			}
			if got := seen.Count(e.Nonce); got != want {
				problem(e, "the handler saw it %d times, want %d", got, want)
			}
		}
		switch {
		case kind == Blocked && blockMode:
			if !bytes.Contains(r.Body, []byte(`"statusCode":403`)) {
				problem(e, "blocked event answered %d %.200q, want the 403 block response", r.Status, r.Body)
			}
		case kind == Benign || kind == Blocked || kind == Large:
			checkDigest(e, r, sentLen[i], sentSum[i], problem)
		case kind == Failing:
			if !bytes.Contains(r.Body, []byte("handler error for "+e.Nonce)) {
				problem(e, "error answered %d %.200q", r.Status, r.Body)
			}
		case kind == Panic:
			if !bytes.Contains(r.Body, []byte("handler panic for "+e.Nonce)) {
				problem(e, "panic answered %d %.200q", r.Status, r.Body)
			}
		case kind == Timeout:
			if b := bytes.ToLower(r.Body); !bytes.Contains(b, []byte("timed out")) && !bytes.Contains(b, []byte("timeout")) && !bytes.Contains(b, []byte("deadline exceeded")) {
				problem(e, "timeout answered %d %.200q", r.Status, r.Body)
			}
		case kind == Stream:
			var want strings.Builder
			for c := range e.Chunks {
				fmt.Fprintf(&want, "chunk %d of %s\n", c, e.Nonce)
			}
			if !bytes.HasSuffix(r.Body, []byte(want.String())) {
				problem(e, "stream answered %d, %d bytes, not the %d chunks in order: %.200q", r.Status, len(r.Body), e.Chunks, r.Body)
			}
		}
	}
	return out
}

// checkDigest checks an echo answer: 200, an API Gateway response whose
// body names the nonce, the event's length and its SHA-256.
func checkDigest(e Event, r *awsrie.Result, wantLen int, wantSum string, problem func(Event, string, ...any)) {
	var resp struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	var d struct {
		Nonce  string `json:"nonce"`
		Bytes  int    `json:"bytes"`
		SHA256 string `json:"sha256"`
	}
	if r.Status != 200 || json.Unmarshal(r.Body, &resp) != nil || json.Unmarshal([]byte(resp.Body), &d) != nil {
		problem(e, "answered %d %.200q, want the handler's digest", r.Status, r.Body)
		return
	}
	if d.Nonce != e.Nonce || d.Bytes != wantLen || d.SHA256 != wantSum {
		problem(e, "altered: the handler got nonce %q, %d bytes, sha256 %s; sent %d bytes, sha256 %s", d.Nonce, d.Bytes, d.SHA256, wantLen, wantSum)
	}
}

// waitSightings waits (up to 15 s: the emulator's output goes through
// pipes that a loaded machine drains late) until the handler's lines for
// every event it must have seen have arrived; it returns as soon as they
// have.
func waitSightings(events []Event, seen *Sightings, blockMode bool) {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		missing := false
		for _, e := range events {
			if KindOf(e.Nonce) == Blocked && blockMode {
				continue
			}
			if seen.Count(e.Nonce) == 0 {
				missing = true
				break
			}
		}
		if !missing {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
