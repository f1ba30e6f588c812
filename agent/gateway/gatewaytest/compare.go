// Package gatewaytest compares generated Lambda events with the example
// events AWS documents, field by field, for the tests of agent/gateway and
// of the serve end-to-end suite.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package gatewaytest

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// Rules says how to compare a generated event with a documented one.
// Patterns are dotted paths with '*' for one element ("headers.*").
type Rules struct {
	// Skip: documented fields of features the local endpoint does not
	// emulate (authorizers, stage variables, client certificates).
	Skip []string
	// KindOnly: fields that differ per request (ids, times, addresses);
	// only their JSON kind is compared.
	KindOnly []string
	// Extra: fields the generated event may have that the documented
	// example lacks (headers the platform adds).
	Extra []string
	// FoldKeys: objects whose keys compare case-insensitively (REST API
	// headers keep the client's case; Go canonicalises it).
	FoldKeys []string
}

func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if ok, _ := path.Match(pat, p); ok {
			return true
		}
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return fmt.Sprintf("%T", v)
}

// Diff compares want (a documented event) with got field by field
// and returns one line per difference.
func Diff(want, got any, rules Rules) []string {
	var diffs []string
	var walk func(p string, w, g any, gotPresent bool)
	walk = func(p string, w, g any, gotPresent bool) {
		if matchAny(rules.Skip, p) {
			return
		}
		if !gotPresent {
			if w != nil { // documented null and absent are the same to handlers
				diffs = append(diffs, fmt.Sprintf("%s: missing (documented %s)", p, kind(w)))
			}
			return
		}
		if matchAny(rules.KindOnly, p) {
			if kind(w) != kind(g) && !(w == nil || g == nil) {
				diffs = append(diffs, fmt.Sprintf("%s: kind %s, documented %s", p, kind(g), kind(w)))
			}
			return
		}
		wm, wok := w.(map[string]any)
		gm, gok := g.(map[string]any)
		if wok && gok {
			fold := matchAny(rules.FoldKeys, p)
			key := func(k string) string {
				if fold {
					return strings.ToLower(k)
				}
				return k
			}
			gk := map[string]string{}
			for k := range gm {
				gk[key(k)] = k
			}
			seen := map[string]bool{}
			keys := make([]string, 0, len(wm))
			for k := range wm {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				child := strings.TrimPrefix(p+"."+key(k), ".")
				orig, ok := gk[key(k)]
				seen[orig] = ok
				walk(child, wm[k], gm[orig], ok)
			}
			extra := make([]string, 0)
			for k := range gm {
				if !seen[k] {
					extra = append(extra, k)
				}
			}
			sort.Strings(extra)
			for _, k := range extra {
				child := strings.TrimPrefix(p+"."+key(k), ".")
				if gm[k] != nil && !matchAny(rules.Skip, child) && !matchAny(rules.Extra, child) {
					diffs = append(diffs, fmt.Sprintf("%s: not in the documented event (got %s)", child, kind(gm[k])))
				}
			}
			return
		}
		if !reflect.DeepEqual(w, g) {
			if w == nil && (g == "" || g == false) {
				return
			}
			diffs = append(diffs, fmt.Sprintf("%s: got %v, documented %v", p, jsonText(g), jsonText(w)))
		}
	}
	walk("", want, got, true)
	return diffs
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Load reads a JSON document for Diff.
func Load(t testing.TB, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// Fixture is the path of a documented example event shipped in
// agent/gateway/testdata, from a test in any directory of the module.
func Fixture(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", name)
}
