package ato_test

import (
	"fmt"
	"strings"
	"testing"
)

// Each loop of the runs below sends one attack request and one real
// user's request, and the group syncs every syncEvery requests: the
// attacker gets perSync attempts per sync interval.
const (
	instances = 4
	syncEvery = 10
	perSync   = syncEvery / 2
)

// blockedBy is the latest attempt at which a threshold of n, crossed at
// the n-th counted failure, may still let the attacker through: the
// interval in which the n-th failure happens ends with the sync that
// flags, and every instance reads the flag at its next sync.
func blockedBy(n int) int { return n + 2*perSync }

// attackRun sums up an attack: which attempts reached the function, which
// the agent refused and how.
type attackRun struct {
	attempts, reached, firstRefused, lastReached int
	refusedBy                                    map[int]int // instance → refusals
	badRefusal                                   []string
	realLogins, realRefused                      int
}

func newAttackRun() *attackRun { return &attackRun{firstRefused: -1, refusedBy: map[int]int{}} }

// note records attempt n (1-based) sent to instance i.
func (r *attackRun) note(n, i int, a answer, wantStatus int) {
	r.attempts++
	if !a.byAgent {
		r.reached++
		r.lastReached = n
		return
	}
	r.refusedBy[i%instances]++
	if r.firstRefused < 0 {
		r.firstRefused = n
	}
	if a.status != wantStatus || (wantStatus == 429 && (a.retryAfter < 1 || a.retryAfter > 15*60)) {
		r.badRefusal = append(r.badRefusal, fmt.Sprintf("attempt %d: status %d, Retry-After %d", n, a.status, a.retryAfter))
	}
}

func (r *attackRun) check(t *testing.T, what string, threshold int) {
	t.Helper()
	if r.firstRefused < 0 {
		t.Fatalf("%s: never refused in %d attempts", what, r.attempts)
	}
	if r.firstRefused <= threshold {
		t.Errorf("%s: refused at attempt %d, before the threshold of %d was crossed", what, r.firstRefused, threshold)
	}
	if r.lastReached > blockedBy(threshold) {
		t.Errorf("%s: attempt %d still reached the function; every instance should refuse from attempt %d", what, r.lastReached, blockedBy(threshold)+1)
	}
	for i := 0; i < instances; i++ {
		if r.refusedBy[i] == 0 {
			t.Errorf("%s: instance %d never refused the attacker", what, i)
		}
	}
	for _, b := range r.badRefusal {
		t.Errorf("%s: %s", what, b)
	}
	if r.realRefused > 0 {
		t.Errorf("%s: %d of %d real users' logins were refused", what, r.realRefused, r.realLogins)
	}
}

func (r *attackRun) realLogin(f *fleetRun, i int, u realUser) {
	r.realLogins++
	if a := f.sendLogin(i, u.src, u.name, u.pass); a.status != 200 {
		r.realRefused++
	}
}

func TestCredentialStuffingSourceIsBlockedAcrossInstances(t *testing.T) {
	const attempts, threshold = 300, 20
	f := newFleetRun(t, instances, syncEvery)
	real := f.addRealUsers(40)
	// Among the attacker's list, five credentials really work.
	leaked := map[int]string{}
	for _, i := range []int{60, 150, 200, 250, 299} {
		name := fmt.Sprintf("victim-%03d", i)
		leaked[i] = "hunter2-" + name
		f.users[name] = leaked[i]
	}
	const attacker = "203.0.113.66"
	run := newAttackRun()
	compromised := 0
	for i := 0; i < attempts; i++ {
		name, pass := fmt.Sprintf("victim-%03d", i), fmt.Sprintf("guess-%d", i)
		if p, ok := leaked[i]; ok {
			pass = p
		}
		a := f.sendLogin(i, attacker, name, pass)
		run.note(i+1, i, a, 429)
		if !a.byAgent && a.status == 200 {
			compromised++
		}
		run.realLogin(f, i+1, real[i%len(real)])
	}
	run.check(t, "credential stuffing", threshold)
	if compromised > 0 {
		t.Errorf("the attacker logged in with %d leaked credentials", compromised)
	}
	if len(f.reasonsIn("login:stuffing:block:count=")) == 0 {
		t.Error("no record names the stuffing detector with its count")
	}
	f.assertNoLeaks("victim-", "member-", "hunter2", "guess-", "correct horse")
	figure(t, "credential stuffing, %d instances, threshold %d users: first 429 at attempt %d, last attempt reaching the function %d of %d (%d reached), %d of 5 working leaked credentials used, real users %d/%d logins refused",
		instances, threshold, run.firstRefused, run.lastReached, attempts, run.reached, compromised, run.realRefused, run.realLogins)
}

func TestPasswordSprayingIsCaughtByUserName(t *testing.T) {
	const sprayers, threshold = 60, 10
	f := newFleetRun(t, instances, syncEvery)
	real := f.addRealUsers(20)
	owner := real[7]
	// The account's owner logs in regularly: once on each instance
	// before the run (a known-good address for that account).
	for i := 0; i < instances; i++ {
		if a := f.sendLogin(i, owner.src, owner.name, owner.pass); a.status != 200 {
			t.Fatalf("the owner's login before the run: %d", a.status)
		}
	}
	run := newAttackRun()
	for i := 0; i < sprayers; i++ {
		src := fmt.Sprintf("10.20.%d.%d", i/200, i%200+1)
		a := f.sendLogin(i, src, strings.ToUpper(owner.name), "Spring2026!") // user names are matched case-insensitively
		run.note(i+1, i, a, 429)
		if i%3 == 0 {
			run.realLogin(f, i+1, owner) // the owner keeps logging in
		} else {
			run.realLogin(f, i+1, real[i%len(real)])
		}
	}
	run.check(t, "password spraying", threshold)
	// The hold is on the user name: a sprayer's address can still try
	// another account.
	if a := f.sendLogin(0, "10.20.0.60", real[1].name, "wrong"); a.byAgent || a.status != 401 {
		t.Errorf("a sprayer's login as another user: got %+v, want the function's 401", a)
	}
	if len(f.reasonsIn("login:spraying:block:count=")) == 0 {
		t.Error("no record names the spraying detector with its count")
	}
	if len(f.reasonsIn("login:spraying:log")) == 0 {
		t.Error("the owner's logins during the hold are not recorded as let through (known good)")
	}
	f.assertNoLeaks("member-", "MEMBER-", "Spring2026", "correct horse")
	figure(t, "password spraying, %d instances, threshold %d sources: first 429 at attempt %d, last attempt reaching the function %d of %d, real users (the owner included) %d/%d logins refused",
		instances, threshold, run.firstRefused, run.lastReached, sprayers, run.realRefused, run.realLogins)
}

func TestBruteForceOnOneAccountIsBlocked(t *testing.T) {
	const attempts, threshold = 40, 8
	f := newFleetRun(t, instances, syncEvery)
	real := f.addRealUsers(10)
	target := real[3]
	run := newAttackRun()
	for i := 0; i < attempts; i++ {
		a := f.sendLogin(i, "192.0.2.200", target.name, fmt.Sprintf("guess-%d", i))
		run.note(i+1, i, a, 429)
		run.realLogin(f, i+1, real[i%len(real)]) // the target's owner among them
	}
	run.check(t, "brute force", threshold)
	figure(t, "brute force, threshold %d failures: first 429 at attempt %d, last attempt reaching the function %d of %d, real users %d/%d logins refused",
		threshold, run.firstRefused, run.lastReached, attempts, run.realRefused, run.realLogins)
}
