package policy_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

const loginsConfig = `
logins:
  routes:
    - route: POST /login
      username: body.user.name
      failure:
        status: [200]
        json: {field: ok, equals: "false"}
    - route: POST /form-login
      username: body.login
    - route: POST /token
      username: header.x-user
      failure: {header: {name: x-login-result, equals: failed}}
  stuffing: {users: 3, within: 1m, action: block, for: 10m}
  spraying: {sources: 3, within: 1m, action: block, for: 10m}
  bruteForce: {failures: 4, within: 1m, action: log}
`

func loginRequest(path, src, ctype, body string, headers map[string][]string) *event.Request {
	return &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", Path: path, SourceIP: src, ContentType: ctype, Body: []byte(body), Headers: headers}
}

func jsonLogin(src, user string) *event.Request {
	return loginRequest("/login", src, "application/json", fmt.Sprintf(`{"user":{"name":%q},"password":"x"}`, user), nil)
}

// attempt judges a login request and, when it goes through, shows the
// watch the response; it returns the decision.
func attempt(p *policy.Policy, req *event.Request, at time.Time, resp *policy.Response) *policy.Decision {
	d := p.Begin(req, at).Finish()
	if w := d.Watch(); w != nil && resp != nil {
		w.Observe(resp, at)
	}
	return d
}

var (
	jsonFailure = &policy.Response{Status: 200, Body: []byte(`{"ok":false}`)}
	jsonSuccess = &policy.Response{Status: 200, Body: []byte(`{"ok":true,"token":"t"}`)}
)

