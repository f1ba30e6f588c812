package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func TestRateLimitedBotClassGets429WithRetryAfter(t *testing.T) {
	p := compileDoc(t, `
bots:
  classes: {headless: rate-limit, automation: rate-limit}
  rateLimit: {key: source-ip, limit: 2, period: 1m}
`)
	headless := chromeHeaders()
	headless["user-agent"] = []string{strings.Replace(chromeUA, "Chrome/", "HeadlessChrome/", 1)}
	for i := range 2 {
		if d := p.Begin(botRequest(event.APIGatewayHTTP, "203.0.113.9", headless), now).Finish(); d.Outcome != policy.Allow {
			t.Fatalf("headless request %d within the limit: %s %+v", i+1, d.Outcome, d.Reasons)
		}
	}
	d := p.Begin(botRequest(event.APIGatewayHTTP, "203.0.113.9", headless), now).Finish()
	if d.Outcome != policy.Block || d.Status != 429 || d.RetryAfter != 30 || d.Reasons[0].Kind != policy.ReasonRateLimit || d.Reasons[0].ID != "bots" {
		t.Errorf("third headless request: %s %d Retry-After %d %+v; want a 429 of the bots limit, Retry-After 30", d.Outcome, d.Status, d.RetryAfter, d.Reasons)
	}
	for i := range 5 {
		if d := p.Begin(botRequest(event.APIGatewayHTTP, "203.0.113.9", chromeHeaders()), now.Add(time.Duration(i))).Finish(); d.Outcome != policy.Allow {
			t.Errorf("a browser from the same address: %s %+v", d.Outcome, d.Reasons)
		}
	}
}

func TestBotRateLimitProblemsAreLocated(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"class without a limit", "bots:\n  classes: {headless: rate-limit}\n", "bots.classes: a class set to rate-limit needs bots.rateLimit"},
		{"limit without a class", "bots:\n  classes: {headless: block}\n  rateLimit: {key: source-ip, limit: 2, period: 1m}\n", "bots.rateLimit: no class is set to rate-limit"},
		{"bad period", "bots:\n  classes: {headless: rate-limit}\n  rateLimit: {key: source-ip, limit: 2, period: 1y}\n", "line 3, column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tt.doc), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
