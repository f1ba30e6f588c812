package firewall

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

const noItemsPolicy = "version: 1\nmode: block\nrules:\n  - id: no-items\n    when: {field: path, prefix: /items}\n    action: block\n"

func compileBundle(t testing.TB, version, doc string) Bundle {
	t.Helper()
	p, err := policy.Parse([]byte(doc), filepath.Join(t.TempDir(), version+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return Bundle{Policy: p, Version: version}
}

func TestEveryDecisionNamesTheBundleThatMadeIt(t *testing.T) {
	f, _, rec := newTestFirewall(t, "", Options{Bundle: "baked"})
	ev := fixture(t, "apigw-v2.json", nil)
	inspect(t, f, ev)
	f.SwapBundles(compileBundle(t, "v1", "version: 1\n"), nil)
	inspect(t, f, ev)
	f.Swap(policy.Default()) // a configuration from a file is the baked one
	inspect(t, f, ev)
	var got []string
	for _, d := range rec.ds {
		got = append(got, d.Bundle)
	}
	if want := []string{"baked", "v1", "baked"}; !slices.Equal(got, want) {
		t.Fatalf("bundles recorded %v, want %v", got, want)
	}
}

func TestShadowBundleIsRecordedBesideTheActiveDecisionAndChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name        string
		edits       map[string]any
		wantActive  policy.Outcome
		wantShadow  policy.Outcome
		wantDiff    []string
		wantBlocked bool
	}{
		{"the shadow blocks what the active allows", nil, policy.Allow, policy.Block,
			[]string{"decision allow -> block", "rule +no-items"}, false},
		// The shadow's rule ends its evaluation before detection runs.
		{"both block an attack, for different reasons", v2Query(sqli), policy.Block, policy.Block,
			[]string{"signal -sqli@query.q", "rule +no-items"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, rec := newTestFirewall(t, "", Options{})
			f.SwapBundles(compileBundle(t, "v1", "version: 1\n"), ptr(compileBundle(t, "v2", noItemsPolicy)))
			v := inspect(t, f, fixture(t, "apigw-v2.json", tc.edits))
			if v.Block != tc.wantBlocked {
				t.Fatalf("verdict block=%v, want %v: the shadow must not change it", v.Block, tc.wantBlocked)
			}
			if err := f.WaitShadows(t.Context()); err != nil {
				t.Fatal(err)
			}
			if len(rec.ds) != 1 {
				t.Fatalf("%d decisions recorded, want one record carrying both", len(rec.ds))
			}
			d := rec.ds[0]
			if d.Bundle != "v1" || d.Outcome != tc.wantActive || d.ShadowBundle != "v2" || d.ShadowOutcome != tc.wantShadow || !slices.Equal(d.ShadowDiff, tc.wantDiff) {
				t.Fatalf("decision bundle %s %s, shadow %s %s diff %q; want v1 %s, v2 %s diff %q",
					d.Bundle, d.Outcome, d.ShadowBundle, d.ShadowOutcome, d.ShadowDiff, tc.wantActive, tc.wantShadow, tc.wantDiff)
			}
			if rec.reqs[0] == nil || rec.reqs[0].Trigger != event.APIGatewayHTTP {
				t.Fatalf("the shadow record lost its request: %+v", rec.reqs[0])
			}
		})
	}
}

// gatedDetector blocks every inspection until its gate is closed: the
// shadow bundle's detector, to show the verdict does not wait for it.
type gatedDetector struct{ gate chan struct{} }

func (g *gatedDetector) InspectSite(_ event.Value, _ *detect.Site, dst []detect.Signal) []detect.Signal {
	<-g.gate
	return dst
}

func TestShadowEvaluationNeverDelaysTheVerdict(t *testing.T) {
	gate := make(chan struct{})
	rec := &recorder{}
	var mu sync.Mutex
	built := 0
	f := New(nil, Options{Observer: rec, NewDetector: func(detect.Options) Detector {
		mu.Lock()
		defer mu.Unlock()
		built++
		if built == 3 { // New's, then SwapBundles' active, then its shadow
			return &gatedDetector{gate: gate}
		}
		return &fakeDetector{log: &inspectLog{off: map[string][]detect.Class{}}, off: map[detect.Class]bool{}}
	}})
	// The shadow has no rule that ends evaluation early: its detector runs.
	f.SwapBundles(compileBundle(t, "v1", "version: 1\n"), ptr(compileBundle(t, "v2", "version: 1\nmode: log\n")))

	ev := fixture(t, "apigw-v2.json", nil)
	for i := range maxShadows + 1 {
		done := make(chan struct{})
		go func() {
			f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r", Event: ev})
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("invocation %d waited for the shadow evaluation", i)
		}
	}
	// Both slots are held by gated evaluations; the third event was
	// recorded at once, saying its shadow was not evaluated.
	rec.mu.Lock()
	if len(rec.ds) != 1 || rec.ds[0].ShadowOutcome != "" || len(rec.ds[0].ShadowDiff) != 1 {
		t.Fatalf("records before the shadows finish: %+v", rec.ds)
	}
	rec.mu.Unlock()
	close(gate)
	if err := f.WaitShadows(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(rec.ds) != maxShadows+1 {
		t.Fatalf("%d records after the shadows finished, want %d", len(rec.ds), maxShadows+1)
	}
}

func TestDiffDecisionsNamesEveryDifference(t *testing.T) {
	sig := func(c detect.Class, loc string) detect.Signal { return detect.Signal{Class: c, Location: loc} }
	for _, tc := range []struct {
		name           string
		active, shadow Decision
		want           []string
	}{
		{"same", Decision{Outcome: policy.Block, Signals: []detect.Signal{sig(detect.SQLi, "query.q")}}, Decision{Outcome: policy.Block, Signals: []detect.Signal{sig(detect.SQLi, "query.q")}}, nil},
		{"empty outcome is allow", Decision{}, Decision{Outcome: policy.Allow}, nil},
		{"outcome, signals and rules", Decision{Outcome: policy.Allow, Signals: []detect.Signal{sig(detect.XSS, "body.a")}, RuleIDs: []string{"r1"}},
			Decision{Outcome: policy.Log, Signals: []detect.Signal{sig(detect.SQLi, "query.q"), sig(detect.SQLi, "query.q")}, RuleIDs: []string{"r2"}},
			[]string{"decision allow -> log", "signal +sqli@query.q", "signal -xss@body.a", "rule +r2", "rule -r1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := diffDecisions(&tc.active, &tc.shadow); !slices.Equal(got, tc.want) {
				t.Fatalf("diff = %q, want %q", got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
