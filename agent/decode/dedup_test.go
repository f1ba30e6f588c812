package decode

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestLongValueJudgedOnce: a text body that looks like XML but does not
// parse was yielded as text and again as the XML fallback; a long value
// reached twice is now yielded once, a short one as before, and a value
// with the same text at another location or under another decoding is
// still its own value.
func TestLongValueJudgedOnce(t *testing.T) {
	count := func(vals []event.Value, loc, text string) int {
		n := 0
		for _, v := range vals {
			if v.Location == loc && v.Text == text {
				n++
			}
		}
		return n
	}
	long := strings.Repeat("<a", dedupMin)
	vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: "text/plain", Body: []byte(long)})
	if n := count(vals, "body", long); n != 1 {
		t.Errorf("long unparsable XML body yielded %d times, want once", n)
	}
	short := "<a<a"
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "text/plain", Body: []byte(short)})
	if n := count(vals, "body", short); n != 2 {
		t.Errorf("short body yielded %d times, want twice (short values are not remembered)", n)
	}
	// the same long text in two fields, and URL-encoded in a third
	q := "a=" + long + "&b=" + long + "&c=" + strings.ReplaceAll(long, "<", "%3C")
	vals, _ = walk(t, New(Limits{}), &event.Request{RawQuery: q})
	for _, loc := range []string{"query.a", "query.b", "query.c"} {
		if n := count(vals, loc, long); n != 1 {
			t.Errorf("%s: %d values, want 1", loc, n)
		}
	}
}

// TestDuplicateStillCountsTowardsBounds: a value yielded once instead of
// twice still counts twice towards MaxBytes, so the bound is reached
// exactly where it was before.
func TestDuplicateStillCountsTowardsBounds(t *testing.T) {
	long := strings.Repeat("<a", 4*dedupMin)
	req := &event.Request{ContentType: "text/plain", Body: []byte(long)}
	_, de := walk(t, New(Limits{MaxBytes: len(long) * 3 / 2}), req)
	if !hasIssue(de, ByteLimit) {
		t.Errorf("byte limit not reached by the repeated body: %v", de)
	}
	_, de = walk(t, New(Limits{MaxBytes: len(long) * 5 / 2}), req)
	if hasIssue(de, ByteLimit) {
		t.Errorf("byte limit reached below twice the body: %v", de)
	}
}
