package detect

import "strings"

// templateEvidence reports whether a template expression does more than
// print a variable: arithmetic on literals, dunder attribute walks, object
// introspection, class loading, filters that call attributes.
func templateEvidence(e string) int {
	if len(e) == 0 {
		return 0
	}
	for _, w := range [...]string{"__class__", "__globals__", "__builtins__", "__subclasses__", "__mro__", "__init__", "__import__", "__base__", "__getattribute__", "_self.env", "registerundefinedfiltercallback", "getfilter(", ".getclass(", "class.forname", "forname(", "getruntime", "t(java.", "java.lang", "freemarker.template", "?new(", ".exec(", "popen", "subprocess", "os.system", "lipsum.", "cycler.", "joiner.", "namespace.", "|attr(", "request.application", "config.items", "self._", "request['application']", "constructor.constructor", "process.mainmodule", "getbean(", "#this", "objectconstructor", "new java.", "runtime.", "processbuilder", "system.diagnostics", "new()", "%{(", "#_memberaccess", "invoke(", "getmethod(", "newinstance("} {
		if strings.Contains(e, w) {
			return 9
		}
	}
	// arithmetic between literals: 7*7, 7 * '7', 1337-1; '-' and '/' only
	// when the whole expression is arithmetic (dates are not).
	arith := true
	for i := 0; i < len(e); i++ {
		if isAlpha(e[i]) {
			arith = false
			break
		}
	}
	for i := 0; i < len(e); i++ {
		if !isDigit(e[i]) && e[i] != '\'' && e[i] != '"' {
			continue
		}
		j := i
		for j < len(e) && (isDigit(e[j]) || e[j] == '\'' || e[j] == '"') {
			j++
		}
		k := skipSpace(e, j)
		if k < len(e) && (e[k] == '*' || arith && (e[k] == '+' || e[k] == '/' || e[k] == '%' || e[k] == '-')) && j > i {
			l := skipSpace(e, k+1)
			if e[k] == '*' && l < len(e) && e[l] == '*' {
				l = skipSpace(e, l+1)
			}
			if l < len(e) && (isDigit(e[l]) || e[l] == '\'' || e[l] == '"') {
				return 8
			}
		}
		i = j
	}
	for _, w := range [...]string{"config", "self", "request", "settings", "range(", "dump(", "include(", "source(", "app.", "_context", "env.", "getenv", "system(", "exec", "eval("} {
		if strings.HasPrefix(strings.TrimSpace(e), w) {
			return 6
		}
	}
	return 0
}

// detectSSTI judges template syntax from Jinja/Twig, EL/Freemarker/Thymeleaf,
// Velocity, ERB/JSP, Smarty and Handlebars: delimiters alone are benign
// (mustache placeholders are common), delimiters around an expression with
// evidence are not.
func (in *input) detectSSTI() {
	if !in.e.Enabled(SSTI) {
		return
	}
	m := in.mask
	if !m.has(bLBrace | bHash | bLT | bDollar) {
		return
	}
	s := in.lower()
	type delim struct{ open, close string }
	for _, d := range [...]delim{{"{{", "}}"}, {"${", "}"}, {"#{", "}"}, {"*{", "}"}, {"@{", "}"}, {"<%=", "%>"}, {"<%", "%>"}, {"{%", "%}"}, {"{", "}"}} {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], d.open)
			if i < 0 {
				break
			}
			i += off
			b := i + len(d.open)
			j := strings.Index(s[b:], d.close)
			var body string
			if j < 0 {
				body = s[b:]
				if len(body) > 256 {
					body = body[:256]
				}
			} else {
				body = s[b : b+j]
			}
			off = b
			if d.open == "${" && (strings.HasPrefix(body, "jndi") || strings.HasPrefix(body, "env:") || strings.HasPrefix(body, "::-") || strings.HasPrefix(body, "lower:") || strings.HasPrefix(body, "upper:") || strings.HasPrefix(body, "${")) {
				continue // Log4j lookups are judged by detectJNDI
			}
			sc := templateEvidence(body)
			if d.open == "{%" {
				w := strings.TrimSpace(body)
				// only the statements that reach outside the template; for,
				// if, set and block are everyday template documentation
				for _, k := range [...]string{"import", "include", "extends", "debug", "load", "exec"} {
					if strings.HasPrefix(w, k) && sc < 6 {
						sc = 6
					}
				}
			}
			if d.open == "{" {
				// Smarty: {php}, {system('id')}, {$smarty.version}
				w := strings.TrimSpace(body)
				if !(strings.HasPrefix(w, "php") || strings.HasPrefix(w, "$smarty") || strings.HasPrefix(w, "system(") || strings.HasPrefix(w, "self::") || strings.HasPrefix(w, "literal")) {
					continue
				}
				sc = 8
			}
			if d.open == "{{" && sc == 0 {
				w := strings.TrimSpace(body)
				if strings.HasPrefix(w, "#with") || strings.HasPrefix(w, "#each") && strings.Contains(s, "constructor") || strings.Contains(w, "lookup ") && strings.Contains(s, "constructor") {
					sc = 7
				}
			}
			if sc > 0 {
				in.emit(SSTI, "ssti-expression", sc, i, b+32)
				return
			}
		}
	}
	// Thymeleaf preprocessing, Velocity and Freemarker directives.
	for _, w := range [...]string{"__${", "#set(", "#set (", "#foreach", "$class.inspect", "$class.type", "<#assign", "<#import", "<#include", "<@", "#evaluate(", "#define(", "$!{"} {
		if i := strings.Index(s, w); i >= 0 {
			rest := s[i:]
			if w == "<@" && !strings.Contains(rest, "?new") && !strings.Contains(rest, ".") {
				continue
			}
			if w == "$!{" && templateEvidence(rest) == 0 {
				continue
			}
			in.emit(SSTI, "ssti-directive", 8, i, i+40)
			return
		}
	}
}
