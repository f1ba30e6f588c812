package template

import "testing"

func TestEvidence(t *testing.T) {
	for _, c := range []struct {
		e    string
		want int
	}{
		{"7*7", 8},
		{"''.__class__.__mro__", 9},
		{"['id',1]|sort('system')|join", 9},
		{"'a'.touppercase()", 8},
		{`pagecontext.request.getsession().setattribute("admin",true)`, 8},
		{"class.getclassloader()", 8},
		{"364|add:733", 8},
		{"config", 6},
		{"user.name", 0},
		{"items|map(attribute='name')|join(', ')", 0},
		{"t('welcome.title')", 0},
		{"2024-01-05", 8}, // the engine computes 2018: arithmetic
		{"user.created_at|date", 0},
	} {
		if got := Evidence(c.e); got != c.want {
			t.Errorf("Evidence(%q) = %d, want %d", c.e, got, c.want)
		}
	}
}

func TestPolyglot(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{`${{<%[%'"}}%\.`, 0},
		{"x ${{<%[%", 2},
		{"jinja writes {{ x }} and erb writes <%= x %>", -1},
		{"{{ a }}", -1},
	} {
		if got := Polyglot(c.s); got != c.want {
			t.Errorf("Polyglot(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
