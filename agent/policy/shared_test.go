package policy_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// fakeShared is a SharedState with set answers that records what it is
// told.
type fakeShared struct {
	mu      sync.Mutex
	allow   bool
	count   int64
	flagged map[string]bool // prefix+value
	limits  []int
	blocked []string
}

func (f *fakeShared) AllowGlobal(limit int, key string) (bool, int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = append(f.limits, limit)
	return f.allow, f.count
}
func (f *fakeShared) Flagged(prefix, value string) bool { return f.flagged[prefix+value] }
func (f *fakeShared) Blocked(threshold int, prefix, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blocked = append(f.blocked, prefix+value)
}

const globalConfig = `
rateLimits:
  - {id: local, key: source-ip, limit: 1000, period: 1m}
  - {id: api, key: source-ip, limit: 100, period: 10s, scope: global}
flagging:
  status: 451
  thresholds:
    - {id: attackers, source: source-ip, blocked: 5, within: 30s, flagFor: 1h}
    - {id: keys, source: header.x-api-key, blocked: 3, within: 1m, flagFor: 10m}
`

func httpRequest(ip, apiKey string) *event.Request {
	return &event.Request{Trigger: event.APIGatewayHTTP, Method: "GET", Path: "/orders", SourceIP: ip,
		Headers: map[string][]string{"x-api-key": {apiKey}}}
}

func TestGlobalLimitsAndFlaggingAskTheSharedState(t *testing.T) {
	p, err := policy.Parse([]byte(globalConfig), "global.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !p.NeedsSharedState() || len(p.GlobalLimits()) != 1 || p.GlobalLimits()[0] != (policy.GlobalLimit{ID: "api", Limit: 100, Window: 10 * time.Second}) {
		t.Fatalf("global limits = %+v", p.GlobalLimits())
	}
	if th := p.Thresholds(); len(th) != 2 || th[0].Blocked != 5 || th[1].FlagFor != 10*time.Minute {
		t.Fatalf("thresholds = %+v", th)
	}
	tests := []struct {
		name       string
		shared     *fakeShared
		ip, key    string
		wantOut    policy.Outcome
		wantStatus int
		wantReason string
	}{
		{"admitted by the group", &fakeShared{allow: true}, "192.0.2.1", "k1", policy.Allow, 0, ""},
		{"refused by the group", &fakeShared{allow: false, count: 104}, "192.0.2.1", "k1", policy.Block, 429, "rate-limit:api:fleet=104"},
		{"flagged address", &fakeShared{allow: true, flagged: map[string]bool{"ip_192.0.2.9": true}}, "192.0.2.9", "k1", policy.Block, 451, "flagged:source-ip"},
		{"flagged API key", &fakeShared{allow: true, flagged: map[string]bool{"usr_stolen": true}}, "192.0.2.1", "stolen", policy.Block, 451, "flagged:keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := policy.Parse([]byte(globalConfig), "global.yaml")
			p.SetSharedState(tt.shared)
			d := p.Begin(httpRequest(tt.ip, tt.key), time.Now()).Finish()
			if d.Outcome != tt.wantOut || d.Status != tt.wantStatus {
				t.Fatalf("outcome %s status %d, want %s %d (reasons %+v)", d.Outcome, d.Status, tt.wantOut, tt.wantStatus, d.Reasons)
			}
			if tt.wantReason != "" {
				kind, rest, _ := strings.Cut(tt.wantReason, ":")
				id, count, _ := strings.Cut(rest, ":fleet=")
				r := d.Reasons[0]
				if string(r.Kind) != kind || r.ID != id || (count != "" && count != strconv.FormatInt(r.FleetCount, 10)) {
					t.Errorf("reason %+v, want %s", r, tt.wantReason)
				}
			}
			if d.Outcome == policy.Block {
				// Blocked requests feed both thresholds with their sources.
				if strings.Join(tt.shared.blocked, ",") != "ip_"+tt.ip+",usr_"+tt.key {
					t.Errorf("blocked sources reported = %v", tt.shared.blocked)
				}
			} else if len(tt.shared.blocked) != 0 {
				t.Errorf("an allowed request was reported blocked: %v", tt.shared.blocked)
			}
		})
	}
}

func TestGlobalLimitWithoutSharedStateCountsPerEnvironment(t *testing.T) {
	p, err := policy.Parse([]byte(`rateLimits: [{id: api, key: source-ip, limit: 2, period: 10s, scope: global}]`), "g.yaml")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var outs []policy.Outcome
	for range 3 {
		outs = append(outs, p.Begin(httpRequest("192.0.2.1", ""), now).Finish().Outcome)
	}
	if outs[0] != policy.Allow || outs[1] != policy.Allow || outs[2] != policy.Block {
		t.Errorf("outcomes %v, want allow allow block", outs)
	}
}

func TestSharedStateConfigurationErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown scope", `rateLimits: [{id: a, key: source-ip, limit: 1, period: 1s, scope: region}]`, "scope"},
		{"burst below a global limit", `rateLimits: [{id: a, key: source-ip, limit: 5, period: 1s, burst: 2, scope: global}]`, "expected at least limit (5), got 2"},
		{"bad source", `flagging: {thresholds: [{id: t, source: cookie.x, blocked: 1, within: 1s, flagFor: 1m}]}`, "source"},
		{"flag too long", `flagging: {thresholds: [{id: t, source: source-ip, blocked: 1, within: 1s, flagFor: 200h}]}`, "flagFor"},
		{"no thresholds", `flagging: {status: 403}`, "thresholds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tt.doc), "bad.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
