package fleet

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// countingTable keeps counter items in a map, as DynamoDB's ADD does, and
// records which items each sync touched; it has no flags.
type countingTable struct {
	mu      sync.Mutex
	items   map[string]int64
	touched []string
}

func (c *countingTable) GetItem(context.Context, *GetItemInput) (*GetItemOutput, error) {
	return &GetItemOutput{}, nil
}

func (c *countingTable) UpdateItem(_ context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	k := *in.Key[AttrKey].S
	c.mu.Lock()
	defer c.mu.Unlock()
	if in.UpdateExpression != "ADD #n :d SET #e = :e" {
		return &UpdateItemOutput{}, nil // a flag
	}
	d, _ := intAttr(in.ExpressionAttributeValues, ":d")
	c.items[k] += d
	c.touched = append(c.touched, k)
	return &UpdateItemOutput{Attributes: map[string]AttributeValue{AttrCount: number(c.items[k])}}, nil
}

func TestSyncReportsTheCountersClosestToTheirThresholdsFirst(t *testing.T) {
	tbl := &countingTable{items: map[string]int64{}}
	now := time.Date(2026, 12, 6, 10, 0, 1, 0, time.UTC)
	s, err := New(Options{
		Table:    &Table{API: tbl, Name: "t", Group: "g"},
		Key:      func() ([]byte, bool) { return []byte("0123456789abcdef0123456789abcdef"), true },
		Counters: []Threshold{{ID: "logins.spraying", Blocked: 10, Within: time.Minute, FlagFor: time.Hour, Prefix: "spray_"}, {ID: "logins.stuffing", Blocked: 20, Within: time.Minute, FlagFor: time.Hour, Prefix: "stuf_"}},
		Now:      func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	// A stuffing list: one failure for each of 200 user names, and 19
	// distinct names from the attacking source.
	for i := range 200 {
		s.Count(0, Source{Prefix: "spray_", Value: fmt.Sprintf("user-%d", i)})
	}
	for range 19 {
		s.Count(1, Source{Prefix: "stuf_", Value: "203.0.113.66"})
	}
	if err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(tbl.touched) != maxReports {
		t.Fatalf("first sync reported %d counters, want %d", len(tbl.touched), maxReports)
	}
	stuffing := tbl.touched[0]
	for _, k := range tbl.touched {
		if tbl.items[k] == 19 {
			stuffing = k
		}
	}
	if tbl.items[stuffing] != 19 {
		t.Errorf("the counter nearest its threshold (19 of 20) was not in the first sync: %v", tbl.touched)
	}
	// The rest keep their debt and are reported by the next syncs.
	for range 200/maxReports + 1 {
		tbl.touched = nil
		if err := s.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for _, n := range tbl.items {
		total += n
	}
	if len(tbl.items) != 201 || total != 219 {
		t.Errorf("after the syncs: %d items, %d counted; want 201 and 219 (nothing lost)", len(tbl.items), total)
	}
	if got := s.CounterTotal(1, Source{Prefix: "stuf_", Value: "203.0.113.66"}); got != 19 {
		t.Errorf("CounterTotal = %d, want 19", got)
	}
}
