package detect

import "testing"

func TestSQLiBlindConditions(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name   string
		text   string
		attack bool
	}{
		{"case when tautology", "1 (CASE WHEN 4821=4821 THEN 1 ELSE NULL END)", true},
		{"case when parenthesised", "(case when (1=1) then 1 else 0 end)", true},
		{"leading or tautology", "or 1=1", true},
		{"leading or tautology with comment", "or 0=0 --", true},
		{"and tautology with hash comment", "and 2=2#mysql", true},
		{"number then or tautology", "1 or 1=1", true},
		{"or exists", "1 or exists(select 1)", true},
		{"order by column count", "order by 1--", true},
		{"and contradiction", "and 1=0", true},
		{"or constant inequality", "or 2 > 1", true},
		{"and contradiction with hash comment", "and 2=0#mysql", true},
		{"having tautology with comment", "HAVING 1=1#", true},
		{"where tautology then contradiction", "WHERE 1=1 AND 1=0#", true},
		{"contradiction chained to a string condition", "AND 1=0 AND '%'='", true},
		{"having in a sentence", "having 2=2 is a tautology", false},
		{"a column compared with itself, then a comment", "OR x=x#", true},
		{"a column compared with itself in prose", "or x=x as before", false},
		{"where in a sentence", "where 1=1 is written", false},
		{"comparison of numbers in a sentence", "and 5 > 3 apples make a pile", false},
		{"prose case when", "In case when it rains then we stay home", false},
		{"prose or", "or maybe 2 = 3 later", false},
		{"prose order by", "order by date please", false},
		{"arithmetic or", "x = 1 or y = 2", false},
		{"equation", "1+1=2", false},
	}
	for _, tt := range tests {
		sigs := e.Inspect(q("q", tt.text), nil)
		if got := hasClass(sigs, SQLi); got != tt.attack {
			t.Errorf("%s: %q: sqli=%v (%s), want %v", tt.name, tt.text, got, classes(sigs), tt.attack)
		}
	}
}
