package policy

import "testing"

// TestLocSetAgreesWithPatterns checks the indexed set answers as trying
// every pattern in turn would.
func TestLocSetAgreesWithPatterns(t *testing.T) {
	for _, raws := range [][]string{
		{"body.items[*].sku", "body.items[*].sku", "header.user-agent", "query.debug1", "**.password", "*.token", "[*].id", "x-amz-*", "cookie.t", "body.a.**"},
		// plain first keys only: a location is turned away by its first byte
		{"body.items[*].sku", "body.items[*].sku", "header.user-agent", "query.debug1", "cookie.t", "body.a.**"},
	} {
		var pats []locPattern
		for _, r := range raws {
			p, err := compileLocPattern(r)
			if err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			pats = append(pats, p)
		}
		set := newLocSet(pats)
		if len(set.pats) != len(raws)-1 {
			t.Errorf("set holds %d patterns, want %d distinct", len(set.pats), len(raws)-1)
		}
		for _, loc := range []string{
			"body.items[0].sku", "body.items[0].qty", "body.items.sku", "header.user-agent", "header.accept",
			"query.debug1", "query.debug", "body.user.password", "password", "cookie.token", "query.token",
			"[3].id", "records[3].id", "x-amz-date", "cookie.t", "body.a", "body.a.b.c", "", ".", "[", "body..x",
			".body.items[0].sku", ".cookie.t", "path", "auth.jwt.sub", "b", "bodyx.a",
		} {
			want := false
			for i := range pats {
				if pats[i].match(loc) {
					want = true
					break
				}
			}
			if got := set.match(loc); got != want {
				t.Errorf("%v: match(%q) = %v, want %v", raws, loc, got, want)
			}
		}
	}
}
