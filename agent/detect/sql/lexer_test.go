package sql

import (
	"reflect"
	"testing"
)

func TestLexNKinds(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want []Kind
	}{
		{"tautology and a comment", "x or 1=1--", []Kind{Word, Logic, Num, Op, Num, Comment}},
		{"a leading quote opens a literal", "' or 1=1--", []Kind{OpenStr}},
		{"open string at the end", "1 and 'abc", []Kind{Num, Logic, OpenStr}},
		{"block comment is blank", "union/**/select", []Kind{Word, Word}},
		{"variable and call", "select @@version, sleep(5);", []Kind{Word, Var, Comma, Word, LParen, Num, RParen, Semi}},
		{"empty text", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf [16]Token
			var got []Kind
			for _, tk := range LexN(tt.s, 0, buf[:]) {
				got = append(got, tk.Kind)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LexN(%q) kinds = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestVocabulary(t *testing.T) {
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"timing function weighs most", Func("sleep") == 8, true},
		{"string function weighs less", Func("concat") == 5, true},
		{"ordinary word is no function", Func("sleepy") == 0, true},
		{"union is a SQL keyword", KeywordIn("1 UNION all"), true},
		{"prose has no SQL keyword", KeywordIn("see you tomorrow"), false},
		{"where is reserved", ReservedWordIn("id where x"), true},
		{"a reserved word inside a word does not count", ReservedWordIn("somewhere"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
