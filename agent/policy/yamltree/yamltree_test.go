package yamltree

import (
	"reflect"
	"strings"
	"testing"
)

func TestTreeReportsStructuralProblemsWithPositions(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []Problem
	}{
		{"duplicate key names its path", "a:\n  b: 1\n  b: 2\n", []Problem{{Line: 3, Column: 3, Path: []string{"a", "b"}, Message: "duplicate key"}}},
		{"duplicate in a list item", "l:\n  - {x: 1, x: 2}\n", []Problem{{Line: 2, Column: 12, Path: []string{"l", "0", "x"}, Message: "duplicate key"}}},
		{"non-string key", "? [a]\n: 1\n", []Problem{{Line: 1, Column: 3, Message: "mapping keys must be strings"}}},
		{"clean document", "a: [1, 2.5, true, null, x]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, perr := Parse([]byte(tc.doc))
			if perr != nil {
				t.Fatalf("Parse: %+v", perr)
			}
			var b Builder
			b.Tree(doc, nil)
			if got := b.Problems(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestTreeConvertsToTheJSONDataModel(t *testing.T) {
	doc, _ := Parse([]byte("base: &b {x: 1, y: two}\nm:\n  <<: *b\n  y: three\nt: 2026-01-02T03:04:05Z\nf: 1.5\n"))
	var b Builder
	got := b.Tree(doc, nil)
	want := map[string]any{
		"base": map[string]any{"x": int64(1), "y": "two"},
		"m":    map[string]any{"x": int64(1), "y": "three"},
		"t":    "2026-01-02T03:04:05Z",
		"f":    1.5,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tree = %#v\nwant %#v", got, want)
	}
}

// A billion-laughs document stops at the budget with one problem, however
// many more nodes its aliases would expand to.
func TestTreeStopsAtTheNodeBudget(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("l0: &l0 [a, b, c, d, e, f, g, h, i, j]\n")
	for i := 1; i < 9; i++ {
		prev := "*l" + string(rune('0'+i-1))
		sb.WriteString("l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	doc, _ := Parse([]byte(sb.String()))
	b := Builder{MaxNodes: 10_000}
	b.Tree(doc, nil)
	probs := b.Problems()
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "document too large") {
		t.Fatalf("problems = %+v, want one 'document too large'", probs)
	}
	if crossed, spent := b.Count(1); crossed || !spent {
		t.Errorf("after the budget: Count = %v, %v; want false, true", crossed, spent)
	}
}

func TestTreeRefusesSelfReferencingAlias(t *testing.T) {
	doc, perr := Parse([]byte("a: &a [1, *a]\n"))
	if perr != nil {
		t.Skipf("the YAML parser itself refuses the cycle: %s", perr.Message)
	}
	var b Builder
	b.Tree(doc, nil)
	probs := b.Problems()
	if len(probs) == 0 {
		t.Fatal("a self-referencing alias was not reported")
	}
}

func TestParseLocatesSyntaxErrors(t *testing.T) {
	_, perr := Parse([]byte("a: [\nb: 1\n"))
	if perr == nil || perr.Line == 0 || !strings.HasPrefix(perr.Message, "syntax error") {
		t.Fatalf("Parse = %+v, want a located syntax error", perr)
	}
}
