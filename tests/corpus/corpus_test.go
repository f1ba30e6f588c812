package corpus

import (
	"flag"
	"sort"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect"
)

var verbose = flag.Bool("corpus.v", false, "print every miss and false positive")

// Regression guard: the thresholds sit just under (TP) and over (FP) what
// the engine measured when they were set; a change that loses detection or
// lets false positives back in fails here.
const (
	minAttackTP    = 0.99 // overall share of attack cases detected (measured 99.6%)
	minClassTP     = 0.95 // every class (lowest measured: rfi 96.6%)
	minCorpusSizes = 1000
)

// benignGroups guards the benign corpus file by file group: the share of
// cases with an attack signal may not exceed maxFP.
var benignGroups = []struct {
	name  string
	file  string // benign/<file>; "" is every file not named by another group
	maxFP float64
}{
	// Realistic API values the detectors were tuned against (measured 0.0%).
	{"tuned", "", 0.003},
	// Written after the engine was tuned: its first measurement, 6.4% FP,
	// is the honest estimate. FP causes it showed were then fixed (stack
	// traces, ${HOME}, Jinja docs, Markdown code, one-level asset paths),
	// leaving 1.9%; it is no longer strictly held out.
	{"heldout.txt", "heldout.txt", 0.025},
	// Developer prose written to find false positives (shell, SQL and paths
	// in tickets, reviews, chat and markdown), first measured at 34% FP,
	// 5.7% after the prose fixes; what is left is judged in the file.
	{"prose2.txt", "prose2.txt", 0.065},
}

func TestCorpusRates(t *testing.T) {
	p := NewPipeline(detect.Options{})
	attacks, err := Attacks()
	if err != nil {
		t.Fatal(err)
	}
	benign, err := Benign()
	if err != nil {
		t.Fatal(err)
	}
	if len(attacks) < minCorpusSizes || len(benign) < minCorpusSizes/2 {
		t.Fatalf("corpus too small: %d attacks, %d benign", len(attacks), len(benign))
	}
	type rate struct{ n, hit int }
	per := map[string]*rate{}
	var sigs []detect.Signal
	total, hits := 0, 0
	for _, c := range attacks {
		sigs, err = p.Signals(APIGatewayV2(c.Req), sigs[:0])
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		r := per[c.Class]
		if r == nil {
			r = &rate{}
			per[c.Class] = r
		}
		r.n++
		total++
		if Attack(sigs) {
			r.hit++
			hits++
		} else if *verbose {
			t.Logf("MISS %s %s %s %q", c.Class, c.Name, c.Req.URI, c.Req.Body)
		}
	}
	type count struct{ n, fps int }
	groups := make([]count, len(benignGroups))
	for _, c := range benign {
		sigs, err = p.Signals(APIGatewayV2(c.Req), sigs[:0])
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		g := 0
		for i, bg := range benignGroups {
			if bg.file != "" && strings.HasPrefix(c.Name, "benign/"+bg.file+":") {
				g = i
			}
		}
		groups[g].n++
		if Attack(sigs) {
			groups[g].fps++
			if *verbose {
				t.Logf("FP %s %s %q -> %s %s %q", c.Name, c.Req.URI, c.Req.Body, sigs[0].Class, sigs[0].Rule, sigs[0].Excerpt)
			}
		}
	}
	classes := make([]string, 0, len(per))
	for c := range per {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		r := per[c]
		tp := float64(r.hit) / float64(r.n)
		t.Logf("%-18s %4d/%4d  TP %.1f%%", c, r.hit, r.n, 100*tp)
		if tp < minClassTP {
			t.Errorf("class %s: TP %.3f < %.2f", c, tp, minClassTP)
		}
	}
	tp := float64(hits) / float64(total)
	t.Logf("attacks %d/%d TP %.2f%%", hits, total, 100*tp)
	if tp < minAttackTP {
		t.Errorf("overall TP %.4f < %.2f", tp, minAttackTP)
	}
	for i, bg := range benignGroups {
		g := groups[i]
		if g.n == 0 {
			t.Errorf("benign group %s is empty", bg.name)
			continue
		}
		fp := float64(g.fps) / float64(g.n)
		t.Logf("benign %-12s %d/%d FP %.2f%%", bg.name, g.fps, g.n, 100*fp)
		if fp > bg.maxFP {
			t.Errorf("benign %s FP %.4f > %.3f", bg.name, fp, bg.maxFP)
		}
	}
}

// The held-out sets (heldout/<set>) were each written by someone who had
// not seen the detectors; their rates estimate how the engine does on
// traffic nobody tuned it for (first measurements and what has been done
// since are in heldout/README.md). The guards sit just beside today's
// figures so that a regression fails here; they are not targets to tune
// against.
var heldOutGuards = map[string]struct{ minTP, maxFP, maxFP2 float64 }{
	"set1": {0.965, 0.006, 0.008},
	"set2": {0.965, 0.018, 0.03},
	"set3": {0.965, 0.016, 0.03},
	"set4": {0.958, 0.02, 0.023},
}

const minHeldOutCases = 1000

func TestHeldOutRates(t *testing.T) {
	p1, p2 := NewPipeline(detect.Options{}), NewPipeline(detect.Options{Paranoia: 2})
	for _, set := range HeldOutSets {
		g, ok := heldOutGuards[set]
		if !ok {
			t.Fatalf("held-out %s has no guard", set)
		}
		attacks, err := HeldOutAttacks(set)
		if err != nil {
			t.Fatal(err)
		}
		benign, err := HeldOutBenign(set)
		if err != nil {
			t.Fatal(err)
		}
		if len(attacks) < minHeldOutCases || len(benign) < minHeldOutCases {
			t.Fatalf("held-out %s too small: %d attacks, %d benign", set, len(attacks), len(benign))
		}
		detected := func(p *Pipeline, cases []Case) int {
			n := 0
			var sigs []detect.Signal
			for _, c := range cases {
				sigs, err = p.Signals(APIGatewayV2(c.Req), sigs[:0])
				if err != nil {
					t.Fatalf("%s: %v", c.Name, err)
				}
				if Attack(sigs) {
					n++
				}
			}
			return n
		}
		tp := float64(detected(p1, attacks)) / float64(len(attacks))
		fp := float64(detected(p1, benign)) / float64(len(benign))
		t.Logf("held-out %s: attacks TP %.2f%% of %d; benign FP %.2f%% of %d", set, 100*tp, len(attacks), 100*fp, len(benign))
		if tp < g.minTP {
			t.Errorf("held-out %s attack TP %.4f < %.3f", set, tp, g.minTP)
		}
		if fp > g.maxFP {
			t.Errorf("held-out %s benign FP %.4f > %.3f", set, fp, g.maxFP)
		}
		// Paranoia 2 flags fragments that free text sometimes holds; its
		// false positives are guarded too.
		fp2 := float64(detected(p2, benign)) / float64(len(benign))
		t.Logf("held-out %s at paranoia 2: benign FP %.2f%%", set, 100*fp2)
		if fp2 > g.maxFP2 {
			t.Errorf("held-out %s benign FP at paranoia 2 %.4f > %.3f", set, fp2, g.maxFP2)
		}
	}
}
