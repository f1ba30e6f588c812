package event

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func addFixtures(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParse: Parse never panics, and accepts what it accepts consistently:
// a Request for valid JSON of a known shape, an error wrapping ErrMalformed
// otherwise.
func FuzzParse(f *testing.F) {
	addFixtures(f)
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		req, err := Parse(payload)
		if err != nil {
			if req != nil {
				t.Fatal("request returned with an error")
			}
			return
		}
		if !json.Valid(payload) {
			t.Fatalf("invalid JSON accepted: %q", payload)
		}
		for i, r := range req.Records {
			if r.Index != i {
				t.Fatalf("record %d has index %d", i, r.Index)
			}
		}
		if req.Trigger.IsHTTP() {
			if _, err := req.BlockResponse(403, "text/plain", []byte("blocked")); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzWithoutRecords: the output is valid JSON with exactly the kept
// records, each byte for byte.
func FuzzWithoutRecords(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		spans, err := recordSpans(payload)
		if err != nil || len(spans) == 0 {
			return
		}
		drop := []int{0}
		if len(spans) > 2 {
			drop = append(drop, len(spans)-1)
		}
		out, err := WithoutRecords(payload, SQS, drop)
		if err != nil {
			t.Fatal(err)
		}
		if json.Valid(payload) && !json.Valid(out) {
			t.Fatalf("valid input %q gave invalid output %q", payload, out)
		}
		after, err := recordSpans(out)
		if err != nil {
			t.Fatalf("output unreadable: %v: %q", err, out)
		}
		want := len(spans) - len(drop)
		if len(spans) <= 2 {
			want = len(spans) - 1
		}
		if len(after) != want {
			t.Fatalf("%d records left, want %d", len(after), want)
		}
		k := 0
		for i, sp := range spans {
			if i == 0 || (len(spans) > 2 && i == len(spans)-1) {
				continue
			}
			if string(out[after[k][0]:after[k][1]]) != string(payload[sp[0]:sp[1]]) {
				t.Fatalf("record %d changed", i)
			}
			k++
		}
	})
}
