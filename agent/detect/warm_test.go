package detect

import "testing"

// Warm must leave an engine that judges exactly as a cold one: it only
// builds tables, it keeps no state of what it judged.
func TestWarmChangesNoVerdict(t *testing.T) {
	cold, warm := New(Options{Paranoia: 2}), New(Options{Paranoia: 2})
	warm.Warm()
	for _, r := range Rules {
		for _, x := range [...]Example{r.Attack, r.Benign} {
			a, b := cold.Inspect(x.Value(), nil), warm.Inspect(x.Value(), nil)
			if classes(a) != classes(b) {
				t.Errorf("%s: %q judged %s cold, %s warm", r.ID, x.Text, classes(a), classes(b))
			}
		}
	}
}
