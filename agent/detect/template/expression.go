// Package template reads template expressions (Jinja2, Twig, Django,
// Freemarker, Velocity, EL/SpEL/OGNL, Thymeleaf, ERB/EEx, Handlebars,
// Smarty) for what printing a variable never needs: introspection, class
// loading, calls that reach the operating system, calls on literals,
// chained calls, filters handed a callable, arithmetic on literals, and
// the polyglot probes that open several languages at once; statement
// tags by the expression they evaluate, and values that are wholly
// template source (statement.go). It reads lower-cased text; the engine
// in agent/detect finds the delimiters.
package template

import (
	"math/bits"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// reachWords are the introspection, class-loading and system-call words
// that make an expression's evidence 9; probeWords the Freemarker
// built-ins and calls on empty literals that make it 8. Evidence looks
// for each list in one pass over the expression, not a strings.Contains
// per word: a 6 MB body of every byte value has a "{...}" body every 256
// bytes.
var (
	reachList  = [...]string{"__class__", "__globals__", "__builtins__", "__subclasses__", "__mro__", "__init__", "__import__", "__base__", "__getattribute__", "_self.env", "registerundefinedfiltercallback", "getfilter(", ".getclass(", "class.forname", "forname(", "getruntime", "t(java.", "java.lang", "freemarker.template", "?new(", ".exec(", "popen", "subprocess", "os.system", "lipsum.", "cycler.", "joiner.", "namespace.", "|attr(", "request.application", "config.items", "self._", "request['application']", "constructor.constructor", "process.mainmodule", "getbean(", "#this", "objectconstructor", "new java.", "runtime.", "processbuilder", "system.diagnostics", "new()", "%{(", "#_memberaccess", "invoke(", "getmethod(", "newinstance(", "system.shell(", "system.cmd(", ":os.cmd(", "file.open(", "dir.entries(", "io.popen", "import os", ".constructor(", "file.read"}
	probeList  = [...]string{"?api", "?eval", "?interpret", "''.", `"".`, "[].", "{}."}
	reachWords = lex.NewWordList(reachList[:]...)
	probeWords = lex.NewWordList(probeList[:]...)
)

// Evidence scores how far a template expression e (lower-cased, the body
// between its delimiters) does more than print a variable: dunder
// attribute walks, introspection and class loading, calls that reach the
// operating system (9); calls (see Calls) and arithmetic on literals (8);
// an expression opening on an object the engine exposes, config or
// request (6); 0 for none.
func Evidence(e string) int {
	if len(e) == 0 {
		return 0
	}
	if reachWords.Contains(e, nil) {
		return 9
	}
	if dunder(e) || strings.Contains(e, `\x5f`) || strings.Contains(e, `\u005f`) {
		// a Python special attribute ("x.__dict__") or an underscore
		// spelt in hex to slip one past a filter
		return 9
	}
	if probeWords.Contains(e, nil) {
		// Freemarker's built-ins that reach Java or evaluate a string;
		// a member of an empty literal probes the language
		return 8
	}
	// arithmetic between literals: 7*7, 7 * '7', 1337-1; '-' and '/' only
	// when the whole expression is arithmetic (dates are not).
	arith := true
	for i := 0; i < len(e); i++ {
		if lex.IsAlpha(e[i]) {
			arith = false
			break
		}
	}
	for i := 0; i < len(e); i++ {
		if !lex.IsDigit(e[i]) && e[i] != '\'' && e[i] != '"' {
			continue
		}
		j := i
		for j < len(e) && (lex.IsDigit(e[j]) || e[j] == '\'' || e[j] == '"') {
			j++
		}
		k := lex.SkipSpace(e, j)
		if k < len(e) && (e[k] == '*' || arith && (e[k] == '+' || e[k] == '/' || e[k] == '%' || e[k] == '-')) && j > i {
			l := lex.SkipSpace(e, k+1)
			if e[k] == '*' && l < len(e) && e[l] == '*' {
				l = lex.SkipSpace(e, l+1)
			}
			if l < len(e) && (lex.IsDigit(e[l]) || e[l] == '\'' || e[l] == '"') {
				return 8
			}
		}
		i = j
	}
	if sc := Calls(e); sc > 0 {
		return sc
	}
	// JSP EL's implicit objects are the engine's own as config is Flask's
	t := strings.TrimSpace(e)
	for _, w := range [...]string{"config", "self", "_self", "applicationscope", "sessionscope", "requestscope", "pagecontext", "initparam", "request", "session.", "facescontext", "settings", "range(", "dump(", "include(", "source(", "app.", "_context", "env.", "getenv", "system(", "exec", "eval("} {
		if strings.HasPrefix(t, w) {
			return 6
		}
	}
	return 0
}

// Calls reads the calls in a template expression e (lower-cased)
// for what printing a variable never needs:
//   - a filter handed a callable by name, as Twig's map, filter, reduce and
//     sort call any PHP function: {{['id']|filter('system')}},
//     {{[0]|reduce('system','id')}};
//   - a method called on a literal, which probes the engine's language:
//     {{'a'.toupperCase()}}, ${"".getclass()};
//   - calls chained on a call's result, which walk the object graph:
//     ${pagecontext.request.getsession().setattribute("admin",true)},
//     ${class.getclassloader()};
//   - a filter computing on literals, Django's {{364|add:733}};
//   - an object constructed, ${new File("/etc/passwd").text}.
//
// A template that prints data calls helpers on variables, not on these.
func Calls(e string) int {
	for _, f := range [...]string{"|map(", "|filter(", "|reduce(", "|sort(", "| map(", "| filter(", "| reduce(", "| sort("} {
		if i := strings.Index(e, f); i >= 0 {
			a := lex.SkipSpace(e, i+len(f))
			if a < len(e) && (e[a] == '\'' || e[a] == '"') {
				j := a + 1
				for j < len(e) && (lex.IsWord(e[j]) || e[j] == ':' || e[j] == '\\') {
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
		for j < len(e) && lex.IsWord(e[j]) {
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
	// an object constructed, ${new File("/etc/passwd").text}: a template
	// that prints data has its objects handed to it
	if lex.IndexWhere(e, "new ", func(i int) bool {
		if i > 0 && lex.IsWord(e[i-1]) {
			return false
		}
		j := i + len("new ")
		for j < len(e) && (lex.IsWord(e[j]) || e[j] == '.') {
			j++
		}
		return j > i+len("new ") && j < len(e) && e[j] == '('
	}) >= 0 {
		return 8
	}
	if i := strings.Index(e, "|add:"); i > 0 && lex.IsDigit(e[i-1]) && i+5 < len(e) && lex.IsDigit(e[i+5]) {
		return 8
	}
	return 0
}

// openers are the expression openers of the template languages.
var openers = [...]string{"{{", "${", "<%", "[%", "#{", "{%", "*{", "@("}

// openersBySecond holds, for each byte, the openers (one bit each, by
// their index in openers) whose second byte it is: a position whose next
// byte ends no opener is passed over after one look, and one that does is
// compared with those openers only.
var openersBySecond = func() (t [256]uint8) {
	for k, o := range openers {
		t[o[1]] |= 1 << k
	}
	return t
}()

// Polyglot finds the probe that opens the expressions of three or
// more template languages within a few bytes ("${{<%[%'\"}}%\."), to learn
// from the error which engine renders the value; no text a person writes
// opens three template languages at once. It returns the offset of the
// first opener or -1.
//
// An opener seen again while its last sighting is still within the window
// adds no kind: the openers within the window then are a subset of those
// counted at the sighting before, fewer than three, so they are not
// counted again ("${${${…" costs one comparison a byte).
func Polyglot(s string) int {
	const window = 16
	var last [len(openers)]int // where each opener was last seen, +1
	for i := 0; i+1 < len(s); i++ {
		cand := openersBySecond[s[i+1]]
		if cand == 0 {
			continue // no opener ends here: most bytes of any text
		}
		for cand != 0 {
			k := bits.TrailingZeros8(cand)
			cand &^= 1 << k
			if s[i] != openers[k][0] {
				continue
			}
			seen := last[k] > 0 && last[k]-1 >= i-window
			last[k] = i + 1
			if seen {
				continue
			}
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

// dunder reports whether e names a Python special attribute, "__" then a
// name then "__" ("__dict__", "__self__"): printing data never walks to
// one.
func dunder(e string) bool {
	for i := 0; i+6 <= len(e); {
		k := strings.Index(e[i:], "__")
		if k < 0 {
			return false
		}
		k += i
		j := k + 2
		for j < len(e) && lex.IsAlnum(e[j]) {
			j++
		}
		if j-k-2 >= 2 && strings.HasPrefix(e[j:], "__") {
			return true
		}
		i = j
		if j == k+2 {
			i = k + 2
		}
	}
	return false
}
