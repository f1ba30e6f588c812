package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestRulesSharingAValuePatternEachSeeItsValues: rules that read the same
// value location pattern share one search of the kept values per
// evaluation, and each still judges them by its own operator; a value
// kept after the search is found by the next rule that reads the pattern.
func TestRulesSharingAValuePatternEachSeeItsValues(t *testing.T) {
	p, err := Parse([]byte(`rules:
  - id: sku-exists
    when: {field: 'body.items[*].sku', exists: true}
    action: log
  - id: sku-a1
    when: {field: 'body.items[*].sku', equals: A-1}
    action: log
  - id: note
    when: {field: 'body.note', contains: leave}
    action: log
  - id: sku-zz
    when: {field: 'body.items[*].sku', regex: '^ZZ-'}
    action: block
`), "memo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.valueSlots) != 2 {
		t.Fatalf("value slots %v, want 2 (one per distinct pattern)", p.valueSlots)
	}
	ev := p.Begin(&event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", Path: "/orders"}, time.Now())
	for _, v := range []event.Value{
		{Part: event.PartBody, Location: "body.items[0].sku", Key: "sku", Text: "A-1"},
		{Part: event.PartBody, Location: "body.items[1].sku", Key: "sku", Text: "ZZ-9"},
		{Part: event.PartBody, Location: "body.note", Key: "note", Text: "leave it at the door"},
	} {
		if !ev.Wants(v.Location) {
			t.Fatalf("%s not wanted", v.Location)
		}
		ev.Keep(v)
	}
	d := ev.Finish()
	for _, id := range []string{"sku-zz", "sku-exists", "sku-a1", "note"} {
		if !slices.Contains(d.RuleIDs, id) {
			t.Errorf("rule %s did not match; matched %v", id, d.RuleIDs)
		}
	}
	if d.Outcome != Block {
		t.Errorf("outcome %s, want block", d.Outcome)
	}

	// a value kept after a search is seen by the next read
	ev = p.Begin(&event.Request{Trigger: event.APIGatewayHTTP}, time.Now())
	ev.Keep(event.Value{Part: event.PartBody, Location: "body.items[0].sku", Text: "A-1"})
	f := &p.rules[0].when.field // sku-exists
	if got := ev.ctx.valuesAt(f); !slices.Equal(got, []string{"A-1"}) {
		t.Fatalf("first search %q", got)
	}
	ev.Keep(event.Value{Part: event.PartBody, Location: "body.items[1].sku", Text: "ZZ-1"})
	if got := ev.ctx.valuesAt(f); !slices.Equal(got, []string{"A-1", "ZZ-1"}) {
		t.Fatalf("after a new value %q", got)
	}
}
