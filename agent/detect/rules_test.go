package detect

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var updateRulesDoc = flag.Bool("update-rules-doc", false, "rewrite RULES.md from the rule table")

func fired(sigs []Signal, rule string) bool {
	for _, s := range sigs {
		if s.Rule == rule {
			return true
		}
	}
	return false
}

// TestRuleExamplesFireTheirRule checks the table against the detectors:
// each rule's attack example fires that rule at the rule's paranoia level
// (and, for a paranoia-2 rule, not at level 1), and its benign example
// fires no attack at that level.
func TestRuleExamplesFireTheirRule(t *testing.T) {
	engines := map[int]*Engine{1: New(Options{}), 2: New(Options{Paranoia: 2})}
	small := New(Options{MaxValueBytes: 64})
	for _, r := range Rules {
		t.Run(r.ID, func(t *testing.T) {
			e := engines[r.Paranoia]
			attack := r.Attack.Value()
			if r.ID == "value-too-long" {
				// The example is any value over the engine's limit.
				e, attack.Text = small, strings.Repeat("a", 100)
			}
			if sigs := e.Inspect(attack, nil); !fired(sigs, r.ID) {
				t.Errorf("attack example %q fired %q, want %s", r.Attack.Text, classes(sigs), r.ID)
			}
			if r.Paranoia > 1 {
				if sigs := engines[1].Inspect(attack, nil); fired(sigs, r.ID) {
					t.Errorf("paranoia-%d rule fired at level 1 on %q", r.Paranoia, r.Attack.Text)
				}
			}
			if sigs := e.Inspect(r.Benign.Value(), nil); hasAttack(sigs) || fired(sigs, r.ID) {
				t.Errorf("benign example %q fired %q", r.Benign.Text, classes(sigs))
			}
		})
	}
}

func hasAttack(sigs []Signal) bool {
	for _, s := range sigs {
		if s.Class.IsAttack() {
			return true
		}
	}
	return false
}

// TestRuleTableIsConsistent checks the table itself: unique ids, known
// classes, levels and scores in range, a meaning and examples for every
// value rule.
func TestRuleTableIsConsistent(t *testing.T) {
	classes := map[Class]bool{}
	for _, c := range Classes {
		classes[c] = true
	}
	seen := map[string]bool{}
	for _, r := range append(append([]Rule(nil), Rules...), DecoderRules...) {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %q", r.ID)
		}
		seen[r.ID] = true
		if !classes[r.Class] && r.Class != limitClass {
			t.Errorf("%s: unknown class %q", r.ID, r.Class)
		}
		if r.Paranoia < 1 || r.Paranoia > MaxParanoia || r.Score < 1 || r.Score > 10 || r.Meaning == "" {
			t.Errorf("%s: paranoia %d, score %d, meaning %q", r.ID, r.Paranoia, r.Score, r.Meaning)
		}
	}
	for _, r := range Rules {
		if r.Attack.Part == "" || r.Benign.Part == "" || r.Benign.Text == "" {
			t.Errorf("%s: missing example", r.ID)
		}
	}
}

// TestDetectorsEmitOnlyTableRules reads the detectors' source: every rule
// id written as a literal in an emit call must be in the table.
func TestDetectorsEmitOnlyTableRules(t *testing.T) {
	fset := token.NewFileSet()
	n := 0
	for _, call := range emitCalls(t, fset) {
		lit, ok := call.Args[1].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		id, _ := strconv.Unquote(lit.Value)
		n++
		if _, ok := LookupRule(id); !ok {
			t.Errorf("%s: emits rule %q, which is not in the rule table (rules.go)", fset.Position(lit.Pos()), id)
		}
	}
	if n < 50 {
		t.Fatalf("found only %d emit calls: the source scan is broken", n)
	}
}

// emitCalls parses the package's non-test sources and returns every call
// of an emit method with at least two arguments (class, rule id, ...).
func emitCalls(t *testing.T, fset *token.FileSet) []*ast.CallExpr {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var calls []*ast.CallExpr
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "emit") {
				calls = append(calls, call)
			}
			return true
		})
	}
	return calls
}

