package ato_test

import (
	"fmt"
	"testing"
)

// files is a handler with one existing file: everything else is a 404.
func files(method, path, body string) (int, string) {
	if path == "/files/report.pdf" {
		return 200, `{"name":"report.pdf"}`
	}
	return 404, `{"error":"not found"}`
}

func TestScanningSourceIsFlaggedAcrossInstancesWithinOneSync(t *testing.T) {
	const requests, threshold = 300, 100
	f := newFleetRun(t, instances, syncEvery)
	real := f.addRealUsers(20)
	const scanner = "192.0.2.99"
	run := newAttackRun()
	crossedAt := -1 // the request whose 404 was the threshold-th
	notFound := 0
	for i := 0; i < requests; i++ {
		a := f.send(i, "GET", fmt.Sprintf("/files/backup-%d.zip", i), scanner, "", files)
		run.note(i+1, i, a, 403) // a flagged source gets flagging's status
		if !a.byAgent && a.status == 404 {
			notFound++
			if notFound == threshold {
				crossedAt = i + 1
			}
		}
		u := real[i%len(real)]
		run.realLogins++
		if b := f.send(i+1, "GET", "/files/report.pdf", u.src, "", files); b.status != 200 {
			run.realRefused++
		}
	}
	if crossedAt < 0 {
		t.Fatalf("the scanner's 404s never reached the threshold: %d", notFound)
	}
	run.check(t, "scanning", threshold)
	// Within one sync interval of the sync that flagged: every instance
	// refuses after at most two intervals of the scanner's requests past
	// the crossing (the one it happened in, the one that spread it).
	if run.lastReached-crossedAt > 2*perSync {
		t.Errorf("scanner reached the function %d requests after the crossing; want at most %d", run.lastReached-crossedAt, 2*perSync)
	}
	// The flag is the group's: every route refuses the source.
	if a := f.sendLogin(1, scanner, "member-001", "x"); !a.byAgent || a.status != 403 {
		t.Errorf("the flagged scanner's login: got %+v, want the agent's 403", a)
	}
	figure(t, "scanning, %d instances, threshold %d 404s in 1m: crossed at request %d, first refusal at %d, last request reaching the function %d of %d (%d requests after the crossing; one sync = %d of them), real users %d/%d refused",
		instances, threshold, crossedAt, run.firstRefused, run.lastReached, requests, run.lastReached-crossedAt, perSync, run.realRefused, run.realLogins)
}
