package fleet_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/fleet"
)

// fixedClock is a settable clock shared by environments.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

func TestLeasesNeverGrantMoreThanTheLimit(t *testing.T) {
	srv := startServer(t)
	clock := &fixedClock{t: time.Unix(1_900_000_000, 0)}
	const limit = 10
	envs := newEnvironments(t, srv, 3, fleet.Options{
		Limits: []fleet.Limit{{ID: "login", Limit: limit, Window: time.Minute}},
		Key:    sharedKeyFunc,
		Now:    clock.now,
	}, zerolog.Nop())
	ctx := context.Background()
	admitted := 0
	offer := func(e *environment, n int) (got int) {
		for range n {
			if e.state.Allow(0, "user-1").Allowed {
				got++
			}
		}
		admitted += got
		return got
	}
	// Before any sync each environment admits its credit (1) only.
	for i, e := range envs {
		if got := offer(e, 5); got != fleet.DefaultCredit {
			t.Fatalf("environment %d admitted %d before its first lease, want the credit %d", i, got, fleet.DefaultCredit)
		}
	}
	// Rounds of syncs and demand: leases are slices of the counter below
	// the limit, so the fleet never admits more than the limit plus one
	// credit per environment.
	for round := range 5 {
		for _, e := range envs {
			if err := e.state.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range envs {
			offer(e, 20)
		}
		clock.t = clock.t.Add(time.Second)
		t.Logf("round %d: admitted %d", round, admitted)
	}
	if bound := limit + len(envs)*fleet.DefaultCredit; admitted > bound || admitted < limit {
		t.Errorf("admitted %d in one window, want between the limit %d and the bound %d", admitted, limit, bound)
	}
	// The next window starts afresh.
	clock.t = clock.t.Add(time.Minute)
	for _, e := range envs {
		if err := e.state.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !envs[0].state.Allow(0, "user-1").Allowed {
		t.Error("a new window refused the first request")
	}
}

func TestExpiredItemsAreAbsent(t *testing.T) {
	srv := startServer(t)
	tbl := &fleet.Table{API: srv.Client(), Name: table, Group: "shop"}
	ctx := context.Background()
	now := time.Now()
	// A flag item written long ago: its expiresAt has passed, and dynalite
	// (like DynamoDB, often for a long time) still stores it.
	if err := tbl.SetFlag(ctx, "ip_00000000000000aa", now.Add(time.Hour), now.Add(-fleet.MaxFlagDuration-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if flags, err := tbl.Flags(ctx, now); err != nil || len(flags) != 0 {
		t.Errorf("flags of an expired item = %v (%v), want none", flags, err)
	}
	if all, err := tbl.Flags(ctx, time.Time{}); err != nil || len(all) != 1 {
		t.Errorf("the expired item is gone from the table (%v, %v): the test shows nothing", all, err)
	}
	// A live item (another group's) with one lapsed and one current flag.
	tbl = &fleet.Table{API: srv.Client(), Name: table, Group: "shop2"}
	if err := tbl.SetFlag(ctx, "ip_00000000000000bb", now.Add(-time.Second), now); err != nil {
		t.Fatal(err)
	}
	if err := tbl.SetFlag(ctx, "usr_00000000000000cc", now.Add(time.Hour), now); err != nil {
		t.Fatal(err)
	}
	flags, err := tbl.Flags(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range flags {
		got[f.Pseudonym] = true
	}
	if len(got) != 1 || !got["usr_00000000000000cc"] {
		t.Errorf("flags in force = %v, want only usr_00000000000000cc", got)
	}
}
