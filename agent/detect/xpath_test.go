package detect

import "testing"

func TestXPathInjection(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		text   string
		attack bool
	}{
		{"' or name()='admin' or 'a'='b", true},
		{"count(/child::node())", true},
		{"x' and string-length(name(.))=5 and 'a'='a", true},
		{"'] | //user/*[contains(*,'", true},
		{"//descendant::password", true},
		{"std::vector<int> v;", false},
		{"the child: a node of the tree", false},
		{"It's or nothing, and count(1) is fine", false},
		{"Rock 'n' roll and text() in docs", false},
	}
	for _, tt := range tests {
		sigs := e.Inspect(q("user", tt.text), nil)
		if got := fired(sigs, "xpath-injection"); got != tt.attack {
			t.Errorf("%q fired %q, want xpath-injection %v", tt.text, classes(sigs), tt.attack)
		}
	}
}
