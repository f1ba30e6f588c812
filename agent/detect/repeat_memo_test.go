package detect

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func headerValue(name, text string) event.Value {
	return event.Value{Part: event.PartHeader, Location: "header." + name, Key: name, Text: text}
}

// TestRepeatMemoRemembersOnlyBenignVerdicts: a repeated benign
// User-Agent is answered from the memo; an attack is judged, and
// reported, every time; a credential header is never remembered.
func TestRepeatMemoRemembersOnlyBenignVerdicts(t *testing.T) {
	const browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
	tests := []struct {
		name, header, text string
		remembered         bool
	}{
		{"a browser's user agent", "user-agent", browser, true},
		{"any case of the name", "User-Agent", browser, true},
		{"an origin", "origin", "https://shop.example.com", true},
		{"a client hint", "sec-ch-ua", `"Chromium";v="120", "Not A(Brand";v="24"`, true},
		{"an attack in the user agent", "user-agent", "Mozilla/5.0' AND SLEEP(5)-- -", false},
		{"a scanner's user agent", "user-agent", "sqlmap/1.7.2#stable (https://sqlmap.org)", false},
		{"a log4shell lookup in the referer", "referer", "${jndi:ldap://x.example/a}", false},
		{"an api key", "x-api-key", "k-123456", false},
		{"an authorization header", "authorization", "Bearer abc.def.ghi", false},
		{"a custom header", "x-file", "report.pdf", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Options{})
			v := headerValue(tt.header, tt.text)
			first := e.Inspect(v, nil)
			if got := e.memo.benign(&v); got != tt.remembered {
				t.Fatalf("remembered = %v, want %v (signals %v)", got, tt.remembered, first)
			}
			if again := e.Inspect(v, nil); !reflect.DeepEqual(first, again) {
				t.Errorf("second judgement %v, first %v", again, first)
			}
		})
	}
	paths := []struct {
		name       string
		v          event.Value
		remembered bool
	}{
		{"a request path", event.Value{Part: event.PartPath, Location: "path", Text: "/orders"}, true},
		{"a traversal in the path", event.Value{Part: event.PartPath, Location: "path", Text: "/files/../../etc/passwd"}, false},
		{"a path segment", event.Value{Part: event.PartPath, Location: "path[0]", Text: "orders"}, false},
		{"a decoded path", event.Value{Part: event.PartPath, Location: "path", Text: "/a b", Decoded: []string{"url"}}, false},
		{"a query value", event.Value{Part: event.PartQuery, Location: "query.q", Key: "q", Text: "shoes"}, false},
		{"a JSON key", event.Value{Part: event.PartBody, Location: "body.customer", Key: "customer", Text: "customer", IsKey: true}, true},
		{"a query parameter's name", event.Value{Part: event.PartQuery, Location: "query.page", Key: "page", Text: "page", IsKey: true}, true},
		{"an operator key", event.Value{Part: event.PartBody, Location: "body.user.$ne", Key: "$ne", Text: "$ne", IsKey: true}, false},
		{"markup in a key", event.Value{Part: event.PartBody, Location: "body.<script>alert(1)</script>", Key: "<script>alert(1)</script>", Text: "<script>alert(1)</script>", IsKey: true}, false},
		{"a cookie's name", event.Value{Part: event.PartCookie, Location: "cookie.session", Key: "session", Text: "session", IsKey: true}, false},
	}
	for _, tt := range paths {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Options{})
			first := e.Inspect(tt.v, nil)
			if got := memoizable(&tt.v) && e.memo.benign(&tt.v); got != tt.remembered {
				t.Fatalf("remembered = %v, want %v (signals %v)", got, tt.remembered, first)
			}
			if again := e.Inspect(tt.v, nil); !reflect.DeepEqual(first, again) {
				t.Errorf("second judgement %v, first %v", again, first)
			}
		})
	}
}

// TestRepeatMemoIsKeyedByLocationNameAndText: a remembered value answers
// only for the same header, location and text.
func TestRepeatMemoIsKeyedByLocationNameAndText(t *testing.T) {
	e := New(Options{})
	v := headerValue("user-agent", "curl-like/1.0")
	e.Inspect(v, nil)
	for _, other := range []event.Value{
		headerValue("referer", v.Text),
		headerValue("user-agent", v.Text+" "),
		{Part: event.PartHeader, Location: "header.user-agent[1]", Key: "user-agent", Text: v.Text},
		{Part: event.PartHeader, Location: "header.user-agent", Key: "user-agent", Text: v.Text, Decoded: []string{"url"}},
	} {
		if memoizable(&other) && e.memo.benign(&other) {
			t.Errorf("%+v answered by the memo of %+v", other, v)
		}
	}
}

// TestRepeatMemoUnderConcurrentInvocations: many invocations judging a
// mix of benign and hostile header values at once (as under Managed
// Instances) get the verdicts of an engine without a memo. Run with -race.
func TestRepeatMemoUnderConcurrentInvocations(t *testing.T) {
	var values []event.Value
	for i := range 40 {
		values = append(values,
			headerValue("user-agent", fmt.Sprintf("Mozilla/5.0 (X11; Linux x86_64) Firefox/%d.0", 100+i)),
			headerValue("user-agent", fmt.Sprintf("Mozilla/5.0' OR %d=%d-- -", i, i)),
			headerValue("referer", fmt.Sprintf("https://shop.example.com/p/%d", i)),
			headerValue("referer", fmt.Sprintf("https://x.example/?q=<script>alert(%d)</script>", i)),
			event.Value{Part: event.PartBody, Location: fmt.Sprintf("body.field%d", i), Key: fmt.Sprintf("field%d", i), Text: fmt.Sprintf("field%d", i), IsKey: true},
			event.Value{Part: event.PartBody, Location: fmt.Sprintf("body.$where%d", i), Key: fmt.Sprintf("$where%d", i), Text: fmt.Sprintf("$where%d", i), IsKey: true})
	}
	want := make([][]Signal, len(values))
	for i, v := range values {
		want[i] = New(Options{}).Inspect(v, nil) // a fresh engine: nothing remembered
	}
	e := New(Options{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for round := range 20 {
				for k := range values {
					i := (k + w*7 + round) % len(values)
					if got := e.Inspect(values[i], nil); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("%q: %v, want %v", values[i].Text, got, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestRepeatMemoTellsANameFromItsValue: a value whose text is its own
// name, at the name's location ({"customer":"customer"}), is not answered
// by the name's remembered verdict.
func TestRepeatMemoTellsANameFromItsValue(t *testing.T) {
	e := New(Options{})
	name := event.Value{Part: event.PartBody, Location: "body.customer", Key: "customer", Text: "customer", IsKey: true}
	e.Inspect(name, nil)
	if !e.memo.benign(&name) {
		t.Fatal("the name was not remembered")
	}
	value := name
	value.IsKey = false
	if e.memo.benign(&value) {
		t.Error("the value is answered by its name's verdict")
	}
}
