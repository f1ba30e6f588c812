package decode

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestLocationsOutliveTheWalk checks that the locations of one walk (kept
// by policy and decision records) are not overwritten by later walks on
// the same Decoder, whose walkers and buffers are pooled.
func TestLocationsOutliveTheWalk(t *testing.T) {
	d := New(Limits{})
	body := func(name string, n int) []byte {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"%s%d":{"inner":["x","y"]}`, name, i)
		}
		b.WriteString("}")
		return []byte(b.String())
	}
	// enough leaves to span several arena blocks
	first, _ := walk(t, d, &event.Request{Trigger: event.APIGatewayHTTP, ContentType: "application/json", Body: body("alpha", 60)})
	var want []string
	for _, v := range first {
		want = append(want, strings.Clone(v.Location))
	}
	for i := 0; i < 4; i++ {
		walk(t, d, &event.Request{Trigger: event.APIGatewayHTTP, ContentType: "application/json", Body: body("omega", 60)})
	}
	for i, v := range first {
		if v.Location != want[i] {
			t.Fatalf("location %d changed after later walks: %q, was %q", i, v.Location, want[i])
		}
	}
	if len(first) < 60*3 || first[len(first)-1].Location != "body.alpha59.inner[1]" {
		t.Fatalf("unexpected walk: %d values, last %q", len(first), first[len(first)-1].Location)
	}
}
