package gatewaytest

import (
	"reflect"
	"testing"
)

func TestDiffReportsDifferences(t *testing.T) {
	want := map[string]any{"a": "x", "b": map[string]any{"c": 1.0}, "n": nil}
	got := map[string]any{"a": "y", "b": map[string]any{}, "z": true}
	diffs := Diff(want, got, Rules{})
	wantDiffs := []string{
		`a: got "y", documented "x"`,
		`b.c: missing (documented number)`,
		`z: not in the documented event (got bool)`,
	}
	if !reflect.DeepEqual(diffs, wantDiffs) {
		t.Fatalf("diffs = %q, want %q", diffs, wantDiffs)
	}
}
