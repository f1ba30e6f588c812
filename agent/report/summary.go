package report

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// Options tunes what a report shows.
type Options struct {
	// Title heads the page ("lambdawaf decisions" when empty).
	Title string
	// Source names where the records came from (a file name), shown in
	// the header.
	Source string
	// Top bounds the ranked lists (routes, sources, locations); 10 when 0.
	Top int
	// MaxBlocked bounds the table of blocked requests, newest first; 200
	// when 0. The page says how many were left out.
	MaxBlocked int
	// Now is the generation time shown (time.Now when zero).
	Now time.Time
}

// Count is a name with how often it occurred.
type Count struct {
	Name  string
	Count int
}

// Ranked is a route or a source with its decisions.
type Ranked struct {
	Name                   string
	Total, Blocked, Logged int
}

// Bucket is one interval of the timeline.
type Bucket struct {
	Start                    time.Time
	Allowed, Blocked, Logged int
}

// Summary is everything the page shows, computed from an Input.
type Summary struct {
	Title, Source string
	Generated     time.Time
	First, Last   time.Time

	Lines, Skipped                          int
	Total, Allowed, Blocked, Logged, Errors int
	// AllowedEstimate corrects Allowed for sampling (each allowed record
	// stands for 1/sample_rate events).
	AllowedEstimate int
	Functions       []Count
	Triggers        []Count

	Timeline    []Bucket
	BucketWidth time.Duration

	Classes   []Count
	Locations []Count
	Rules     []Count
	Routes    []Ranked
	Sources   []Ranked
	Leaks     []Count

	// Abuse lists what counters over many requests decided (login
	// detectors, response counters, rate limits, flags), most requests
	// first.
	Abuse []Abuse

	// Inspection latency over every decision, in microseconds.
	LatencyP50, LatencyP99, LatencyMax int64

	BlockedRequests []telemetry.Record
	BlockedOmitted  int
	// WouldBlock are the decisions log mode (or a rule in log mode) let
	// through that block mode would have refused, newest first, bounded
	// like BlockedRequests.
	WouldBlock        []telemetry.Record
	WouldBlockOmitted int
	// Records are the blocked and would-block decisions shown, as JSON,
	// each under an anchor of its own ("rec-3"; never built from the
	// record, whose fields a caller may have shaped); Anchors maps a request
	// id to it, so each table row links to its record.
	Records []RecordJSON
	Anchors map[string]string
	// Paths are the concrete request paths by request id, where the log
	// has them (`lambdawaf serve -log`).
	Paths map[string]string
}

// RecordJSON is one decision record, indented, under its anchor.
type RecordJSON struct {
	Anchor, RequestID, JSON string
}

// Summarize aggregates the records of in.
func Summarize(in *Input, opts Options) *Summary {
	top := cmp.Or(opts.Top, 10)
	maxBlocked := cmp.Or(opts.MaxBlocked, 200)
	s := &Summary{
		Title:     cmp.Or(opts.Title, "lambdawaf decisions"),
		Source:    opts.Source,
		Generated: opts.Now,
		Lines:     in.Lines,
		Skipped:   in.Skipped,
	}
	if s.Generated.IsZero() {
		s.Generated = time.Now()
	}
	s.Generated = s.Generated.UTC()

	functions, triggers := counter{}, counter{}
	classes, locations, rules, leaks := counter{}, counter{}, counter{}, counter{}
	routes, sources := ranker{}, ranker{}
	var latencies []int64
	var blocked, logged []telemetry.Record
	allowedEstimate := 0.0

	for i := range in.Decisions {
		r := &in.Decisions[i]
		s.Total++
		if !r.Time.IsZero() {
			if s.First.IsZero() || r.Time.Before(s.First) {
				s.First = r.Time
			}
			if r.Time.After(s.Last) {
				s.Last = r.Time
			}
		}
		switch r.Decision {
		case telemetry.DecisionBlock:
			s.Blocked++
			blocked = append(blocked, *r)
		case telemetry.DecisionLog:
			s.Logged++
			logged = append(logged, *r)
		default:
			s.Allowed++
			rate := r.SampleRate
			if rate <= 0 || rate > 1 {
				rate = 1
			}
			allowedEstimate += 1 / rate
		}
		if r.Error != "" {
			s.Errors++
		}
		functions.add(r.FunctionName)
		triggers.add(r.Trigger)
		route := r.Route
		if route == "" {
			route = r.Method
		} else if r.Method != "" && !startsWithMethod(route) {
			route = r.Method + " " + route
		}
		routes.add(cmp.Or(route, "(no route)"), r.Decision)
		if r.Source != "" {
			sources.add(r.Source, r.Decision)
		}
		for _, sig := range r.Signals {
			classes.add(sig.Class)
			locations.add(sig.Location)
			rules.add(sig.Rule)
		}
		latencies = append(latencies, r.InspectionMicros)
	}
	for i := range in.Responses {
		for _, l := range in.Responses[i].Leaks {
			leaks.addN(l.Kind, l.Count)
		}
	}
	s.AllowedEstimate = int(allowedEstimate + 0.5)
	s.Functions = functions.sorted(top)
	s.Triggers = triggers.sorted(top)
	s.Classes = classes.sorted(0)
	s.Locations = locations.sorted(top)
	s.Rules = rules.sorted(top)
	s.Leaks = leaks.sorted(0)
	s.Routes = routes.sorted(top)
	s.Sources = sources.sorted(top)
	s.Abuse = abuseRows(in.Decisions)

	if len(latencies) > 0 {
		slices.Sort(latencies)
		s.LatencyP50 = percentile(latencies, 50)
		s.LatencyP99 = percentile(latencies, 99)
		s.LatencyMax = latencies[len(latencies)-1]
	}

	s.Timeline, s.BucketWidth = timeline(in.Decisions, s.First, s.Last)

	slices.SortStableFunc(blocked, func(a, b telemetry.Record) int { return b.Time.Compare(a.Time) })
	if len(blocked) > maxBlocked {
		s.BlockedOmitted = len(blocked) - maxBlocked
		blocked = blocked[:maxBlocked]
	}
	s.BlockedRequests = blocked
	slices.SortStableFunc(logged, func(a, b telemetry.Record) int { return b.Time.Compare(a.Time) })
	if len(logged) > maxBlocked {
		s.WouldBlockOmitted = len(logged) - maxBlocked
		logged = logged[:maxBlocked]
	}
	s.WouldBlock = logged
	s.Paths, s.Anchors = map[string]string{}, map[string]string{}
	for _, list := range [][]telemetry.Record{blocked, logged} {
		for _, r := range list {
			if r.RequestID == "" || s.Anchors[r.RequestID] != "" {
				continue
			}
			if sr, ok := in.Requests[r.RequestID]; ok {
				s.Paths[r.RequestID] = strings.TrimSpace(sr.Method + " " + sr.Path)
			}
			b, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				continue
			}
			anchor := "rec-" + strconv.Itoa(len(s.Records)+1)
			s.Anchors[r.RequestID] = anchor
			s.Records = append(s.Records, RecordJSON{Anchor: anchor, RequestID: r.RequestID, JSON: string(b)})
		}
	}
	return s
}

