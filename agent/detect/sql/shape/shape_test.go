package shape

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestMatchRules(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want string // rule, "" for none
	}{
		{"literal closed and commented", "x'|email--", "sqli-breakout"},
		{"string tautology", "'admin', '1'='1'", "sqli-breakout"},
		{"stacked drop", ";drop", "sqli-stacked"},
		{"statement ended by a comment", "delete from users;--", "sqli-stacked"},
		{"keyword split by a comment", "dr/**/op/*x*/sampletable", "sqli-comment-keyword"},
		{"procedure only an attacker calls", "see xp_regread", "sqli-procedure"},
		{"contraction in prose", "don't-stop--", ""},
		{"semicolon in prose", ";updates are weekly", ""},
		{"mime wildcard", "application/*; charset=utf-8", ""},
		{"procedure-like word", "the xp_dirtreehouse is open", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := strings.ToLower(tt.s)
			have := lex.BytesOf(s)
			rule, _, _, _, ok := Match(s, &have)
			if ok != (tt.want != "") || rule != tt.want {
				t.Errorf("Match(%q) = %q, %v; want %q", s, rule, ok, tt.want)
			}
		})
	}
}

func TestMagicNumber(t *testing.T) {
	tests := []struct {
		s        string
		paranoid bool
		want     bool
	}{
		{"2.2250738585072011e-308", false, true},
		{"4294967296", false, false},
		{"4294967296", true, true},
		{"4294967297", true, false},
		{"2.5e-3", true, false},
	}
	for _, tt := range tests {
		if got := MagicNumber(tt.s, tt.paranoid) > 0; got != tt.want {
			t.Errorf("MagicNumber(%q, %v) > 0 = %v, want %v", tt.s, tt.paranoid, got, tt.want)
		}
	}
}
