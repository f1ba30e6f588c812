package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// EndlessLoop finds JavaScript loops whose condition is always true:
// while(1), while(!0), while(this), while("x"), for(;;) (a denial of service
// in Node.js where one event loop serves every request).
func EndlessLoop(s string) int {
	if i := strings.Index(s, "for(;;)"); i >= 0 {
		return i
	}
	if i := strings.Index(s, "for (;;)"); i >= 0 {
		return i
	}
	i := lex.IndexWord(s, "while")
	if i < 0 {
		return -1
	}
	j := lex.SkipSpace(s, i+5)
	if j >= len(s) || s[j] != '(' {
		return -1
	}
	for j < len(s) && (s[j] == '(' || lex.IsSpace(s[j])) {
		j++
	}
	e := strings.IndexByte(s[j:], ')')
	if e < 0 {
		return -1
	}
	if jsTruthy(strings.TrimSpace(s[j : j+e])) {
		return i
	}
	return -1
}

// jsTruthy evaluates a JavaScript loop condition made of unary operators
// (!, -, +) applied to a literal, as the engine would: true when the
// condition is a constant that is always true. It answers false for
// anything it cannot evaluate.
func jsTruthy(c string) bool {
	ops := 0
	for ops < len(c) && (c[ops] == '!' || c[ops] == '-' || c[ops] == '+' || lex.IsSpace(c[ops])) {
		ops++
	}
	lit := strings.TrimSpace(c[ops:])
	var truth bool
	switch {
	case lit == "true" || lit == "this" || lit == "window" || lit == "globalthis" || lit == "infinity" || strings.HasPrefix(lit, "new ") ||
		strings.HasPrefix(lit, "math.") || strings.HasPrefix(lit, "object.") || strings.HasPrefix(lit, "reflect.") || lit == "string":
		truth = true
	case lit == "{}" || lit == "[]" || lit == "/./":
		truth = true
	case lit == "false" || lit == "null" || lit == "undefined" || lit == "nan" || lit == `""` || lit == "''" || lit == "``":
		truth = false
	case len(lit) > 0 && lex.IsDigit(lit[0]) && strings.Trim(lit, "0123456789.") == "":
		truth = strings.Trim(lit, "0.") != ""
	case len(lit) > 2 && (lit[0] == '"' || lit[0] == '\'' || lit[0] == '`' || lit[0] == '/') && lit[len(lit)-1] == lit[0]:
		truth = true
	default:
		return false
	}
	// A sign applied to the literal itself turns it into a number: numbers
	// and true keep their truth; objects and strings (NaN, 0) are not
	// folded here. Signs applied to a boolean (-!x) keep its truth too.
	inner := strings.TrimRight(c[:ops], " \t\r\n\v")
	if inner != "" && inner[len(inner)-1] != '!' && !(len(lit) > 0 && lex.IsDigit(lit[0]) || lit == "infinity" || lit == "true") {
		return false
	}
	for k := 0; k < ops; k++ {
		if c[k] == '!' {
			truth = !truth
		}
	}
	return truth
}
