package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/template"
)

// detectSSTI judges template syntax from Jinja/Twig, EL/Freemarker/Thymeleaf,
// Velocity, ERB/JSP, Smarty and Handlebars: delimiters alone are benign
// (mustache placeholders are common), delimiters around an expression with
// evidence are not.
func (in *input) detectSSTI() {
	if !in.e.Enabled(SSTI) {
		return
	}
	m := in.mask
	if !m.has(bLBrace|bHash|bLT|bDollar) && !m.hasAll(bAt|bParen) {
		return
	}
	s := in.lower()
	have := in.lowerBytes()
	if m.has(bHash | bAt) {
		// OGNL, which Struts evaluates without template delimiters
		if i := template.OGNL(s); i >= 0 {
			in.emit(SSTI, "ssti-expression", 8, i, i+32)
			return
		}
	}
	hasCtor := strings.Contains(s, "constructor")
	for k, d := range sstiDelims {
		if !have.Covers(&sstiOpenerBytes[k]) {
			continue // an opener with a byte the value lacks is not in it
		}
		// Linear in the value: bodies of closed expressions do not overlap
		// (the scan resumes after the close), and once a close is missing
		// it is missing for every later opener too, so only the first few
		// unclosed openers are judged.
		unclosed := 0
		for off := 0; off < len(s); {
			i := lex.IndexIn(s[off:], have, d.open)
			if i < 0 {
				break
			}
			i += off
			b := i + len(d.open)
			j := -1
			if unclosed == 0 {
				j = lex.IndexIn(s[b:], have, d.close)
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
	if i := razorImplicit(s); i >= 0 {
		in.emit(SSTI, "ssti-expression", 9, i, i+32)
		return
	}
	if template.Source(strings.TrimSpace(s)) {
		in.emit(SSTI, "ssti-directive", 7, 0, 32)
		return
	}
	if i := template.Polyglot(s); i >= 0 {
		in.emit(SSTI, "ssti-expression", 7, i, i+32)
		return
	}
	// Thymeleaf preprocessing, Velocity and Freemarker directives. A macro
	// call and a quiet reference count with evidence anywhere after them,
	// so each is judged at its first occurrence only: a later one's rest
	// is part of the first's, and judging every rest would be quadratic.
	triedMacro, triedQuiet := false, false
	if _, i := sstiDirectives.Index(s, have, func(i int, w string) bool {
		switch w {
		case "<@":
			if triedMacro {
				return false
			}
			triedMacro = true
			return strings.Contains(s[i:], "?new") || strings.Contains(s[i:], ".")
		case "$!{":
			if triedQuiet {
				return false
			}
			triedQuiet = true
			return template.Evidence(s[i:]) != 0
		}
		return true
	}); i >= 0 {
		in.emit(SSTI, "ssti-directive", 8, i, i+40)
	}
}

// sstiDelim is a template expression's opener and closer.
type sstiDelim struct{ open, close string }

// sstiDelims are the expression delimiters detectSSTI reads, in the order
// it tries them; sstiOpenerBytes the byte set of each opener.
var (
	sstiDelims      = [...]sstiDelim{{"{{", "}}"}, {"${", "}"}, {"#{", "}"}, {"*{", "}"}, {"@{", "}"}, {"<%=", "%>"}, {"<%", "%>"}, {"{%", "%}"}, {"@(", ")"}, {"{", "}"}}
	sstiOpenerBytes = func() (sets [len(sstiDelims)]lex.ByteSet) {
		for k, d := range sstiDelims {
			sets[k] = lex.BytesOf(d.open)
		}
		return sets
	}()
)

// sstiDirectives are the Thymeleaf preprocessing, Velocity and Freemarker
// directives, in the order detectSSTI prefers them: the first whose first
// occurrence counts is reported. One pass over a long value reads them
// all.
var sstiDirectives = lex.NewWordList("__${", "#set(", "#set (", "#foreach", "$class.inspect", "$class.type", "<#assign", "<#import", "<#include", "[#assign", "[#import", "[#include", "<@", "#evaluate(", "#define(", "$!{")

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
	sc := template.Evidence(body)
	if open == "${" && sc < 9 && template.Calls(body) > 0 && strings.IndexByte(in.text, '`') >= 0 {
		// In a JavaScript template literal, `${a.trim().split(",")}`,
		// the calls are the script's own; only what reaches the
		// process or the class loader counts there.
		sc = 0
	}
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
		sc = max(sc, template.Statement(w))
	case "{":
		// Smarty: {php}, {system('id')}, {$smarty.version}
		if strings.IndexByte(w, '*') > 0 && strings.Trim(w, "0123456789*'\" ") == "" && sc == 8 {
			// Smarty prints {7*7} as 49; no data is a product of literals
			break
		}
		if strings.HasPrefix(w, "if ") && template.BareCall(w[len("if "):]) {
			// Smarty evaluates the condition: {if system('id')}{/if};
			// below 8, so the grammar of the call (SQL's length(...)
			// in an ODBC escape) is read as well
			sc = 7
			break
		}
		if !(strings.HasPrefix(w, "php") || strings.HasPrefix(w, "$smarty") || strings.HasPrefix(w, "system(") || strings.HasPrefix(w, "self::") || strings.HasPrefix(w, "literal") || strings.HasPrefix(w, "smarty_internal")) {
			return false
		}
		sc = 8
	case "@(":
		// Razor: an explicit expression; only evidence counts (an
		// e-mail "(@home)" has no expression)
	case "<%", "<%=":
		// ERB/EEx: backticks run a shell command
		if sc < 8 && strings.Count(w, "`") >= 2 {
			sc = 8
		}
		// lodash's template exposes the library as _
		if sc < 6 && strings.HasPrefix(w, "_.") {
			sc = 6
		}
	case "{{":
		sc = max(sc, template.GoAction(w))
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

// razorImplicit finds a Razor implicit expression, "@" then a dotted name
// (@System.Diagnostics.Process.Start("cmd.exe")), that reaches the
// operating system or the class loader (template.Evidence 9), and returns
// its offset or -1. Razor opens a span at the start of a value, after a
// blank or after a tag: an address (user@example.com) has a word before
// its "@", OGNL's static calls ("(@java.lang.Runtime@") a parenthesis;
// a handle or a decorator names nothing Evidence scores 9. Like the
// unclosed openers, only the first few candidates are judged, which keeps
// a value of many "@a." linear.
func razorImplicit(s string) int {
	judged := 0
	for off := 0; off < len(s) && judged < maxUnclosedTemplates; {
		i := strings.IndexByte(s[off:], '@')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		if i > 0 && !isSpace(s[i-1]) && s[i-1] != '>' || i+1 >= len(s) || !isAlpha(s[i+1]) {
			continue // Razor opens a code span in text or after a tag
		}
		j := i + 1
		for j < len(s) && isWord(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '.' {
			continue // a handle, @home; Razor's reach is a member
		}
		judged++
		if template.Evidence(s[i+1:min(len(s), i+1+maxRazorExpression)]) >= 9 {
			return i
		}
	}
	return -1
}

// maxRazorExpression bounds the text after "@" razorImplicit reads.
const maxRazorExpression = 256
