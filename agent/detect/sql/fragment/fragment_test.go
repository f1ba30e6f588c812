package fragment

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestCondition(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		attack bool
	}{
		{"case when tautology", "1 (case when 4821=4821 then 1 else null end)", true},
		{"leading or tautology", "or 1=1", true},
		{"order by column count", "order by 1--", true},
		{"and contradiction", "and 1=0", true},
		{"comparison in a sentence", "and 5 > 3 apples make a pile", false},
		{"prose order by", "order by date please", false},
		{"order by a column number alone", "order by 2", true},
		{"order by a list of column numbers", "order by 1,2,3", true},
		{"order by a number in a sentence", "order by 5 pm", false},
		{"order by numbers then words", "order by 1,2 then pay", false},
		{"where tautology after a table alias", "as injectx where 1=1 and 1=0", true},
		{"having contradiction after a word", "x having 1=0#", true},
		{"where in prose with an equation", "it is where 1+1=2", false},
		{"equation", "1+1=2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, _, ok := Condition(tt.s); ok != tt.attack {
				t.Errorf("Condition(%q) = %v, want %v", tt.s, ok, tt.attack)
			}
		})
	}
}

func TestMatchFragments(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		attack bool
	}{
		{"and comparison", "and 6698=(", true},
		{"typographic quotes", "1\u2019 or \u20191\u2019=\u20191\u2019#", true},
		{"plain sentence", "thanks for the quick reply", false},
		{"typographic apostrophe in prose", "it\u2019s fine", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := lex.BytesOf(tt.s)
			if _, _, ok := Match(tt.s, &have); ok != tt.attack {
				t.Errorf("Match(%q) = %v, want %v", tt.s, ok, tt.attack)
			}
		})
	}
}
