package template

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Statement scores a Jinja/Twig/Django/Nunjucks statement tag body w
// (lower-cased, between "{%" and "%}", leading blanks trimmed) by the
// expression the statement evaluates: "for k, v in config.iteritems()"
// iterates over what config.iteritems() returns, so the loop reads as
// much as the expression would between "{{" and "}}". The keywords only
// frame the expression; a loop over a variable ("for item in items") has
// no evidence, as in a template's own documentation.
func Statement(w string) int {
	if e, ok := statementExpression(w); ok {
		return Evidence(strings.TrimSpace(e))
	}
	return 0
}

// statementExpression returns the expression a statement tag evaluates:
// after " in " of a for loop, after "=" of a set, after the keyword of
// if, elif, with, print and do.
func statementExpression(w string) (string, bool) {
	k := 0
	for k < len(w) && lex.IsAlpha(w[k]) {
		k++
	}
	rest := w[k:]
	switch w[:k] {
	case "for":
		if i := strings.Index(rest, " in "); i >= 0 {
			return rest[i+len(" in "):], true
		}
	case "set":
		if i := strings.IndexByte(rest, '='); i >= 0 && (i+1 >= len(rest) || rest[i+1] != '=') {
			return rest[i+1:], true
		}
	case "if", "elif", "elseif", "with", "print", "do":
		return rest, true
	}
	return "", false
}

// Source reports whether the value s (lower-cased) is wholly template
// source with control flow: every letter and digit sits inside a template
// tag or an HTML tag, and at least one tag is a statement or a block
// ("{% block body %}", "{{#each}}", "{{/with}}", "<% if %>", FreeMarker's
// "<#list xs as x>") or the tags
// are HTML around template expressions ("<dt>{{ key|e }}</dt>"). Text a
// person sends around a template has words outside its tags ("Jinja docs:
// {% for ... %}"), and a lone placeholder ("{{name}}") has no control
// flow; a value that is nothing but template statements is written for
// the engine that renders it.
func Source(s string) bool {
	statements, expressions, markup := 0, 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case lex.IsSpace(c):
			i++
			continue
		case lex.IsAlnum(c):
			return false
		}
		open, close, kind := tagAt(s, i)
		if open == 0 {
			i++ // punctuation between tags (" : ", "|")
			continue
		}
		j := strings.Index(s[i+open:], close)
		if j < 0 {
			return false
		}
		switch kind {
		case tagStatement:
			statements++
		case tagExpression:
			expressions++
		case tagMarkup:
			markup++
		}
		i += open + j + len(close)
	}
	return statements > 0 || expressions > 0 && markup > 0
}

// The kinds of tag Source tells apart.
const (
	tagNone       = iota
	tagStatement  // {% if %}, {{#each}}, {{/with}}, <% code %>
	tagExpression // {{ x }}, <%= x %>
	tagMarkup     // an HTML tag
)

// tagAt says whether a template or HTML tag opens at s[i]: the opener's
// length, the closer to look for, and its kind.
func tagAt(s string, i int) (open int, close string, kind int) {
	if s[i] != '{' && s[i] != '<' && s[i] != '$' {
		return 0, "", tagNone // every tag opens on one of them
	}
	at := func(p string) bool { return strings.HasPrefix(s[i:], p) }
	switch {
	case at("{%"):
		return 2, "%}", tagStatement
	case at("{{#"), at("{{/"), at("{{^"):
		return 3, "}}", tagStatement
	case at("{{"):
		return 2, "}}", tagExpression
	case at("<%="), at("<%-"):
		return 3, "%>", tagExpression
	case at("<%"):
		return 2, "%>", tagStatement
	case at("<#"), at("</#"):
		// FreeMarker's directives, <#list xs as x> ... </#list>
		return 2, ">", tagStatement
	case at("${"):
		// FreeMarker's, Velocity's and EL's interpolation
		return 2, "}", tagExpression
	case s[i] == '<' && i+1 < len(s) && (lex.IsAlpha(s[i+1]) || s[i+1] == '/'):
		return 1, ">", tagMarkup
	}
	return 0, "", tagNone
}

// BareCall reports whether the expression e opens on a call of a named
// function, "system('id')" or "phpinfo()": a condition that calls a
// function runs it while the template is rendered.
func BareCall(e string) bool {
	e = lex.TrimBlanksLeft(e)
	k := 0
	for k < len(e) && lex.IsWord(e[k]) {
		k++
	}
	return k > 0 && lex.IsAlpha(e[0]) && k < len(e) && e[k] == '('
}

// goBuiltins are the functions Go's text/template predefines for every
// template; the probes of a Go template apply them to literals.
var goBuiltins = [...]string{"printf", "print", "println", "html", "js", "urlquery", "call", "index", "slice", "len"}

// GoAction scores a Go text/template action body w (lower-cased, between
// "{{" and "}}", trimmed): the dot alone prints the whole data the
// template was handed (6); a predefined function applied to a string
// literal, {{printf "%s" "ssti"}}, the define and template actions that
// name a template, and call, which runs a function the data holds, are
// the language itself, not data printed (7).
func GoAction(w string) int {
	if w == "." {
		return 6
	}
	k := 0
	for k < len(w) && lex.IsAlpha(w[k]) {
		k++
	}
	if k == 0 || k >= len(w) || w[k] != ' ' {
		return 0
	}
	name := w[:k]
	if name == "call" {
		return 7 // runs a function the data holds: {{call .Func}}
	}
	a := lex.SkipSpace(w, k)
	if a >= len(w) || w[a] != '"' && w[a] != '`' {
		return 0
	}
	if name == "define" || name == "template" || name == "block" {
		return 7
	}
	for _, b := range goBuiltins {
		if name == b {
			return 7
		}
	}
	return 0
}
