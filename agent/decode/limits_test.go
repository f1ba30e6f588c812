package decode

import (
	"encoding/base64"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestEveryBoundIsALimit: reaching any bound is reported as a limit, and
// no number of cheap anomalies before it can push it out of the report.
func TestEveryBoundIsALimit(t *testing.T) {
	var junk strings.Builder
	for i := range 200 {
		junk.WriteString("bad" + strconv.Itoa(i) + "=%zz&") // 200 invalid-url-encoding issues first
	}
	many := func(n int) map[string][]string {
		h := map[string][]string{}
		for i := range n {
			h["x-h"+strconv.Itoa(i)] = []string{"v"}
		}
		return h
	}
	records := make([]event.Record, 20)
	for i := range records {
		records[i] = event.Record{Index: i, Body: []byte("r")}
	}
	tests := []struct {
		name string
		lim  Limits
		req  *event.Request
		want IssueKind
	}{
		{"values after two hundred anomalies", Limits{MaxValues: 300},
			&event.Request{RawQuery: junk.String() + strings.Repeat("a=1&", 300)}, ValueLimit},
		{"decoded bytes", Limits{MaxBytes: 1000},
			&event.Request{RawQuery: junk.String() + "a=" + strings.Repeat("x", 2000)}, ByteLimit},
		{"depth", Limits{MaxDepth: 8},
			&event.Request{ContentType: "application/json", Body: []byte(strings.Repeat("[", 20) + strings.Repeat("]", 20))}, DepthLimit},
		{"body bytes", Limits{MaxBodyBytes: 100},
			&event.Request{ContentType: "text/plain", Body: []byte(strings.Repeat("x", 101))}, BodyLimit},
		{"headers", Limits{MaxHeaders: 10}, &event.Request{Headers: many(11)}, HeaderLimit},
		{"records", Limits{MaxRecords: 10}, &event.Request{Trigger: event.SQS, Records: records}, RecordLimit},
		{"decompression ratio", Limits{MaxRatio: 10},
			&event.Request{ContentType: "text/plain", ContentEncoding: "gzip", Body: gz(t, make([]byte, 3<<20))}, DecompressionBomb},
		{"boundary readings", Limits{},
			&event.Request{ContentType: "multipart/form-data; boundary=A; boundary=B; boundary=C; boundary=D; boundary=E; boundary=F",
				Body: []byte("--A\r\n--B\r\n--C\r\n--D\r\n--E\r\n--F\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--F--\r\n")}, LayerLimit},
		{"decoding layers", Limits{MaxLayers: 2},
			&event.Request{RawQuery: "q=" + url(b64(b64(b64("<script>alert(1)</script>"))))}, LayerLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, de := walk(t, New(tt.lim), tt.req)
			if de == nil || !hasIssue(de, tt.want) || !de.Limited() {
				t.Fatalf("want a %s limit, got %v", tt.want, de)
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestLimitsOutliveTheIssueCap: limits of more records than the cap holds
// end in a limit on the whole event, never in silence.
func TestLimitsOutliveTheIssueCap(t *testing.T) {
	records := make([]event.Record, maxIssues+10)
	for i := range records {
		records[i] = event.Record{Index: i, Body: []byte(strings.Repeat("x", 50))}
	}
	_, de := walk(t, New(Limits{MaxBodyBytes: 10}), &event.Request{Trigger: event.SQS, Records: records})
	if de == nil || !de.Limited() {
		t.Fatalf("want limits, got %v", de)
	}
	// the body limit stops the walk at the first record; that one is reported
	if de.Issues[0].Kind != BodyLimit || de.Issues[0].Record != 0 {
		t.Errorf("first limit %+v", de.Issues[0])
	}
}

// TestTimeBudgetStopsTheWalk: a visitor slower than the budget ends the
// walk with a TimeBudget limit.
func TestTimeBudgetStopsTheWalk(t *testing.T) {
	req := &event.Request{RawQuery: strings.Repeat("a=1&", 1000)}
	err := New(Limits{TimeBudget: 5 * time.Millisecond}).Walk(req, func(event.Value) bool {
		time.Sleep(100 * time.Microsecond)
		return true
	})
	var de *Error
	if !errors.As(err, &de) || !hasIssue(de, TimeBudget) || !de.Stopped {
		t.Fatalf("want a time-budget limit, got %v", err)
	}
}

// TestLongValuesAreJudgedWhole: a value longer than the window is yielded
// as overlapping windows that cover every byte, so a payload after any
// amount of padding is seen, and no window is longer than the window.
func TestLongValuesAreJudgedWhole(t *testing.T) {
	const win = 64 << 10
	for _, pad := range []int{win - 10, win, 3*win + 17, 5 << 20} {
		text := strings.Repeat("a", pad) + "<script>alert(1)</script>"
		seen, covered := false, 0
		_, de := walkFn(t, New(Limits{MaxValueBytes: win}), &event.Request{ContentType: "text/plain", Body: []byte(text)}, func(v event.Value) {
			if len(v.Text) > win {
				t.Errorf("window of %d bytes", len(v.Text))
			}
			if strings.Contains(v.Text, "<script>alert(1)</script>") {
				seen = true
			}
			covered += len(v.Text)
		})
		if !seen || covered < len(text) || de != nil && de.Limited() {
			t.Errorf("pad %d: payload seen %v, %d of %d bytes covered, issues %v", pad, seen, covered, len(text), de)
		}
	}
}

func walkFn(t *testing.T, d *Decoder, req *event.Request, f func(event.Value)) ([]event.Value, *Error) {
	t.Helper()
	err := d.Walk(req, func(v event.Value) bool { f(v); return true })
	var de *Error
	if err != nil && !errors.As(err, &de) {
		t.Fatal(err)
	}
	return nil, de
}

// TestReadmeLimitsTable: README.md shows exactly the table Bounds
// renders. Regenerate with LAMBDAWAF_UPDATE_README=1.
func TestReadmeLimitsTable(t *testing.T) {
	const begin, end = "<!-- limits table: generated by agent/decode TestReadmeLimitsTable -->\n", "<!-- end of limits table -->"
	path := "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no limits table between %q and %q", begin, end)
	}
	want := BoundsMarkdown()
	if got := s[i+len(begin) : j]; got != want {
		if os.Getenv("LAMBDAWAF_UPDATE_README") != "" {
			if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md limits table drifted from decode.Bounds; run LAMBDAWAF_UPDATE_README=1 go test ./agent/decode -run TestReadmeLimitsTable\nwant:\n%s", want)
	}
}
