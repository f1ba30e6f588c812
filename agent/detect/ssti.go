package detect

import "strings"

// templateEvidence reports whether a template expression does more than
// print a variable: arithmetic on literals, dunder attribute walks, object
// introspection, class loading, filters that call attributes.
func templateEvidence(e string) int {
	if len(e) == 0 {
		return 0
	}
	for _, w := range [...]string{"__class__", "__globals__", "__builtins__", "__subclasses__", "__mro__", "__init__", "__import__", "__base__", "__getattribute__", "_self.env", "registerundefinedfiltercallback", "getfilter(", ".getclass(", "class.forname", "forname(", "getruntime", "t(java.", "java.lang", "freemarker.template", "?new(", ".exec(", "popen", "subprocess", "os.system", "lipsum.", "cycler.", "joiner.", "namespace.", "|attr(", "request.application", "config.items", "self._", "request['application']", "constructor.constructor", "process.mainmodule", "getbean(", "#this", "objectconstructor", "new java.", "runtime.", "processbuilder", "system.diagnostics", "new()", "%{(", "#_memberaccess", "invoke(", "getmethod(", "newinstance(", "system.shell(", "system.cmd(", ":os.cmd("} {
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
	if sc := templateCalls(e); sc > 0 {
		return sc
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
	hasCtor := strings.Contains(s, "constructor")
	type delim struct{ open, close string }
	for _, d := range [...]delim{{"{{", "}}"}, {"${", "}"}, {"#{", "}"}, {"*{", "}"}, {"@{", "}"}, {"<%=", "%>"}, {"<%", "%>"}, {"{%", "%}"}, {"{", "}"}} {
		// Linear in the value: bodies of closed expressions do not overlap
		// (the scan resumes after the close), and once a close is missing
		// it is missing for every later opener too, so only the first few
		// unclosed openers are judged.
		unclosed := 0
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], d.open)
			if i < 0 {
				break
			}
			i += off
			b := i + len(d.open)
			j := -1
			if unclosed == 0 {
				j = strings.Index(s[b:], d.close)
			}
			if j < 0 {
				if unclosed++; unclosed > maxUnclosedTemplates {
					break
				}
				off = b
				if in.sstiBody(d.open, i, s[b:min(b+256, len(s))], hasCtor) {
					return
				}
				continue
			}
			body := s[b : b+j]
			off = b + j + len(d.close)
			// The innermost opener is the expression a template engine
			// reads ("{{a {{7*7}}"); judge it as well as the outer body.
			if k := strings.LastIndex(body, d.open); k > 0 && in.sstiBody(d.open, b+k, body[k+len(d.open):], hasCtor) {
				return
			}
			if in.sstiBody(d.open, i, body, hasCtor) {
				return
			}
		}
	}
	if i := templatePolyglot(s); i >= 0 {
		in.emit(SSTI, "ssti-expression", 7, i, i+32)
		return
	}
	// Thymeleaf preprocessing, Velocity and Freemarker directives.
	for _, w := range [...]string{"__${", "#set(", "#set (", "#foreach", "$class.inspect", "$class.type", "<#assign", "<#import", "<#include", "[#assign", "[#import", "[#include", "<@", "#evaluate(", "#define(", "$!{"} {
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

// maxUnclosedTemplates bounds how many openers without a close one value
// gets judged for: an engine does not render an unclosed expression, and
// the bound keeps a value of "{{{{..." linear.
const maxUnclosedTemplates = 16

// maxTemplateBody bounds how much of one expression body is searched for
// evidence, after its leading blanks.
const maxTemplateBody = 4 << 10

// sstiBody judges one template expression body opened by open at offset i
// of the lower-cased value, and emits a signal when it has evidence.
// hasCtor says whether the value mentions "constructor" (Handlebars
// prototype walks).
func (in *input) sstiBody(open string, i int, body string, hasCtor bool) bool {
	body = strings.TrimLeft(body, " \t\r\n")
	if len(body) > maxTemplateBody {
		body = body[:maxTemplateBody]
	}
	if open == "${" && (strings.HasPrefix(body, "jndi") || strings.HasPrefix(body, "env:") || strings.HasPrefix(body, "::-") || strings.HasPrefix(body, "lower:") || strings.HasPrefix(body, "upper:") || strings.HasPrefix(body, "${")) {
		return false // Log4j lookups are judged by detectJNDI
	}
	sc := templateEvidence(body)
	w := strings.TrimSpace(body)
	switch open {
	case "{%":
		// only the statements that reach outside the template; for, if,
		// set and block are everyday template documentation
		for _, k := range [...]string{"import", "include", "extends", "debug", "load", "exec"} {
			if strings.HasPrefix(w, k) && sc < 6 {
				sc = 6
			}
		}
	case "{":
		// Smarty: {php}, {system('id')}, {$smarty.version}
		if !(strings.HasPrefix(w, "php") || strings.HasPrefix(w, "$smarty") || strings.HasPrefix(w, "system(") || strings.HasPrefix(w, "self::") || strings.HasPrefix(w, "literal")) {
			return false
		}
		sc = 8
	case "{{":
		if sc == 0 && (strings.HasPrefix(w, "#with") || strings.HasPrefix(w, "#each") && hasCtor || strings.Contains(w, "lookup ") && hasCtor) {
			sc = 7
		}
	}
	if sc > 0 {
		in.emit(SSTI, "ssti-expression", sc, i, i+len(open)+32)
		return true
	}
	return false
}

// templateCalls reads the calls in a template expression e (lower-cased)
// for what printing a variable never needs:
//   - a filter handed a callable by name, as Twig's map, filter, reduce and
//     sort call any PHP function: {{['id']|filter('system')}},
//     {{[0]|reduce('system','id')}};
//   - a method called on a literal, which probes the engine's language:
//     {{'a'.toupperCase()}}, ${"".getclass()};
//   - calls chained on a call's result, which walk the object graph:
//     ${pagecontext.request.getsession().setattribute("admin",true)},
//     ${class.getclassloader()};
//   - a filter computing on literals, Django's {{364|add:733}}.
//
// A template that prints data calls helpers on variables, not on these.
func templateCalls(e string) int {
	for _, f := range [...]string{"|map(", "|filter(", "|reduce(", "|sort(", "| map(", "| filter(", "| reduce(", "| sort("} {
		if i := strings.Index(e, f); i >= 0 {
			a := skipSpace(e, i+len(f))
			if a < len(e) && (e[a] == '\'' || e[a] == '"') {
				j := a + 1
				for j < len(e) && (isWord(e[j]) || e[j] == ':' || e[j] == '\\') {
					j++
				}
				if j > a+1 && j < len(e) && e[j] == e[a] {
					return 9
				}
			}
		}
	}
	for i := 1; i < len(e); i++ {
		if e[i] != '.' {
			continue
		}
		// the name after the dot, then "("
		j := i + 1
		for j < len(e) && isWord(e[j]) {
			j++
		}
		if j == i+1 || j >= len(e) || e[j] != '(' {
			continue
		}
		switch p := e[i-1]; {
		case p == '\'' || p == '"' || p == ']':
			return 8 // 'a'.upper(), [1].pop()
		case p == ')':
			return 8 // a.b().c()
		}
		if strings.HasPrefix(e[i+1:], "get") && strings.HasPrefix(e[j:], "()") && strings.Contains(e[i+1:j], "class") {
			return 8 // class.getclassloader()
		}
	}
	if i := strings.Index(e, "|add:"); i > 0 && isDigit(e[i-1]) && i+5 < len(e) && isDigit(e[i+5]) {
		return 8
	}
	return 0
}

// templateOpeners are the expression openers of the template languages.
var templateOpeners = [...]string{"{{", "${", "<%", "[%", "#{", "{%", "*{", "@("}

// templatePolyglot finds the probe that opens the expressions of three or
// more template languages within a few bytes ("${{<%[%'\"}}%\."), to learn
// from the error which engine renders the value; no text a person writes
// opens three template languages at once. It returns the offset of the
// first opener or -1.
func templatePolyglot(s string) int {
	const window = 16
	var last [len(templateOpeners)]int // where each opener was last seen, +1
	for i := 0; i+1 < len(s); i++ {
		for k, o := range templateOpeners {
			if s[i] != o[0] || s[i+1] != o[1] {
				continue
			}
			last[k] = i + 1
			kinds, first := 0, i
			for _, p := range last {
				if p > 0 && p-1 >= i-window {
					kinds++
					first = min(first, p-1)
				}
			}
			if kinds >= 3 {
				return first
			}
		}
	}
	return -1
}
