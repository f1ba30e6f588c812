package policy_test

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// TestSettledOnlyWhenNothingLaterCanUndoTheBlock: the firewall stops
// walking an event once Settled says its signals block it. That is sound
// only if no signal found later, and nothing run after the walk, could
// turn the block into anything else; whenever Settled is true the decision
// must be a block, with or without more signals.
func TestSettledOnlyWhenNothingLaterCanUndoTheBlock(t *testing.T) {
	attack := sig(detect.SQLi, "query.q", 9)
	limit := detect.Signal{Class: policy.ClassLimit, Rule: "limit-value-limit", Location: "body", Record: -1, Score: 10}
	tests := []struct {
		name    string
		doc     string
		fixture string
		sig     detect.Signal
		settled bool
	}{
		{"an attack in block mode", "", "apigw-v2.json", attack, true},
		{"a limit under onLimit: block", "", "apigw-v2.json", limit, true},
		{"a limit under onLimit: log", "onLimit: log\n", "apigw-v2.json", limit, false},
		{"function log mode", "mode: log\n", "apigw-v2.json", attack, false},
		{"a score under the threshold", "detection: {threshold: 10}\n", "apigw-v2.json", attack, false},
		{"a class in log mode", "detection:\n  classes:\n    sqli: log\n", "apigw-v2.json", attack, false},
		{"a class off", "detection:\n  classes:\n    sqli: off\n", "apigw-v2.json", attack, false},
		{"an excluded location", "exclusions:\n  - classes: [sqli]\n    locations: [query.q]\n", "apigw-v2.json", attack, false},
		{"a malformed encoding (logged)", "", "apigw-v2.json", sig(detect.Protocol, "body", 3), false},
		// a rule that runs after the walk may remove the signal or allow
		{"a rule after the walk", "rules:\n  - id: search-fp\n    when: {signal: {class: sqli}}\n    action: {type: continue, removeSignals: {class: sqli}}\n", "apigw-v2.json", attack, false},
		// one record of a batch: the other records still need judging
		{"a record of a batch", "", "sqs.json", detect.Signal{Class: detect.SQLi, Location: "records[1].body.note", Record: 1, Rule: "x", Score: 9}, false},
		{"a batch-wide signal", "", "sqs.json", attack, true},
	}
	later := []detect.Signal{sig(detect.XSS, "body.a", 2), sig(detect.Protocol, "body", 3), {Class: detect.SQLi, Location: "records[0].body", Record: 0, Rule: "y", Score: 9}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compileDoc(t, tt.doc)
			req, err := event.Parse(loadEvent(t, tt.fixture, nil))
			if err != nil {
				t.Fatal(err)
			}
			ev := p.Begin(req, now)
			ev.SetMode(p.Mode())
			if got := ev.Settled([]detect.Signal{tt.sig}); got != tt.settled {
				t.Fatalf("Settled = %v, want %v", got, tt.settled)
			}
			if !tt.settled {
				return
			}
			for n := 0; n <= len(later); n++ {
				d := judge(t, p, loadEvent(t, tt.fixture, nil), now, append([]detect.Signal{tt.sig}, later[:n]...)...)
				if d.Outcome != policy.Block || len(d.DropRecords) > 0 {
					t.Errorf("settled, yet with %d more signals the decision is %s (dropping %v)", n, d.Outcome, d.DropRecords)
				}
			}
		})
	}
}
