package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// PerlInterpolation finds Perl's expression interpolation "@{[ code ]}":
// "@{[" itself, or with blanks inside a closed one, "@{   [ system 'id' ] }".
// Inside a double-quoted Perl string it runs code.
func PerlInterpolation(s string) int {
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], "@{")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		j := lex.SkipSpace(s, i+2)
		if j == i+2 && j < len(s) && s[j] == '[' {
			return i // "@{[" as written in Perl
		}
		if j < len(s) && s[j] == '[' {
			if e := strings.IndexByte(s[j:min(len(s), j+256)], ']'); e > 0 {
				if r := lex.SkipSpace(s, j+e+1); r < len(s) && s[r] == '}' {
					return i
				}
			}
		}
	}
	return -1
}

// TemplateConditional finds a template conditional on a constant, the
// probe for server-side template injection that asks whether a block is
// rendered: "{% if True %}49{% endif %}", "<% if true %>49<% end %>".
// Templates written by people test variables, not constants.
func TemplateConditional(s string) int {
	for _, open := range [...]struct{ open, close, end string }{{"{%", "%}", "{%"}, {"<%", "%>", "<%"}} {
		for off := 0; off < len(s); {
			i := lex.Index(s[off:], open.open)
			if i < 0 {
				break
			}
			i += off
			off = i + 2
			j := i + 2
			if j < len(s) && (s[j] == '=' || s[j] == '-') {
				j++
			}
			j = lex.SkipSpace(s, j)
			if !strings.HasPrefix(s[j:], "if") || j+2 >= len(s) || !lex.IsSpace(s[j+2]) {
				continue
			}
			e := strings.Index(s[j:min(len(s), j+32)], open.close)
			if e < 0 {
				continue
			}
			cond := strings.TrimSpace(s[j+2 : j+e])
			if !constantCondition(cond) {
				continue
			}
			// the block's end tag within what a probe renders
			r := s[j+e+2 : min(len(s), j+e+2+256)]
			if k := strings.Index(r, open.end); k >= 0 && strings.HasPrefix(strings.TrimLeft(r[k+2:], "=- \t"), "end") {
				return i
			}
		}
	}
	return -1
}

// constantCondition reports a condition with no variable in it: true,
// false, a number, or numbers compared.
func constantCondition(c string) bool {
	switch c {
	case "true", "false", "1", "0", "not false", "not 0":
		return true
	}
	if c == "" || len(c) > 16 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !lex.IsDigit(c[i]) && strings.IndexByte(" =<>!*+-", c[i]) < 0 {
			return false
		}
	}
	return lex.IsDigit(c[0])
}