func TestLoginOutcomesReadFromTheResponse(t *testing.T) {
	tests := []struct {
		name string
		req  func(src, user string) *event.Request
		fail *policy.Response
		ok   *policy.Response
	}{
		{"JSON member of a 200", jsonLogin, jsonFailure, jsonSuccess},
		{"form field, default statuses, a malformed pair beside it", func(src, user string) *event.Request {
			return loginRequest("/form-login", src, "application/x-www-form-urlencoded", "login="+user+"&password=x&%zz=1", nil)
		}, &policy.Response{Status: 401}, &policy.Response{Status: 200}},
		{"header user name, header outcome", func(src, user string) *event.Request {
			return loginRequest("/token", src, "", "", map[string][]string{"x-user": {user}})
		}, &policy.Response{Status: 200, Headers: map[string]string{"x-login-result": "failed"}}, &policy.Response{Status: 200, Headers: map[string]string{"x-login-result": "ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compileDoc(t, loginsConfig)
			at := now
			// Successes never count: many users succeeding from one
			// address (a shared office) is not stuffing.
			for i := range 10 {
				if d := attempt(p, tt.req("203.0.113.5", fmt.Sprintf("user%d", i)), at, tt.ok); d.Outcome != policy.Allow {
					t.Fatalf("success %d: %s %+v", i, d.Outcome, d.Reasons)
				}
			}
			// Three users failing from one address is stuffing.
			for i := range 3 {
				attempt(p, tt.req("203.0.113.9", fmt.Sprintf("user%d", i)), at, tt.fail)
			}
			d := attempt(p, tt.req("203.0.113.9", "user9"), at.Add(time.Second), nil)
			if d.Outcome != policy.Block || d.Status != 429 || d.RetryAfter != 599 {
				t.Fatalf("after 3 users failed: %s %d Retry-After %d, want block 429 Retry-After 599 (%+v)", d.Outcome, d.Status, d.RetryAfter, d.Reasons)
			}
			r := d.Reasons[0]
			if r.Kind != policy.ReasonLogin || r.ID != policy.LoginStuffing || r.Count != 3 || r.Threshold != 3 || r.Window != "1m0s" {
				t.Errorf("reason %+v", r)
			}
			if d.Watch() != nil {
				t.Error("a blocked login still watches its response")
			}
		})
	}
}

func TestSprayingHoldsTheUserNameButNotItsKnownGoodSource(t *testing.T) {
	p := compileDoc(t, loginsConfig)
	// The owner logs in from home.
	if d := attempt(p, jsonLogin("198.51.100.7", "Alice"), now, jsonSuccess); d.Outcome != policy.Allow {
		t.Fatal(d.Outcome)
	}
	for i := range 3 {
		attempt(p, jsonLogin(fmt.Sprintf("10.0.0.%d", i), "alice"), now, jsonFailure)
	}
	later := now.Add(time.Minute + time.Second) // the next window: the hold outlives it
	if d := attempt(p, jsonLogin("10.0.0.99", " ALICE "), later, nil); d.Outcome != policy.Block || d.Reasons[0].ID != policy.LoginSpraying {
		t.Errorf("a new source for the sprayed user: %s %+v, want a spraying block", d.Outcome, d.Reasons)
	}
	if d := attempt(p, jsonLogin("10.0.0.99", "bob"), later, nil); d.Outcome != policy.Allow {
		t.Errorf("the same source for another user: %s %+v, want allow", d.Outcome, d.Reasons)
	}
	d := attempt(p, jsonLogin("198.51.100.7", "alice"), later, nil)
	if d.Outcome != policy.Log || d.Reasons[0].ID != policy.LoginSpraying || !strings.Contains(d.Reasons[0].Message, "known good") {
		t.Errorf("the owner from her known-good source: %s %+v, want a logged spraying reason", d.Outcome, d.Reasons)
	}
	if d := attempt(p, jsonLogin("10.0.0.99", "alice"), now.Add(11*time.Minute), nil); d.Outcome != policy.Allow {
		t.Errorf("after the hold lapsed: %s %+v", d.Outcome, d.Reasons)
	}
}

func TestBruteForceCountsOnePairAndLogsWhenConfiguredToLog(t *testing.T) {
	p := compileDoc(t, loginsConfig)
	for i := range 4 {
		// One address, one account: not stuffing, not spraying.
		if d := attempt(p, jsonLogin("192.0.2.1", "carol"), now.Add(time.Duration(i)*time.Second), jsonFailure); d.Outcome != policy.Allow {
			t.Fatalf("attempt %d: %s %+v", i, d.Outcome, d.Reasons)
		}
	}
	d := attempt(p, jsonLogin("192.0.2.1", "carol"), now.Add(5*time.Second), nil)
	if d.Outcome != policy.Log || d.Reasons[0].ID != policy.LoginBruteForce || d.Reasons[0].Count != 4 {
		t.Errorf("%s %+v, want a logged brute-force reason with count 4", d.Outcome, d.Reasons)
	}
	if d := attempt(p, jsonLogin("192.0.2.2", "carol"), now.Add(5*time.Second), nil); d.Outcome != policy.Allow {
		t.Errorf("another source for the same user: %s %+v", d.Outcome, d.Reasons)
	}
}

func TestLoginDecisionsNeverHoldTheUserName(t *testing.T) {
	p := compileDoc(t, loginsConfig)
	for i := range 5 {
		attempt(p, jsonLogin("203.0.113.9", fmt.Sprintf("secret-user-%d@example.com", i)), now, jsonFailure)
	}
	d := attempt(p, jsonLogin("203.0.113.9", "secret-user-9@example.com"), now, nil)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != policy.Block || strings.Contains(string(b), "secret-user") {
		t.Errorf("decision %s: %s", d.Outcome, b)
	}
}

func TestLoginsSectionProblemsAreLocated(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"count of another detector", "logins:\n  routes: [{route: POST /login, username: body.u}]\n  stuffing: {sources: 3, within: 1m}\n",
			"logins.stuffing.sources: sources does not apply to stuffing; it counts users"},
		{"bad user name location", "logins:\n  routes: [{route: POST /login, username: cookie.u}]\n  stuffing: {users: 3, within: 1m}\n",
			"c.yaml: line 2, column 33: logins.routes[0].username: expected body.<field>"},
		{"flag on spraying", "logins:\n  routes: [{route: POST /login, username: body.u}]\n  spraying: {sources: 3, within: 1m, action: flag}\n",
			"c.yaml: line 3, column 38: logins.spraying.action: flag applies to sources"},
		{"no detector", "logins:\n  routes: [{route: POST /login, username: body.u}]\n",
			"logins: expected at least one of stuffing, spraying, bruteForce"},
		{"route without a slash", "logins:\n  routes: [{route: POST login, username: body.u}]\n  stuffing: {users: 3, within: 1m}\n",
			"logins.routes[0].route: route \"POST login\""},
		{"hold too long", "logins:\n  routes: [{route: POST /login, username: body.u}]\n  bruteForce: {failures: 3, within: 1m, for: 200h}\n",
			"logins.bruteForce.for: expected a positive duration up to 168h"},
		{"json outcome without a field", "logins:\n  routes: [{route: POST /login, username: body.u, failure: {json: {equals: 'no'}}}]\n  stuffing: {users: 3, within: 1m}\n",
			"logins.routes[0].failure.json: expected field"},
		{"response counter flag by API key", "responses:\n  - {id: enum, key: header.x-api-key, count: 5, within: 1m, action: flag}\n",
			"c.yaml: line 2, column 61: responses[0].action: flag applies to key source-ip"},
		{"duplicate response counter", "responses:\n  - {id: a, count: 5, within: 1m}\n  - {id: a, count: 5, within: 1m}\n",
			"responses[1].id: duplicate response counter id \"a\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tt.doc), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReloadKeepsHoldsAndKnownGoodPairs(t *testing.T) {
	old := compileDoc(t, loginsConfig)
	attempt(old, jsonLogin("198.51.100.7", "alice"), now, jsonSuccess)
	for i := range 3 {
		attempt(old, jsonLogin("203.0.113.9", fmt.Sprintf("user%d", i)), now, jsonFailure)
		attempt(old, jsonLogin(fmt.Sprintf("10.0.0.%d", i), "alice"), now, jsonFailure)
	}
	p := compileDoc(t, loginsConfig)
	p.KeepRateLimits(old)
	if d := attempt(p, jsonLogin("203.0.113.9", "user9"), now, nil); d.Outcome != policy.Block {
		t.Errorf("the stuffing hold was forgotten by the reload: %s", d.Outcome)
	}
	if d := attempt(p, jsonLogin("198.51.100.7", "alice"), now, nil); d.Outcome != policy.Log {
		t.Errorf("the owner's known-good pair was forgotten by the reload: %s %+v", d.Outcome, d.Reasons)
	}
}
