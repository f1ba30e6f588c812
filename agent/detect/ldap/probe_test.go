package ldap

import "testing"

func TestMetaProbe(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"*()|&'", true},
		{"*)(|(*", true},
		{" *(!)* ", true},
		{"(*)", false},         // a bracketed star: no operator
		{"(:|)", false},        // an emoticon
		{"*()|&' or a", false}, // words: Filter's to judge
		{"&&", false},
	} {
		if got := MetaProbe(c.s); got != c.want {
			t.Errorf("MetaProbe(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
