package firewall

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// TestLimitsAreDecisions: an event that reaches a bound after many cheap
// anomalies (the issue cap used to drop the limit, and the rest of the
// event passed uninspected) gets what onLimit says.
func TestLimitsAreDecisions(t *testing.T) {
	// 100 invalid escapes, then more values than the bound
	q := strings.Repeat("a=%zz&", 100) + strings.Repeat("b=1&", 400)
	payload := fixture(t, "apigw-v2.json", map[string]any{"rawQueryString": q, "queryStringParameters": map[string]any{}})
	tests := []struct {
		doc     string
		outcome policy.Outcome
		blocked bool
	}{
		{"", policy.Block, true},
		{"onLimit: log\n", policy.Log, false},
		{"onLimit: allow\n", policy.Log, false}, // the invalid escapes are logged
		{"mode: log\n", policy.Log, false},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			f, _, rec := newTestFirewall(t, tt.doc, Options{Limits: decode.Limits{MaxValues: 300}})
			v := inspect(t, f, payload)
			d := rec.ds[len(rec.ds)-1]
			if v.Block != tt.blocked || d.Outcome != tt.outcome {
				t.Errorf("blocked %v outcome %s, want %v %s; reasons %+v", v.Block, d.Outcome, tt.blocked, tt.outcome, d.Reasons)
			}
			limit := false
			for _, s := range d.Signals {
				limit = limit || s.Class == policy.ClassLimit && s.Rule == "limit-value-limit"
			}
			if !limit {
				t.Errorf("no limit signal in %+v", d.Signals)
			}
		})
	}
}

// slowDetector flags what fakeDetector flags, slowly.
type slowDetector struct{ fakeDetector }

func (d *slowDetector) InspectSite(v event.Value, site *detect.Site, dst []detect.Signal) []detect.Signal {
	time.Sleep(50 * time.Microsecond)
	return d.fakeDetector.InspectSite(v, site, dst)
}

// TestTimeBudgetFollowsTheFailurePolicy: an inspection that runs out of
// time is an inspection failure (the proxy's failure policy decides),
// unless a block was already found.
func TestTimeBudgetFollowsTheFailurePolicy(t *testing.T) {
	f := New(nil, Options{
		Limits: decode.Limits{TimeBudget: time.Millisecond},
		NewDetector: func(detect.Options) Detector {
			return &slowDetector{fakeDetector{log: &inspectLog{off: map[string][]detect.Class{}}}}
		},
	})
	tests := []struct {
		name, query string
		block       bool
	}{
		{"nothing found before the overrun", strings.Repeat("a=1&", 2000), false},
		{"a block found before the overrun", "q=" + strings.ReplaceAll(sqli, " ", "+") + "&" + strings.Repeat("a=1&", 2000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := fixture(t, "apigw-v2.json", map[string]any{"rawQueryString": tt.query, "queryStringParameters": map[string]any{}})
			v, err := f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r", Event: payload})
			switch {
			case tt.block && (err != nil || !v.Block):
				t.Errorf("verdict %+v err %v, want a block", v, err)
			case !tt.block && (err == nil || !strings.Contains(err.Error(), "time budget")):
				t.Errorf("err %v, want a time-budget error for the failure policy", err)
			}
		})
	}
}

// TestOmittedIssuesAreCounted: the decoder keeps at most 64 issues of a
// sort; the decision counts the rest (decode.Error.Omitted), so a record
// says how much its list leaves out.
func TestOmittedIssuesAreCounted(t *testing.T) {
	var q strings.Builder
	for i := range 100 { // 100 invalid escapes at 100 locations
		q.WriteString("k" + strconv.Itoa(i) + "=%zz&")
	}
	payload := fixture(t, "apigw-v2.json", map[string]any{"rawQueryString": q.String(), "queryStringParameters": map[string]any{}})
	f, _, rec := newTestFirewall(t, "", Options{})
	inspect(t, f, payload)
	d := rec.ds[len(rec.ds)-1]
	issues := 0
	for _, s := range d.Signals {
		if s.Rule == "decode-"+string(decode.BadURLEncoding) {
			issues++
		}
	}
	if issues+d.OmittedSignals < 64 || d.OmittedIssues != 100-64 {
		t.Errorf("%d invalid-escape signals (%d signals omitted), %d issues omitted; want 64 kept and 36 omitted", issues, d.OmittedSignals, d.OmittedIssues)
	}
}
