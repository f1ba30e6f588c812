package event

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// casePayloads are events with and without keys that differ only in
// case, where sniff reads every key (an HTTP event) and where it reads
// only part (Records, a top-level array).
func casePayloads() []string {
	many := make([]string, 0, 40)
	for i := range 20 {
		many = append(many, fmt.Sprintf(`"k%d":1`, i))
	}
	wide := strings.Join(many, ",")
	return []string{
		`{"version":"2.0","rawPath":"/x","body":"a","Body":"b"}`,
		`{"version":"2.0","rawPath":"/x","headers":{"x-a":"1","X-A":"2"}}`,
		`{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"GET","Method":"POST"}}}`,
		`{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"GET"}},"headers":{"a":"1"}}`,
		`{"version":"2.0","rawPath":"/x","b\u006fdy":"a","Body":"b"}`,
		`{"version":"2.0","rawPath":"/x","headers":{"a":"1"},"x":{"a":"1"},"y":[{"a":1},{"A":2}]}`,
		`{"version":"2.0","rawPath":"/x","headers":{"a":"1"},"y":[{"a":1,"b":{"c":{"d":1}}},{"a":2}]}`,
		`{"version":"2.0","rawPath":"/x","headers":{` + wide + `,"K3":2}}`,
		`{"version":"2.0","rawPath":"/x","headers":{` + wide + `}}`,
		`{"version":"2.0","rawPath":"/x","ſ":1,"s":2}`,
		`{"version":"2.0","rawPath":"/x","K":1,"k":2}`,
		`{"Records":[{"eventSource":"aws:sqs","body":"a","Body":"b"}]}`,
		`{"Records":[{"eventSource":"aws:sqs","body":"a"}]}`,
		`[{"arguments":{"a":1,"A":2},"info":{}}]`,
		`{"detail-type":"x","source":"y","detail":{"user":"a","User":"b"}}`,
	}
}

// TestSniffAnswersCaseVariantKeys: where sniff reads every key of an
// event, its answer to caseVariantKeys is the standalone pass's, which
// then is not made; where it does not, it says so.
func TestSniffAnswersCaseVariantKeys(t *testing.T) {
	payloads := casePayloads()
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, string(b))
	}
	seen := 0
	for _, p := range payloads {
		sh, err := sniff([]byte(p), nil)
		if err != nil {
			t.Fatalf("%.60s: %v", p, err)
		}
		want := caseVariantKeys([]byte(p), nil)
		if sh.caseSeen {
			seen++
			if sh.caseVariant != want {
				t.Errorf("%.80s: sniff says %v, caseVariantKeys %v", p, sh.caseVariant, want)
			}
		} else if sh.caseVariant {
			t.Errorf("%.80s: an answer without reading every key", p)
		}
	}
	if seen < 10 {
		t.Errorf("sniff read every key of only %d payloads", seen)
	}
}

// FuzzSniffCaseVariantKeys holds sniff's answer to the standalone pass's
// on any payload sniff accepts.
func FuzzSniffCaseVariantKeys(f *testing.F) {
	for _, p := range casePayloads() {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		sh, err := sniff(payload, nil)
		if err != nil || !sh.caseSeen {
			return
		}
		if want := caseVariantKeys(payload, nil); sh.caseVariant != want {
			t.Fatalf("%q: sniff says %v, caseVariantKeys %v", payload, sh.caseVariant, want)
		}
	})
}
