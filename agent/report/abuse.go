package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// Abuse is one counter's row of the abuse section: a login detector, a
// response counter, a rate limit or a flag, with what it did.
type Abuse struct {
	// Reason is kind:id:action as records write it
	// (login:stuffing:block, responses:scanning:log, rate-limit:api:block).
	Reason string
	// Requests it applied to, and the distinct sources among them.
	Requests, Sources int
	// Count and Threshold are the highest count seen against the
	// threshold (abuse counters), or the group's highest count for a
	// global rate limit's window (Threshold 0).
	Count, Threshold int64
	// Window is the counter's window, as records write it ("10m0s").
	Window      string
	First, Last time.Time
}

// abuseKinds are the reason kinds the section lists: what counters over
// many requests decided, rather than what one request held.
var abuseKinds = []string{"login", "responses", "error-ratio", "flagged", "rate-limit"}

// abuseRows aggregates the reasons of counters in the decisions, most
// requests first.
func abuseRows(recs []telemetry.Record) []Abuse {
	rows := map[string]*Abuse{}
	sources := map[string]map[string]bool{}
	for i := range recs {
		r := &recs[i]
		for _, reason := range r.Reasons {
			kind, rest, ok := strings.Cut(reason, ":")
			if !ok || !slices.Contains(abuseKinds, kind) {
				continue
			}
			parts := strings.Split(rest, ":")
			if len(parts) < 2 {
				continue
			}
			key := kind + ":" + parts[0] + ":" + parts[1]
			a := rows[key]
			if a == nil {
				a = &Abuse{Reason: key}
				rows[key], sources[key] = a, map[string]bool{}
			}
			a.Requests++
			if r.Source != "" && !sources[key][r.Source] {
				sources[key][r.Source] = true
				a.Sources++
			}
			if !r.Time.IsZero() {
				if a.First.IsZero() || r.Time.Before(a.First) {
					a.First = r.Time
				}
				if r.Time.After(a.Last) {
					a.Last = r.Time
				}
			}
			for _, p := range parts[2:] {
				name, val, _ := strings.Cut(p, "=")
				switch name {
				case "count":
					c, t, _ := strings.Cut(val, "/")
					n, _ := strconv.ParseInt(c, 10, 64)
					a.Count = max(a.Count, n)
					a.Threshold, _ = strconv.ParseInt(t, 10, 64)
				case "fleet":
					n, _ := strconv.ParseInt(val, 10, 64)
					a.Count = max(a.Count, n)
				case "window":
					a.Window = val
				}
			}
		}
	}
	out := make([]Abuse, 0, len(rows))
	for _, a := range rows {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Abuse) int {
		return cmp.Or(cmp.Compare(b.Requests, a.Requests), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}
