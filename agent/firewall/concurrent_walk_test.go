package firewall

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// corpusPayloads returns the seed lines of the project's attack and benign
// corpora (tests/corpus), interleaved, so that the events built of them
// hold attacks among benign values.
func corpusPayloads(t *testing.T) []string {
	t.Helper()
	var sets [2][]string
	for k, dir := range []string{"attacks", "benign"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "tests", "corpus", dir, "*.txt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("corpus %s: %v (%d files)", dir, err, len(files))
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(b), "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "##") {
					sets[k] = append(sets[k], l)
				}
			}
		}
	}
	var out []string
	for i := 0; i < len(sets[0]) || i < len(sets[1]); i++ {
		for k := range sets {
			if i < len(sets[k]) {
				out = append(out, sets[k][i])
			}
		}
	}
	return out
}

// concurrentWalkEvents returns events of many values: JSON bodies of
// corpus lines (benign ones first, then the rest, so that a block comes
// after batches that did not), the same lines between long values, form
// bodies, and SQS batches whose records are judged one by one.
func concurrentWalkEvents(t *testing.T) [][]byte {
	lines := corpusPayloads(t)
	var evs [][]byte
	for _, n := range []int{1, 7, 150, 400} {
		for i := 0; i < len(lines); i += n * 3 {
			chunk := lines[i:min(len(lines), i+n*3)]
			body, _ := json.Marshal(map[string]any{"items": chunk, "note": strings.Repeat("plain words ", n)})
			evs = append(evs, fixture(t, "apigw-v2.json", map[string]any{"body": string(body)}))
			// short values between long ones, some of them attacks: some
			// judged at once, some batched behind a long one the helper
			// has, and their signals merged in the walk's order
			var mixed []string
			for k, l := range chunk {
				long := strings.Repeat("plain words ", 40*(k%5))
				if k%3 == 0 {
					long = "<script>alert(1)</script> " + long
				}
				mixed = append(mixed, l, long)
			}
			body, _ = json.Marshal(mixed)
			evs = append(evs, fixture(t, "apigw-v2.json", map[string]any{"body": string(body)}))
			var form strings.Builder
			for k, l := range chunk {
				fmt.Fprintf(&form, "f%d=%s&", k, strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", "+", "%2B").Replace(l))
			}
			evs = append(evs, fixture(t, "apigw-v2.json", map[string]any{"body": form.String(),
				"headers": map[string]any{"content-type": "application/x-www-form-urlencoded", "host": "api.example.com"}}))
		}
	}
	var recs []any
	for i, l := range lines {
		b, _ := json.Marshal(map[string]string{"note": l})
		recs = append(recs, map[string]any{"messageId": fmt.Sprint("m-", i), "body": string(b), "eventSource": "aws:sqs",
			"eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1"})
	}
	sqs, _ := json.Marshal(map[string]any{"Records": recs})
	return append(evs, sqs)
}

// TestConcurrentWalkMatchesSerial holds the two-core walk of a large
// event to the serial one: the same decision, signals in the same order,
// for events whose attacks settle the walk early, late or not at all, in
// block and log mode, walking the whole event or not, and for batches of
// records.
func TestConcurrentWalkMatchesSerial(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the walk needs a second P to run at once
	}
	now := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	evs := concurrentWalkEvents(t)
	for _, opts := range []Options{{}, {Mode: policy.ModeLog}, {CompleteWalk: true}} {
		opts.Now = func() time.Time { return now }
		serial, concurrent := New(nil, opts), New(nil, opts)
		serial.concurrentMin, concurrent.concurrentMin = math.MaxInt, 0
		for i, ev := range evs {
			want, _ := serial.Judge(context.Background(), ev)
			got, _ := concurrent.Judge(context.Background(), ev)
			want.Duration, got.Duration = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("mode %q, complete %v, event %d (%.120s):\ntwo cores %+v\nserial    %+v", opts.Mode, opts.CompleteWalk, i, ev, got, want)
			}
		}
	}
}

// panickingDetector panics on the value "boom" and finds nothing in
// others.
type panickingDetector struct{}

func (panickingDetector) InspectSite(v event.Value, _ *detect.Site, dst []detect.Signal) []detect.Signal {
	if v.Text == "boom" {
		panic("detector failed")
	}
	return dst
}

// TestConcurrentWalkHandsBackAPanic: a detector's panic on the helper
// goroutine is the invocation's inspection error, as on the walk's own,
// and does not end the process.
func TestConcurrentWalkHandsBackAPanic(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	values := make([]string, 5000)
	for i := range values {
		values[i] = "v"
	}
	for _, at := range []int{0, 130, 2500, len(values) - 1} {
		values[at] = "boom"
		body, _ := json.Marshal(values)
		values[at] = "v"
		f := New(nil, Options{NewDetector: func(detect.Options) Detector { return panickingDetector{} }})
		f.concurrentMin = 0
		d, err := f.Judge(context.Background(), fixture(t, "apigw-v2.json", map[string]any{"body": string(body)}))
		if err == nil || !strings.Contains(d.Error, "detector failed") {
			t.Errorf("panic at value %d: error %v, decision error %q", at, err, d.Error)
		}
	}
}
