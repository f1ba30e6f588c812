package ato_test

import (
	"fmt"
	"strings"
	"testing"
)

// ordersPolicy watches the orders route's share of 5xx answers: a crossing
// refuses the sources that contributed the errors, on that route only.
const ordersPolicy = `
errorRatios:
  - id: orders-5xx
    routes: [POST /orders]
    ratio: 0.3
    minRequests: 40
    within: 10m
    sources: 3
    action: block
    for: 15m
`

// orders is a handler that an order of a negative quantity breaks (no
// injection for the detectors to see: only the answers tell).
func orders(method, path, body string) (int, string) {
	if path != "/orders" {
		return 200, `{"ok":true}`
	}
	if strings.Contains(body, `"quantity":-`) {
		return 500, `{"error":"internal"}`
	}
	return 201, `{"id":"o-1"}`
}

func TestErrorRatioRefusesTheFuzzersOfARouteAcrossInstances(t *testing.T) {
	const rounds, fuzzers = 150, 3
	f := newFleetRunWith(t, instances, syncEvery, ordersPolicy)
	real := f.addRealUsers(30)
	run := newAttackRun()
	requests, errors := 0, 0
	crossedAt := -1 // the fuzzers' attempt after which both the ratio and the minimum held
	for i := 0; i < rounds; i++ {
		src := fmt.Sprintf("203.0.113.%d", i%fuzzers+1)
		a := f.send(i, "POST", "/orders", src, fmt.Sprintf(`{"item":"book","quantity":-%d}`, i+1), orders)
		run.note(i+1, i, a, 429)
		if !a.byAgent {
			requests++
			if a.status == 500 {
				errors++
			}
		}
		u := real[i%len(real)]
		run.realLogins++
		if b := f.send(i+1, "POST", "/orders", u.src, `{"item":"book","quantity":1}`, orders); b.status != 201 {
			run.realRefused++
		} else {
			requests++
		}
		if crossedAt < 0 && requests >= 40 && float64(errors) >= 0.3*float64(requests) {
			crossedAt = i + 1
		}
	}
	if crossedAt < 0 {
		t.Fatal("the route's error ratio never crossed")
	}
	run.check(t, "error ratio", crossedAt-1)
	// Every instance records the crossing at most once.
	crossings := 0
	for _, r := range f.reasonsIn("error-ratio:orders-5xx:log:") {
		if strings.Contains(r, "count=") {
			crossings++
		}
	}
	if crossings == 0 || crossings > instances {
		t.Errorf("the crossing was recorded %d times; want 1 to %d (once per instance)", crossings, instances)
	}
	if len(f.reasonsIn("error-ratio:orders-5xx:block:count=")) == 0 {
		t.Error("no record names a refused contributor with its count")
	}
	// The contributors are refused on the orders route only.
	if a := f.send(0, "GET", "/catalog", "203.0.113.1", "", orders); a.byAgent {
		t.Errorf("a contributor was refused on another route: %+v", a)
	}
	f.assertNoLeaks("203.0.113.", "198.51.100.")
	figure(t, "error ratio 0.3 of at least 40 requests on POST /orders, %d instances, %d fuzzing sources: crossed at their attempt %d, first 429 at %d, last attempt reaching the function %d of %d, real users %d/%d refused, crossing recorded %d times",
		instances, fuzzers, crossedAt, run.firstRefused, run.lastReached, rounds, run.realRefused, run.realLogins, crossings)
}
