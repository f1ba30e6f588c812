package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// PHP resolves a function name at run time in several ways that hide the
// name from a keyword match: a variable ($f(), ${'a'}(), $a['b']()), a
// parenthesised or array expression ((system)(), [system][0]()), and a
// string built by concatenation ('sys'.'tem'). The functions below read
// the value with PHP's expression grammar (blanks and comments allowed
// between tokens) instead of looking for words.

// PHPVarCall finds a call through a variable: "$" then a name or a braced
// expression ${...}, then any subscripts ([...], {...}), then "(". A
// braced name must be followed directly by the call or a subscript, so
// that text templates such as "${total} (incl. tax)" stay clean.
func PHPVarCall(c *Text) int {
	s := c.s
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '$')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := c.skip(i + 1)
		braced := false
		switch {
		case j < len(s) && s[j] == '{':
			e := c.match(j, '{', '}')
			if e < 0 || e == j+1 {
				continue
			}
			j, braced = e+1, true
		case j == i+1 && j < len(s) && (lex.IsAlpha(s[j]) || s[j] == '_'):
			for j < len(s) && lex.IsWord(s[j]) {
				j++
			}
		default:
			continue
		}
		subscripts, commented := 0, false
		for {
			k := c.skip(j)
			commented = commented || k > j && strings.ContainsAny(s[j:k], "/#")
			if k >= len(s) || s[k] != '[' && s[k] != '{' {
				break
			}
			closer := byte(']')
			if s[k] == '{' {
				closer = '}'
			}
			e := c.match(k, s[k], closer)
			if e < 0 {
				break
			}
			j = e + 1
			subscripts++
		}
		if braced && subscripts == 0 {
			if j < len(s) && s[j] == '(' {
				return i
			}
			continue
		}
		if subscripts == 0 {
			continue // $name( is judged by the caller's older rule
		}
		// Directly called, or with a comment in the expression
		// ($a[1] /*x*/ (2), $a[1]/*x*/[2] ()); a blank alone is prose:
		// "$items[0] (the first)".
		if k := c.skip(j); k < len(s) && s[k] == '(' && (k == j || commented || strings.Contains(s[j:k], "/*") || strings.ContainsAny(s[j:k], "#\n")) {
			return i
		}
	}
	return -1
}

