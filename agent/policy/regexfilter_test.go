package policy

import (
	"regexp"
	"slices"
	"testing"
)

func TestRegexPrefilterFindsTheLiteralsEveryMatchHolds(t *testing.T) {
	for _, c := range []struct {
		expr string
		need []string
		fold bool
	}{
		{`(?i)(curl|wget)/5`, []string{"curl", "wget"}, true},
		{`^ZZ-5`, []string{"ZZ-5"}, false},
		{`admin(istrator)?`, []string{"admin"}, false},
		{`(?i)x+/12`, []string{"/12"}, false},
		{`a*b?`, nil, false},
		{`[0-9]+`, nil, false},
		{`(a|.*)`, nil, false},
		{`é+`, nil, false},
	} {
		m := newRegexMatcher(regexp.MustCompile(c.expr), c.expr)
		if !slices.Equal(m.need, c.need) || m.fold != c.fold {
			t.Errorf("%s: need %q fold %v, want %q %v", c.expr, m.need, m.fold, c.need, c.fold)
		}
	}
}

// TestRegexPrefilterAgreesWithTheExpression holds the prefilter to its
// premise: it never answers no where the expression matches.
func TestRegexPrefilterAgreesWithTheExpression(t *testing.T) {
	exprs := []string{`(?i)(curl|wget)/5`, `^ZZ-5`, `(?i)kelvin`, `(?i)SELECT.+FROM`, `ab{2,}c`, `(?i)(a|b)(cd|ef)`}
	values := []string{"", "curl/5", "CURL/5.1", "Wget/5", "Mozilla/5.0", "ZZ-5", "xZZ-5", "\u212aelvin", "select 1 from t", "abbc", "abc", "AcD", "bEF", "Cd"}
	for _, e := range exprs {
		re := regexp.MustCompile(e)
		m := newRegexMatcher(re, e)
		for _, v := range values {
			if got, want := m.match(v), re.MatchString(v); got != want {
				t.Errorf("%s on %q: prefiltered %v, expression %v", e, v, got, want)
			}
		}
	}
}
