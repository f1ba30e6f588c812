package ato_test

import (
	"fmt"
	"testing"
)

// The owner of a sprayed account logged in on one instance only; the
// others spare her pair all the same once the group shares it: within one
// sync interval of each instance learning the hold.
func TestKnownGoodLoginIsHonouredByInstancesThatNeverSawIt(t *testing.T) {
	const sprayers, threshold = 60, 10
	f := newFleetRun(t, instances, syncEvery)
	real := f.addRealUsers(5)
	owner := real[2]
	if a := f.sendLogin(0, owner.src, owner.name, owner.pass); a.status != 200 {
		t.Fatalf("the owner's login on instance 0: %d", a.status)
	}
	run := newAttackRun()
	ownerTries, ownerRefused, lastOwnerRefusal := 0, 0, -1
	for i := 0; i < sprayers; i++ {
		a := f.sendLogin(i, fmt.Sprintf("10.30.0.%d", i+1), owner.name, "Winter2026!")
		run.note(i+1, i, a, 429)
		// The owner, on the instances that never saw her log in, once
		// the account is held (before, each would see her succeed).
		if run.firstRefused < 0 {
			continue
		}
		ownerTries++
		if b := f.sendLogin(i%(instances-1)+1, owner.src, owner.name, owner.pass); b.status != 200 {
			ownerRefused++
			lastOwnerRefusal = i + 1
		}
	}
	run.check(t, "password spraying", threshold)
	// An instance may learn the hold one sync before the owner's pair is
	// published (the instance that knows it publishes when it reads the
	// hold): at most one interval of refusals, right after the hold.
	if ownerRefused > 0 && lastOwnerRefusal > run.firstRefused+perSync {
		t.Errorf("the owner was refused at her attempt %d, more than one sync interval (%d attempts) after the hold was first applied at %d", lastOwnerRefusal, perSync, run.firstRefused)
	}
	if len(f.reasonsIn("login:spraying:log")) == 0 {
		t.Error("the owner's logins during the hold are not recorded as let through (known good)")
	}
	f.assertNoLeaks("member-", "MEMBER-", "Winter2026", "correct horse")
	figure(t, "known good across the group, %d instances, the owner seen on 1: spraying held from attempt %d; the owner's logins on the other instances refused %d of %d (last at %d; one sync = %d attempts)",
		instances, run.firstRefused, ownerRefused, ownerTries, lastOwnerRefusal, perSync)
}
