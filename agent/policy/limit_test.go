package policy

import (
	"fmt"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

func limitSignal(record int) detect.Signal {
	return detect.Signal{Class: ClassLimit, Rule: "limit-value-limit", Location: "body", Record: record, Score: 10}
}

// TestOnLimitDecidesLimitSignals: a limit signal gets what onLimit says,
// in every mode, whatever exclusions, class modes and caps say.
func TestOnLimitDecidesLimitSignals(t *testing.T) {
	tests := []struct {
		doc         string
		want        Outcome
		wouldBlock  bool
		extraSignal int // junk signals before the limit, to push it past the caps
	}{
		{"", Block, false, 0},
		{"onLimit: block\n", Block, false, 0},
		{"onLimit: log\n", Log, false, 0},
		{"onLimit: allow\n", Allow, false, 0},
		{"mode: log\n", Log, true, 0},
		{"mode: log\nonLimit: allow\n", Allow, false, 0},
		// exclusions and class modes are about detectors, not limits
		{"exclusions:\n  - locations: ['*']\n", Block, false, 0},
		{"detection:\n  classes:\n    protocol: off\n", Block, false, 0},
		// a hundred weak signals first: the limit survives every cap
		{"", Block, false, 100},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q+%d", tt.doc, tt.extraSignal), func(t *testing.T) {
			p, err := Parse([]byte(tt.doc), "t.yaml")
			if err != nil {
				t.Fatal(err)
			}
			ev := p.Begin(&event.Request{Trigger: event.APIGatewayHTTP, Method: "GET", Path: "/"}, time.Now())
			for i := range tt.extraSignal {
				ev.AddSignals(detect.Signal{Class: detect.Protocol, Rule: "decode-invalid-url-encoding", Location: fmt.Sprint("query.q", i), Record: -1, Score: 3})
			}
			ev.AddSignals(limitSignal(-1))
			d := ev.Finish()
			if d.Outcome != tt.want || d.WouldBlock != tt.wouldBlock {
				t.Errorf("outcome %s wouldBlock %v, want %s %v", d.Outcome, d.WouldBlock, tt.want, tt.wouldBlock)
			}
			found := false
			for _, s := range d.Signals {
				found = found || s.Class == ClassLimit
			}
			if !found {
				t.Errorf("limit signal dropped from the record (%d signals, %d omitted)", len(d.Signals), d.OmittedSignals)
			}
		})
	}
}

// TestLimitInOneRecordDropsThatRecord: a bound reached inside one batch
// record removes that record, not the batch.
func TestLimitInOneRecordDropsThatRecord(t *testing.T) {
	ev := Default().Begin(&event.Request{Trigger: event.SQS, Records: make([]event.Record, 3)}, time.Now())
	ev.AddSignals(limitSignal(1))
	d := ev.Finish()
	if d.Outcome != Block || len(d.DropRecords) != 1 || d.DropRecords[0] != 1 {
		t.Errorf("outcome %s drop %v", d.Outcome, d.DropRecords)
	}
}