// matchClose returns the index of the bracket closing the one at s[i],
// counting nesting and skipping quoted strings, or -1.
func matchClose(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch c := s[j]; c {
		case '\'', '"', '`':
			k := strings.IndexByte(s[j+1:], c)
			if k < 0 {
				return -1
			}
			j += k + 1
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// PHPDynamicCall finds a call whose callee is an expression that PHP
// evaluates to a dangerous function name: a parenthesised or bracketed
// operand ((system)(...), [system][0](...), (sy.(st).em)(...)), or a
// concatenation of two or more string literals spelling the name
// ('sys'.'tem', later called through a constant or variable). It returns
// the offset and the function's score.
func PHPDynamicCall(c *Text) (int, int) {
	s := c.s
	openers := 0 // '(' and '[' bytes in a row from i on, while counting down a run
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '(' && ch != '[' && ch != '\'' && ch != '"' {
			continue
		}
		if ch == '(' || ch == '[' {
			if openers == 0 {
				for k := i; k < len(s) && (s[k] == '(' || s[k] == '['); k++ {
					openers++
				}
			}
			openers--
			if openers > maxCodeNesting {
				// phpCallee would nest past its bound through the
				// openers that follow and fail: "((((..." costs one
				// step a byte, not maxCodeNesting.
				continue
			}
		}
		if ch == '\'' || ch == '"' {
			// A concatenation of literals: 'sys' . 'tem'.
			name, n, end := phpConcat(c, i, 0)
			if n >= 2 {
				if sc := phpFuncs[name]; sc >= 7 {
					return i, sc
				}
			}
			if end > i {
				i = end - 1
			}
			continue
		}
		name, end, ok := phpCallee(c, i, 0)
		if !ok {
			continue
		}
		// subscripts [0] {0} after the callee, then the call
		j := c.skip(end)
		for j < len(s) && (s[j] == '[' || s[j] == '{') {
			closer := byte(']')
			if s[j] == '{' {
				closer = '}'
			}
			e := c.match(j, s[j], closer)
			if e < 0 {
				break
			}
			j = c.skip(e + 1)
		}
		// The call must end the statement, (system)(ls); or the value,
		// so that prose such as "the (system) (optional)" stays clean.
		if j < len(s) && s[j] == '(' {
			if sc := phpFuncs[name]; sc >= 7 {
				if statementCall(c, j) {
					return i, sc
				}
			}
		}
	}
	return 0, 0
}

// phpCallee reads a bracketed callee at s[i] ('(' or '['): nested
// brackets around a concatenation of words and string literals, with
// blanks, comments and a leading cast such as (string). It returns the
// name the concatenation spells and the index after the closing bracket.
func phpCallee(c *Text, i, depth int) (string, int, bool) {
	s := c.s
	if depth > maxCodeNesting {
		return "", i, false
	}
	if i >= len(s) || s[i] != '(' && s[i] != '[' {
		return "", i, false
	}
	closer := byte(')')
	if s[i] == '[' {
		closer = ']'
	}
	j := c.skip(i + 1)
	var name string
	if j < len(s) && (s[j] == '(' || s[j] == '[') {
		inner, e, ok := phpCallee(c, j, depth+1)
		if !ok {
			// (sy.(st).em) does not start with a concatenation
			return "", i, false
		} else {
			name = inner
			// (['system'])[0]: an inner array subscripted inside the parens
			e = c.skip(e)
			for e < len(s) && s[e] == '[' {
				m := c.match(e, '[', ']')
				if m < 0 {
					return "", i, false
				}
				e = c.skip(m + 1)
			}
		}
		j = e
	} else {
		n, cnt, e := phpConcat(c, j, depth+1)
		if cnt == 0 {
			return "", i, false
		}
		name, j = n, e
	}
	j = c.skip(j)
	if j >= len(s) || s[j] != closer {
		return "", i, false
	}
	return name, j + 1, true
}

// phpConcat reads a concatenation at s[i]: operands (a word, a quoted
// string without escapes, or a parenthesised concatenation) joined by
// ".", with blanks and comments between. It returns the joined value in
// lower case, the number of operands and the index after the last one.
func phpConcat(c *Text, i, depth int) (string, int, int) {
	s := c.s
	if depth > maxCodeNesting {
		return "", 0, i
	}
	var b strings.Builder
	n := 0
	j := i
	for {
		k := c.skip(j)
		if k >= len(s) {
			break
		}
		var part string
		var e int
		switch ch := s[k]; {
		case ch == '\'' || ch == '"':
			q := strings.IndexByte(s[k+1:], ch)
			if q < 0 {
				return b.String(), n, j
			}
			part, e = s[k+1:k+1+q], k+q+2
		case lex.IsAlpha(ch) || ch == '_':
			e = k
			for e < len(s) && lex.IsWord(s[e]) {
				e++
			}
			part = s[k:e]
		case ch == '(' && n > 0:
			p, cnt, end := phpConcat(c, k+1, depth+1)
			end = c.skip(end)
			if cnt == 0 || end >= len(s) || s[end] != ')' {
				return b.String(), n, j
			}
			part, e = p, end+1
		default:
			return b.String(), n, j
		}
		if len(part) > 32 || strings.ContainsAny(part, " \\$") {
			return b.String(), n, j
		}
		b.WriteString(strings.ToLower(part))
		n++
		j = e
		k = c.skip(j)
		if k >= len(s) || s[k] != '.' {
			break
		}
		j = k + 1
	}
	return b.String(), n, j
}

// statementCall reports whether the argument list opening at s[i] ends
// the statement (";") or the value, or is left open: code, not a
// parenthesised aside in prose.
func statementCall(c *Text, i int) bool {
	s := c.s
	e := c.match(i, '(', ')')
	if e < 0 {
		return true
	}
	n := c.skip(e + 1)
	return n == len(s) || s[n] == ';'
}

// phpIniDirectives are php.ini settings that change how PHP runs code or
// loads libraries, judged only as a whole "name = value" line (an uploaded
// .user.ini, an ini_set argument): "file_extension=pdf" is no directive.
var phpIniDirectives = map[string]bool{
	"engine": true, "extension": true, "precision": true, "serialize_precision": true, "smtp": true, "smtp_port": true,
	"unserialize_max_depth": true, "unserialize_callback_func": true, "mbstring.regex_retry_limit": true,
	"mbstring.regex_stack_limit": true, "mbstring.func_overload": true, "pcre.backtrack_limit": true,
	"pcre.recursion_limit": true, "pcre.jit": true, "zend.assertions": true, "assert.active": true,
	"output_handler": true, "variables_order": true, "request_order": true, "error_reporting": true,
	"html_errors": true, "log_errors": true, "default_charset": true, "auto_detect_line_endings": true,
	"mail.force_extra_parameters": true, "mail.log": true, "zend.multibyte": true, "zend.script_encoding": true,
}

// PHPIniLine finds a value that is a php.ini line: a known directive
// name opening the value (or a line of it), blanks, "=", a setting.
func PHPIniLine(s string) int {
	for off := 0; off < len(s); {
		e := strings.IndexByte(s[off:], '\n')
		line := s[off:]
		if e >= 0 {
			line = s[off : off+e]
		}
		j := 0
		for j < len(line) && (lex.IsWord(line[j]) || line[j] == '.') {
			j++
		}
		if j > 0 && phpIniDirectives[line[:j]] {
			if k := lex.SkipSpace(line, j); k < len(line) && line[k] == '=' && strings.TrimSpace(line[k+1:]) != "" {
				return off
			}
		}
		if e < 0 {
			break
		}
		off += e + 1
	}
	return -1
}

// PHPVariableVariable finds PHP's variable-variable syntax where no
// template language writes it: "$" then blanks then "{" ("$ {$a}",
// "$ { CONSTANT }"), or "${" opening a string literal ("${'ff'}"). A
// template placeholder "${name}" is not matched.
func PHPVariableVariable(c *Text) int {
	s := c.s
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '$')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '{' {
			continue
		}
		k := lex.SkipSpace(s, j+1)
		if k >= len(s) || !(j > i+1 && (lex.IsAlpha(s[k]) || s[k] == '_' || s[k] == '$') || s[k] == '\'' || s[k] == '"') {
			continue
		}
		if e := c.match(j, '{', '}'); e > j+1 {
			return i
		}
	}
	return -1
}

