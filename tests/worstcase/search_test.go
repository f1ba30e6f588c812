package worstcase

import (
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
)

var searchFor = flag.Duration("search", time.Minute, "how long BenchmarkSearchSlowestValues searches")

// searchTokens are the pieces units are built from: the value units and
// the single punctuation bytes the detectors' grammars care about.
var searchTokens = append(slices.Clone(valueUnits), strings.Split("<>'\"`()[]{};|&=+-*/\\%#@!?:,.$^~ \t\n", "")...)

// BenchmarkSearchSlowestValues searches for the unit whose repetition,
// as one JSON string value, costs the most CPU per byte: a random start,
// then hill climbing by adding, replacing and removing tokens. It logs the
// ten worst units found; add new ones to valueUnits. A benchmark, so that
// only asking runs it (it measures CPU time, best on an idle machine):
//
//	go test ./tests/worstcase -run '^$' -bench SearchSlowestValues -search 3m
func BenchmarkSearchSlowestValues(b *testing.B) {
	for range b.N {
		for _, f := range searchSlowestValues(b, *searchFor) {
			b.Logf("%7.1f CPU ms per MiB  %q", f.ms, f.unit)
		}
	}
}

// found is a unit and what one MiB of it costs.
type found struct {
	unit string
	ms   float64
}

func searchSlowestValues(t testing.TB, d time.Duration) []found {
	f := firewall.New(nil, firewall.Options{})
	const size = 256 << 10
	cost := func(unit []string) float64 {
		u := strings.Join(unit, "")
		body := httpEvent("application/json", `{"note":`+string(marshal(fill(u, size)))+`}`, false)
		m := time.Duration(1 << 62)
		for range 2 {
			c0 := cpuTime(t)
			inspect(t, f, body)
			m = min(m, cpuTime(t)-c0)
		}
		return float64(m.Microseconds()) / 1e3 * float64(1<<20) / size
	}
	var top []found
	keep := func(u []string, ms float64) {
		s := strings.Join(u, "")
		for _, f := range top {
			if f.unit == s {
				return
			}
		}
		top = append(top, found{s, ms})
		slices.SortFunc(top, func(a, b found) int { return int((b.ms - a.ms) * 1000) })
		top = top[:min(len(top), 10)]
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	tok := func() string { return searchTokens[r.IntN(len(searchTokens))] }
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		cur := []string{tok()}
		best := cost(cur)
		for range 30 { // climb
			next := slices.Clone(cur)
			switch k := r.IntN(3); {
			case k == 0 && len(next) < 8:
				next = slices.Insert(next, r.IntN(len(next)+1), tok())
			case k == 1:
				next[r.IntN(len(next))] = tok()
			case len(next) > 1:
				i := r.IntN(len(next))
				next = slices.Delete(next, i, i+1)
			}
			if c := cost(next); c > best {
				cur, best = next, c
			}
			if time.Now().After(deadline) {
				break
			}
		}
		keep(cur, best)
	}
	return top
}
