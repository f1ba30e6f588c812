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
	minAttackTP = 0.99  // overall share of attack cases detected (measured 99.6%)
	minClassTP  = 0.95  // every class (lowest measured: rfi 96.6%)
	maxBenignFP = 0.005 // share of benign cases with an attack signal (measured 0.25%)
	// benign/heldout.txt was written after the engine was tuned: its first
	// measurement, 6.4% FP, is the honest estimate. Four FP causes it showed
	// were then fixed (stack traces, ${HOME}, Jinja docs, Markdown code),
	// leaving 2.1%; it is no longer strictly held out.
	maxHeldOutFP   = 0.03
	minCorpusSizes = 1000
)

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
	fps, held, heldFPs, tuned := 0, 0, 0, 0
	for _, c := range benign {
		sigs, err = p.Signals(APIGatewayV2(c.Req), sigs[:0])
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		isHeld := strings.HasPrefix(c.Name, "benign/heldout.txt")
		if isHeld {
			held++
		} else {
			tuned++
		}
		if Attack(sigs) {
			if isHeld {
				heldFPs++
			} else {
				fps++
			}
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
	fp := float64(fps) / float64(tuned)
	hfp := float64(heldFPs) / float64(max(held, 1))
	t.Logf("attacks %d/%d TP %.2f%%; benign %d/%d FP %.2f%%; held-out benign %d/%d FP %.2f%%", hits, total, 100*tp, fps, tuned, 100*fp, heldFPs, held, 100*hfp)
	if hfp > maxHeldOutFP {
		t.Errorf("held-out benign FP %.4f > %.2f", hfp, maxHeldOutFP)
	}
	if tp < minAttackTP {
		t.Errorf("overall TP %.4f < %.2f", tp, minAttackTP)
	}
	if fp > maxBenignFP {
		t.Errorf("benign FP %.4f > %.2f", fp, maxBenignFP)
	}
}

// The held-out sets (heldout/<set>) were each written by someone who had
// not seen the detectors; their rates estimate how the engine does on
// traffic nobody tuned it for (first measurements and what has been done
// since are in heldout/README.md). The guards sit just beside today's
// figures so that a regression fails here; they are not targets to tune
// against.
var heldOutGuards = map[string]struct{ minTP, maxFP float64 }{
	"set1": {0.965, 0.025},
	"set2": {0.965, 0.052},
}

const minHeldOutCases = 1000

func TestHeldOutRates(t *testing.T) {
	p := NewPipeline(detect.Options{})
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
		detected := func(cases []Case) int {
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
		tp := float64(detected(attacks)) / float64(len(attacks))
		fp := float64(detected(benign)) / float64(len(benign))
		t.Logf("held-out %s: attacks TP %.2f%% of %d; benign FP %.2f%% of %d", set, 100*tp, len(attacks), 100*fp, len(benign))
		if tp < g.minTP {
			t.Errorf("held-out %s attack TP %.4f < %.3f", set, tp, g.minTP)
		}
		if fp > g.maxFP {
			t.Errorf("held-out %s benign FP %.4f > %.3f", set, fp, g.maxFP)
		}
	}
}
