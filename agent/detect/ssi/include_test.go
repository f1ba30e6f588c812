package ssi

import "testing"

func TestDirectiveAndESITag(t *testing.T) {
	for _, c := range []struct {
		name, s        string
		directive, esi int // offsets, -1 for none
	}{
		{"exec", `<!--#exec cmd="id" -->`, 0, -1},
		{"echo after text", `hi <!--#echo var="date_local" -->`, 3, -1},
		{"html comment", "<!-- todo: fix #42 -->", -1, -1},
		{"unknown directive", "<!--#region main -->", -1, -1},
		{"esi include", `<esi:include src="http://x/"/>`, -1, 0},
		{"esi debug", "x<esi:debug/>", -1, 1},
		{"other namespace", "<desi:note>hello</desi:note>", -1, -1},
		{"esi word in text", "the esi: spec", -1, -1},
	} {
		if got, _ := Directive(c.s); got != c.directive {
			t.Errorf("%s: Directive(%q) = %d, want %d", c.name, c.s, got, c.directive)
		}
		if got, _ := ESITag(c.s); got != c.esi {
			t.Errorf("%s: ESITag(%q) = %d, want %d", c.name, c.s, got, c.esi)
		}
	}
}