func startsWithMethod(route string) bool {
	for _, m := range []string{"GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ", "ANY "} {
		if len(route) >= len(m) && route[:len(m)] == m {
			return true
		}
	}
	return false
}

// percentile returns the p-th percentile of sorted values (nearest rank).
func percentile(sorted []int64, p int) int64 {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

// bucketWidths are the interval sizes the timeline picks from.
var bucketWidths = []time.Duration{
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	7 * 24 * time.Hour,
}

// maxBuckets bounds the timeline's bars.
const maxBuckets = 60

func timeline(recs []telemetry.Record, first, last time.Time) ([]Bucket, time.Duration) {
	if first.IsZero() {
		return nil, 0
	}
	span := last.Sub(first)
	width := bucketWidths[len(bucketWidths)-1]
	for _, w := range bucketWidths {
		if span/w < maxBuckets {
			width = w
			break
		}
	}
	start := first.Truncate(width)
	n := int(last.Sub(start)/width) + 1
	n = min(n, maxBuckets*8) // a week-wide bucket over years: still bounded
	buckets := make([]Bucket, n)
	for i := range buckets {
		buckets[i].Start = start.Add(time.Duration(i) * width).UTC()
	}
	for i := range recs {
		r := &recs[i]
		if r.Time.IsZero() {
			continue
		}
		k := int(r.Time.Sub(start) / width)
		if k < 0 || k >= n {
			continue
		}
		switch r.Decision {
		case telemetry.DecisionBlock:
			buckets[k].Blocked++
		case telemetry.DecisionLog:
			buckets[k].Logged++
		default:
			buckets[k].Allowed++
		}
	}
	return buckets, width
}

type counter map[string]int

func (c counter) add(name string) { c.addN(name, 1) }

func (c counter) addN(name string, n int) {
	if name == "" {
		name = "(none)"
	}
	c[name] += n
}

// sorted returns the counts, largest first (ties by name), at most top
// (all when top is 0).
func (c counter) sorted(top int) []Count {
	out := make([]Count, 0, len(c))
	for name, n := range c {
		out = append(out, Count{Name: name, Count: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

type ranker map[string]*Ranked

func (r ranker) add(name, decision string) {
	e := r[name]
	if e == nil {
		e = &Ranked{Name: name}
		r[name] = e
	}
	e.Total++
	switch decision {
	case telemetry.DecisionBlock:
		e.Blocked++
	case telemetry.DecisionLog:
		e.Logged++
	}
}

// sorted ranks by blocked, then logged, then total: the page is about
// attacks, so the most attacked come first.
func (r ranker) sorted(top int) []Ranked {
	out := make([]Ranked, 0, len(r))
	for _, e := range r {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.Blocked, a.Blocked), cmp.Compare(b.Logged, a.Logged),
			cmp.Compare(b.Total, a.Total), cmp.Compare(a.Name, b.Name))
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}