// phpProbeFuncs are PHP builtins that do no harm themselves but that a
// parameter holds only when someone probes for PHP code evaluation.
var phpProbeFuncs = map[string]bool{
	"strip_tags": true, "intval": true, "substr": true, "str_replace": true, "printf": true, "sprintf": true,
	"var_export": true, "serialize": true, "str_repeat": true, "htmlspecialchars": true, "addslashes": true,
}

// PHPWholeCall reports a value that is exactly one call of a PHP builtin,
// "name(args)" with blanks or comments before "(" and simple arguments
// (empty, a name, a $variable, a number or a string): code, where a
// parameter would hold data.
func PHPWholeCall(c *Text) bool {
	s := c.s
	s = strings.TrimSpace(s)
	j := 0
	for j < len(s) && lex.IsWord(s[j]) {
		j++
	}
	if j == 0 || !phpProbeFuncs[s[:j]] && phpFuncs[s[:j]] == 0 {
		return false
	}
	k := c.skip(j)
	if k >= len(s) || s[k] != '(' || s[len(s)-1] != ')' || c.match(k, '(', ')') != len(s)-1 {
		return false
	}
	for _, c := range []byte(s[k+1 : len(s)-1]) {
		if !lex.IsWord(c) && c != '$' && c != '\'' && c != '"' && c != ',' && c != ' ' && c != '.' {
			return false
		}
	}
	return true
}
