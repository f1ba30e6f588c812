package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// A replay is a recorded sequence of requests and the function's answers,
// one JSON object per line:
//
//	{"at": "2026-12-06T10:00:00.250Z", "event": {...}, "response": {...}}
//
// event is the Lambda event the front door sent; response, the object the
// function returned (statusCode, headers, body), shown to the agent's
// response watch as the proxy would when the event is let through; at,
// when given, is when the request arrived (RFC 3339, never earlier than the
// line before; default: the line before's time). The abuse counters
// (logins, responses, error ratios, per-environment rate limits) run in
// this process's memory, as one execution environment counts without
// shared state.

// replayLine is one line of a replay.
type replayLine struct {
	At       string          `json:"at"`
	Event    json.RawMessage `json:"event"`
	Response json.RawMessage `json:"response"`
}

// replayClock is the replay's time, set from each line.
type replayClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *replayClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *replayClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// maxReplayLine bounds one line: an event and a response of Lambda's
// payload limit.
const maxReplayLine = 2*maxEventSize + 1024

// fired is when a reason first appeared in a replay.
type fired struct {
	line  int
	at    time.Time
	times int
}

func runReplay(ctx context.Context, cfgPath, mode, path string, verbose bool, stdout, stderr io.Writer) int {
	clk := &replayClock{t: time.Now().UTC()}
	var d *firewall.Decision // the decision of the line being replayed
	opts := firewall.Options{Now: clk.Now, Observer: firewall.ObserverFunc(func(_ context.Context, dd *firewall.Decision) { d = dd })}
	if mode != "" {
		m, ok := policy.ParseMode(mode)
		if !ok {
			fmt.Fprintf(stderr, "-mode: expected block, log or off, got %q\n", mode)
			return 2
		}
		opts.Mode = m
	}
	p := policy.Default()
	if cfgPath != "" {
		var err error
		if p, err = policy.Load(cfgPath); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	opts.CompleteWalk = true // every finding, for tuning
	fw := firewall.New(p, opts)
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 2
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxReplayLine)
	var (
		n, shown  int
		first     time.Time
		counts    = map[policy.Outcome]int{}
		firedAt   = map[string]*fired{}
		firedKeys []string
	)
	for sc.Scan() {
		n++
		if ctx.Err() != nil {
			return 2
		}
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var l replayLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			fmt.Fprintf(stderr, "%s:%d: not a replay line: %v\n", path, n, err)
			return 2
		}
		if len(l.Event) == 0 {
			fmt.Fprintf(stderr, "%s:%d: no event\n", path, n)
			return 2
		}
		if l.At != "" {
			t, err := time.Parse(time.RFC3339Nano, l.At)
			if err != nil {
				fmt.Fprintf(stderr, "%s:%d: at: expected an RFC 3339 time, got %q\n", path, n, l.At)
				return 2
			}
			if t.Before(clk.Now()) && !first.IsZero() {
				fmt.Fprintf(stderr, "%s:%d: at %s is earlier than the line before\n", path, n, l.At)
				return 2
			}
			clk.set(t)
		}
		if first.IsZero() {
			first = clk.Now()
		}
		d = nil
		v, err := fw.InspectEvent(ctx, &proxy.Invocation{RequestID: fmt.Sprintf("replay-%d", n), Event: l.Event})
		if err != nil && d == nil {
			fmt.Fprintf(stderr, "%s:%d: %v\n", path, n, err)
			return 2
		}
		if !v.Block && v.Response != nil && len(l.Response) > 0 {
			if _, err := v.Response.FilterResponse(ctx, l.Response); err != nil {
				fmt.Fprintf(stderr, "%s:%d: response: %v\n", path, n, err)
				return 2
			}
		}
		if d == nil {
			continue
		}
		counts[d.Outcome]++
		for _, r := range d.Reasons {
			if r.Threshold == 0 && r.Kind != policy.ReasonRateLimit && r.Kind != policy.ReasonFlagged {
				continue
			}
			k := string(r.Kind) + ":" + r.ID + ":" + string(r.Action)
			if fa, ok := firedAt[k]; ok {
				fa.times++
				continue
			}
			firedAt[k] = &fired{line: n, at: clk.Now(), times: 1}
			firedKeys = append(firedKeys, k)
		}
		if d.Outcome == policy.Allow && !verbose {
			continue
		}
		shown++
		printReplayDecision(stdout, n, clk.Now().Sub(first), d)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "replay %s: %v\n", path, err)
		return 2
	}
	fmt.Fprintf(stdout, "\n%d request%s replayed over %s: %d blocked, %d logged, %d allowed\n",
		counts[policy.Block]+counts[policy.Log]+counts[policy.Allow], plural(counts[policy.Block]+counts[policy.Log]+counts[policy.Allow]),
		clk.Now().Sub(first).Round(time.Millisecond), counts[policy.Block], counts[policy.Log], counts[policy.Allow])
	if len(firedKeys) == 0 {
		fmt.Fprintln(stdout, "no threshold fired")
		return 0
	}
	sort.SliceStable(firedKeys, func(i, j int) bool { return firedAt[firedKeys[i]].line < firedAt[firedKeys[j]].line })
	fmt.Fprintln(stdout, "thresholds fired (first request they applied to):")
	for _, k := range firedKeys {
		fa := firedAt[k]
		fmt.Fprintf(stdout, "  %-36s line %d, +%s; applied to %d request%s\n", k, fa.line, fa.at.Sub(first).Round(time.Millisecond), fa.times, plural(fa.times))
	}
	return 0
}

func printReplayDecision(w io.Writer, line int, since time.Duration, d *firewall.Decision) {
	head := strings.ToUpper(string(d.Outcome))
	if d.Outcome == policy.Block {
		head = fmt.Sprintf("BLOCK %d", d.Status)
		if d.RetryAfter > 0 {
			head += fmt.Sprintf(" Retry-After %ds", d.RetryAfter)
		}
	}
	if d.WouldBlock {
		head += " (would block)"
	}
	what := d.Route
	if what == "" {
		what = d.Method
	}
	fmt.Fprintf(w, "line %d +%s %s: %s\n", line, since.Round(time.Millisecond), what, head)
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "    %s %s %s", r.Action, r.Kind, r.ID)
		if r.Threshold > 0 {
			fmt.Fprintf(w, " count %d/%d in %s", r.Count, r.Threshold, r.Window)
		}
		if r.Message != "" && r.Kind != policy.ReasonRule {
			fmt.Fprintf(w, ": %s", r.Message)
		}
		fmt.Fprintln(w)
	}
}
