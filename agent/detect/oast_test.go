package detect

import "testing"

// TestOASTDomainsAreFoundAtTheirDots: every listed domain, wherever it
// stands in a value, is found by reading the value at its dots, and a
// name that only starts like one is not.
func TestOASTDomainsAreFoundAtTheirDots(t *testing.T) {
	e := New(Options{})
	for k, d := range oastDomains {
		// (a name without a dot, ezxss, is read only in a value with one)
		for _, s := range []string{"x." + d + "/p", "see a." + d + " now", "first oastify.comx then " + d} {
			if !hasRule(e.Inspect(q("q", s), nil), "oast-domain") {
				t.Errorf("oastDomains[%d] %q not found in %q", k, d, s)
			}
		}
	}
	for _, s := range []string{"webhook.sites.example", "oastify.company", "ezxssy", "a.b.c.d.e"} {
		if hasRule(e.Inspect(q("q", s), nil), "oast-domain") {
			t.Errorf("oast-domain on %q", s)
		}
	}
}
