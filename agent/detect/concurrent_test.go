package detect

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// corpusLines returns the seed lines of the project's attack and benign
// corpora and the tune part of the external one (tests/corpus), as texts
// to judge.
func corpusLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	for _, dir := range []string{"attacks", "benign", filepath.Join("external", "tune")} {
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
					if label, payload, ok := strings.Cut(l, "\t"); ok && !strings.ContainsAny(label, " :") {
						l = payload // external lines: label, tab, payload
					}
					lines = append(lines, l)
				}
			}
		}
	}
	return lines
}

// TestConcurrentJudgementMatchesSerial holds judgeConcurrently to the
// serial order:
// every corpus line, in each part of a request and at both paranoia
// levels, and long hostile texts, get the same signals in the same order
// whether the detectors run one after the other or two at a time.
func TestConcurrentJudgementMatchesSerial(t *testing.T) {
	t.Parallel()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the split needs a second P to run at once
	}
	texts := corpusLines(t)
	for _, unit := range []string{"<;&amp;%25", "${", "$(", "require('child_process') ", "<a ", "' or 1=1 -- ", "../", "{{7*7}} "} {
		texts = append(texts, strings.Repeat(unit, (96<<10)/len(unit)))
	}
	parts := []func(string) event.Value{
		func(s string) event.Value { return body("q", s) },
		func(s string) event.Value { return hdr("x-data", s) },
		path,
	}
	for _, paranoia := range []int{1, 2} {
		serial, split := New(Options{Paranoia: paranoia}), New(Options{Paranoia: paranoia})
		serial.splitMin, split.splitMin = math.MaxInt, 1
		for _, s := range texts {
			for _, part := range parts {
				v := part(s)
				want, got := serial.Inspect(v, nil), split.Inspect(v, nil)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("paranoia %d, %s %.80q: split %v, serial %v", paranoia, v.Location, s, got, want)
				}
			}
		}
	}
}

// detectorsShareARule reports whether two detectors of the sequence, each
// run alone on v, emit a signal of one rule: the case judgeConcurrently
// settles by running the later one again.
func detectorsShareARule(e *Engine, v event.Value) bool {
	seen := map[string]bool{}
	for _, d := range sqlFirst {
		sc := e.scratch.Get().(*scratch)
		in := input{e: e, v: v, text: v.Text, sink: sinkOf(&v), sc: sc}
		in.mask = scanMask(in.text)
		in.run(d)
		e.scratch.Put(sc)
		for _, s := range in.dst {
			if seen[s.Rule] {
				return true
			}
		}
		for _, s := range in.dst {
			seen[s.Rule] = true
		}
	}
	return false
}

// TestConcurrentJudgementRerunsADetectorWhenARuleRepeats: a value two
// detectors emit "node-injection" for (a console probe, then Node.js's
// module object) keeps the first one's signal of that rule only, as the
// serial order does; appending the second's would report the rule twice.
func TestConcurrentJudgementRerunsADetectorWhenARuleRepeats(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	serial, split := New(Options{}), New(Options{})
	serial.splitMin, split.splitMin = math.MaxInt, 1
	v := body("q", "console.log(123)//module.exports=1")
	if !detectorsShareARule(serial, v) {
		t.Fatal("no two detectors emit one rule for this value any more: pick another to test the re-run")
	}
	got, want := split.Inspect(v, nil), serial.Inspect(v, nil)
	if !reflect.DeepEqual(got, want) || len(got) != 1 {
		t.Fatalf("split %v, serial %v", got, want)
	}
}

// TestConcurrentJudgementHandsAPanicToTheCaller: a detector that panics
// on the second goroutine must not end the process; the panic comes out
// of Inspect's own goroutine, where the firewall recovers it.
func TestConcurrentJudgementHandsAPanicToTheCaller(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	e := New(Options{})
	v := body("q", strings.Repeat("<a ", 1000))
	for _, sequence := range [][]detector{{dJNDI, detector(255)}, {detector(255), dJNDI}, {detector(255), detector(254)}, {dXSS, dSQLi, detector(255)}} {
		for range 20 {
			got := func() (p any) {
				defer func() { p = recover() }()
				sc := e.scratch.Get().(*scratch)
				in := input{e: e, v: v, text: v.Text, sc: sc}
				in.mask = scanMask(in.text)
				in.judgeConcurrently(sequence)
				return nil
			}()
			if s, _ := got.(string); !strings.Contains(s, "no detector 25") {
				t.Fatalf("sequence %v: recovered %v, want the detector's panic", sequence, got)
			}
		}
	}
}