// TestDetectorsEmitTheTablesClass reads the detectors' source: an emit
// call that names both its class constant and its rule id must name the
// class the rule table gives that rule, so a signal's class, the schema's
// signalClass enum and the docs all come from the table.
func TestDetectorsEmitTheTablesClass(t *testing.T) {
	fset := token.NewFileSet()
	sig, err := parser.ParseFile(fset, "signal.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]Class{} // constant name -> class
	ast.Inspect(sig, func(nd ast.Node) bool {
		if vs, ok := nd.(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				consts[vs.Names[0].Name] = Class(v)
			}
		}
		return true
	})
	n := 0
	for _, call := range emitCalls(t, fset) {
		cls, ok1 := call.Args[0].(*ast.Ident)
		lit, ok2 := call.Args[1].(*ast.BasicLit)
		if !ok1 || !ok2 || lit.Kind != token.STRING {
			continue
		}
		c, known := consts[cls.Name]
		if !known {
			continue
		}
		id, _ := strconv.Unquote(lit.Value)
		r, ok := LookupRule(id)
		if !ok {
			continue // TestDetectorsEmitOnlyTableRules reports it
		}
		n++
		if r.Class != c {
			t.Errorf("%s: emits %s as class %q, the rule table says %q", fset.Position(lit.Pos()), id, c, r.Class)
		}
	}
	if n < 50 {
		t.Fatalf("found only %d emit calls with a class constant: the source scan is broken", n)
	}
}

// TestEveryClassHasARule keeps Classes and the rule table together: no
// class without a rule to carry it, no rule of a class Classes lacks.
func TestEveryClassHasARule(t *testing.T) {
	got := SignalClasses()
	if len(got) != len(Classes) {
		t.Errorf("SignalClasses() = %v, want every class of Classes %v", got, Classes)
	}
}

// TestDecoderRulesMatchDecodeKinds reads agent/decode's IssueKind
// constants: each needs a decode-<kind> rule, and no decoder rule may
// name a kind that does not exist.
func TestDecoderRulesMatchDecodeKinds(t *testing.T) {
	files, err := filepath.Glob("../decode/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	kinds := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "IssueKind" {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						k, _ := strconv.Unquote(lit.Value)
						kinds[k] = true
					}
				}
			}
		}
	}
	if len(kinds) == 0 {
		t.Fatal("no IssueKind constants found in agent/decode")
	}
	have := map[string]bool{}
	for _, r := range DecoderRules {
		k, ok := strings.CutPrefix(r.ID, "decode-")
		if !ok {
			k, ok = strings.CutPrefix(r.ID, "limit-")
		}
		have[k] = true
		if !ok || !kinds[k] {
			t.Errorf("decoder rule %s names no decode.IssueKind", r.ID)
		}
	}
	for k := range kinds {
		if !have[k] {
			t.Errorf("decode.IssueKind %q has no decode-%s or limit-%s rule in DecoderRules", k, k, k)
		}
	}
}

func TestSuggestRule(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sqli-libinjecton", "sqli-libinjection"},
		{"libinjection-sqli", "sqli-libinjection"},
		{"SQLI-LEXER", "sqli-lexer"},
		{"xss-tags", "xss-tag"},
		{"cmdi-seperator", "cmdi-separator"},
		{"nothing-like-it", ""},
	}
	for _, tt := range tests {
		if got := SuggestRule(tt.in); got != tt.want {
			t.Errorf("SuggestRule(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRulesDocIsGenerated keeps RULES.md equal to the table; run
// go test ./agent/detect -run TestRulesDocIsGenerated -update-rules-doc
// after changing the table.
func TestRulesDocIsGenerated(t *testing.T) {
	want := RulesMarkdown()
	if *updateRulesDoc {
		if err := os.WriteFile("RULES.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("RULES.md differs from the rule table; regenerate with -update-rules-doc")
	}
}

func TestRuleIDsSorted(t *testing.T) {
	ids := RuleIDs()
	if !sort.StringsAreSorted(ids) || len(ids) != len(Rules)+len(DecoderRules) {
		t.Errorf("RuleIDs: %d ids, sorted %v", len(ids), sort.StringsAreSorted(ids))
	}
}
