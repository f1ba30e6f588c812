package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/code"
	"github.com/lambdawaf/lambdawaf/agent/detect/code/php"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/windows"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// detectKeyCode judges a parameter name for prototype pollution and
// class-loader manipulation (Spring4Shell), which live in names.
func (in *input) detectKeyCode() {
	if !in.e.Enabled(CodeInj) || !in.mask.has(bUnderscore|bDot|bBracket) && in.text != "prototype" {
		return
	}
	s := in.lower()
	for _, w := range [...]string{"__proto__", "constructor.prototype", "constructor[prototype]", "[constructor][prototype]"} {
		if i := strings.Index(s, w); i >= 0 {
			in.emit(CodeInj, "prototype-pollution", 7, i, i+40)
			return
		}
	}
	// JSON keys arrive one at a time: {"constructor":{"prototype":...}}
	// shows in the location.
	if s == "prototype" && (strings.HasSuffix(in.v.Location, "constructor.prototype") || strings.HasSuffix(in.v.Location, "constructor[prototype]")) {
		in.emit(CodeInj, "prototype-pollution", 7, 0, len(s))
		return
	}
	low := in.lowerBytes()
	if i := code.ClassLoader(s, low); i >= 0 {
		in.emit(CodeInj, "java-class", 8, i, i+40)
		return
	}
}

// plainKeywords are identifiers that mean an attack even in text with no
// punctuation to break out with: SQL catalogs, Java gadget classes, DOM
// sinks. Plain values only get this check (and the SQL keyword lexer).
var plainKeywords = [...]struct {
	word  string
	class Class
	rule  string
	score int
}{
	{"information_schema", SQLi, "sqli-catalog", 7}, {"pg_catalog", SQLi, "sqli-catalog", 7},
	{"sqlite_master", SQLi, "sqli-catalog", 7}, {"msysaccessobjects", SQLi, "sqli-catalog", 7},
	{"msysobjects", SQLi, "sqli-catalog", 7}, {"sysobjects", SQLi, "sqli-catalog", 6},
	{"mysql.user", SQLi, "sqli-catalog", 6}, {"mysql.db", SQLi, "sqli-catalog", 6},
	{"schema_name", SQLi, "sqli-catalog", 5}, {"table_name", SQLi, "sqli-catalog", 4},
	{"xp_cmdshell", SQLi, "sqli-catalog", 8}, {"sp_executesql", SQLi, "sqli-catalog", 7},
	{"northwind", SQLi, "sqli-catalog", 5}, {"tempdb", SQLi, "sqli-catalog", 5}, {"msdb", SQLi, "sqli-catalog", 5},
	{"processbuilder", CodeInj, "java-class", 8}, {"clonetransformer", CodeInj, "java-class", 8},
	{"invokertransformer", CodeInj, "java-class", 8}, {"chainedtransformer", CodeInj, "java-class", 8},
	{"constanttransformer", CodeInj, "java-class", 8}, {"instantiatetransformer", CodeInj, "java-class", 8},
	{"instantiatefactory", CodeInj, "java-class", 8}, {"prototypeclonefactory", CodeInj, "java-class", 8},
	{"prototypeserializationfactory", CodeInj, "java-class", 8}, {"whileclosure", CodeInj, "java-class", 8},
	{"forclosure", CodeInj, "java-class", 7}, {"templatesimpl", CodeInj, "java-class", 8},
	{"xmldecoder", CodeInj, "java-class", 7}, {"java.lang.runtime", CodeInj, "java-class", 8},
	{"java.runtime", CodeInj, "java-class", 8}, {"javax.script", CodeInj, "java-class", 8},
	{"org.apache.commons.collections", CodeInj, "java-class", 8}, {"java.lang.reflect", CodeInj, "java-class", 8},
	{"com.sun.org.apache", CodeInj, "java-class", 8}, {"jdbcrowsetimpl", CodeInj, "java-class", 8},
	{"document.cookie", XSS, "xss-js-sink", 6}, {"window.location", XSS, "xss-js-sink", 6},
	{"document.write", XSS, "xss-js-sink", 6}, {"document.domain", XSS, "xss-js-sink", 6},
	{".innerhtml", XSS, "xss-js-sink", 5}, {"child_process", CodeInj, "node-injection", 8},
	{"process.mainmodule", CodeInj, "node-injection", 8}, {"module.exports", CodeInj, "node-injection", 6},
	{"class.module.classloader", CodeInj, "java-class", 8}, {"constructor.constructor", CodeInj, "node-injection", 8},
	{"__js_function", CodeInj, "node-injection", 7}, {"require.main", CodeInj, "node-injection", 7},
	{"process.env", CodeInj, "node-injection", 5}, {"_$$nd_func$$_", CodeInj, "node-injection", 8},
}

// plainKeywordBytes holds the byte set of each of plainKeywords.
var plainKeywordBytes = func() []lex.ByteSet {
	sets := make([]lex.ByteSet, len(plainKeywords))
	for i, k := range plainKeywords {
		sets[i] = lex.BytesOf(k.word)
	}
	return sets
}()

// detectPlain is the cheap check for plain text: keywords, Java serialized
// objects, out-of-band domains, shell phrases.
func (in *input) detectPlain() {
	s := in.lower()
	low := in.lowerBytes()
	for n := range plainKeywords {
		if len(plainKeywords[n].word) > len(s) || !low.Covers(&plainKeywordBytes[n]) {
			continue
		}
		k := &plainKeywords[n]
		if i := strings.Index(s, k.word); i >= 0 && in.e.Enabled(k.class) {
			if k.class == XSS && (in.v.Part == event.PartPath || code.InProse(s)) {
				// "/docs/javascript/document.cookie" names a page;
				// "set the element's .innerHTML to the rendered
				// markdown" names a property: a sentence runs in no
				// script
				continue
			}
			if k.word == "java.runtime" || k.word == "forclosure" || k.word == "table_name" || k.word == "schema_name" || k.word == "msdb" || k.word == "tempdb" || k.word == "northwind" {
				// short words need a word boundary, and in SQL '_'
				// is a letter: "idv_msdb" names no system database
				if i > 0 && lex.IsWord(s[i-1]) || i+len(k.word) < len(s) && lex.IsWord(s[i+len(k.word)]) {
					continue
				}
			}
			in.emit(k.class, k.rule, k.score, i, i+len(k.word))
			return
		}
	}
	// serialized objects in unpadded base64, which has no punctuation:
	// Java streams, pickles ("gASV"), Ruby Marshal ("BAh")
	// (each marker holds an 'A', which most names and words do not)
	if strings.IndexByte(in.text, 'A') >= 0 && (strings.Contains(in.text, "rO0AB") || strings.Contains(in.text, "KztAAU") ||
		strings.Contains(in.text, "Cs7QAF") || strings.Contains(in.text, "gA") || strings.Contains(in.text, "BAh")) {
		in.detectCode()
		return
	}
	if in.mask.has(bDot) {
		// a package name has a dot
		if strings.Contains(s, "java.") && (strings.Contains(s, "runtime") || strings.Contains(s, "processbuilder")) {
			in.emit(CodeInj, "java-class", 7, 0, 32)
			return
		}
		if i := code.JavaClassName(s, low); i >= 0 {
			in.emit(CodeInj, "java-class-name", 5, i, i+40)
			return
		}
		in.detectOAST()
		if in.sink == sinkURL {
			in.detectURL()
		}
	}
	if in.sink != sinkURL && in.mask.has(bColon) && (strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:") || strings.HasPrefix(s, "ftp:")) {
		in.detectURL() // "http:2852039166": an address in a disguise
	}
	if in.mask.has(bDash) {
		in.detectCmdPhrases()
	}
	if (strings.HasPrefix(s, "if ") || strings.HasPrefix(s, "for ")) && in.e.Enabled(CommandInj) {
		if i := windows.Batch(s); i >= 0 {
			in.emit(CommandInj, "cmdi-batch", 7, i, i+32)
		}
	}
	if strings.HasPrefix(s, "alias ") && strings.IndexByte(s, '=') > 0 && in.e.Enabled(CommandInj) {
		in.emit(CommandInj, "cmdi-alias", 6, 0, 32)
	}
	if s[0] == '!' && shell.HistoryEvents(s) && in.e.Enabled(CommandInj) {
		in.emit(CommandInj, "cmdi-expansion", 5, 0, len(s))
	}
	in.detectCmdWords(s)
}

// serializedJavaMagics open a base64-encoded Java serialization stream:
// the stream magic AC ED 00 05 at each of the three alignments, and a
// gzip header (the stream compressed). Case matters: base64 is
// case-sensitive.
var serializedJavaMagics = [...]string{"rO0AB", "KztAAU", "Cs7QAF", "H4sIA"}

// serializedJava returns the offset where a magic of serializedJavaMagics
// (in list order) starts a base64 token anywhere in text, a gzip header
// counting only with a stream magic ("rO0") somewhere in text, or -1.
// Every occurrence is looked at, not only the first: "xrO0AB" before the
// stream must not hide it.
func serializedJava(text string) int {
	for _, magic := range serializedJavaMagics {
		if magic == "H4sIA" && !strings.Contains(text, "rO0") {
			continue
		}
		if i := code.TokenStart(text, magic); i >= 0 {
			return i
		}
	}
	return -1
}

// detectCode judges text as server-side code: PHP (open tags, dangerous
// calls, superglobals, serialized objects, ini directives), Java (runtime
// and reflection classes, OGNL, serialized objects), Node.js (child_process,
// prototype pollution, node-serialize), Ruby and Python equivalents.
func (in *input) detectCode() {
	if !in.e.Enabled(CodeInj) {
		return
	}
	m := in.mask
	s := in.lower()
	low := in.lowerBytes()
	if m.has(bLT) && m.has(bQuestion) {
		if i, sc := php.OpenTag(s, low); sc > 0 {
			in.emit(CodeInj, "php-open-tag", sc, i, i+32)
			return
		}
	}
	if m.hasAll(bParen | bSemi) {
		if i := code.InjectedStatement(s); i >= 0 {
			in.emit(CodeInj, "code-injection", 8, i, i+40)
			return
		}
	}
	if m.has(bBracket) || m.has(bLBrace) {
		if i := php.BlockTag(s, low, m.has(bBracket), m.has(bLBrace)); i >= 0 {
			in.emit(CodeInj, "php-open-tag", 7, i, i+32)
			return
		}
	}
	if m.has(bDollar) {
		if i := php.Superglobal(s, low); i >= 0 {
			in.emit(CodeInj, "php-superglobal", 7, i, i+32)
			return
		}
	}
	if m.has(bColon) && m.has(bDQuote|bLBrace) {
		if i, sc := php.Serialized(s); sc > 0 {
			in.emit(CodeInj, "php-serialized-object", sc, i, i+40)
			return
		}
	}
	if m.has(bEq) {
		if i := php.IniSetting(s, low); i >= 0 {
			in.emit(CodeInj, "php-ini-directive", 7, i, i+32)
			return
		}
	}
	if m.has(bEq) {
		if i := php.IniLine(s); i >= 0 {
			in.emit(CodeInj, "php-ini-directive", 6, i, i+32)
			return
		}
	}
	ct := php.NewText(s)
	script := -1 // whether s reads as JavaScript, decided once when asked
	isScript := func() bool {
		if script < 0 {
			script = 0
			if scriptText(s) {
				script = 1
			}
		}
		return script == 1
	}
	if m.has(bDollar) && m.has(bLBrace) && m.has(bParen) {
		if i := php.SilencedCall(s); i >= 0 {
			in.emit(CodeInj, "php-function-call", 8, i, i+32)
			return
		}
	}
	if m.has(bDollar) && m.has(bLBrace) {
		if i := php.VariableVariable(ct); i >= 0 {
			in.emit(CodeInj, "php-variable-call", 5, i, i+24)
			return
		}
	}
	if m.has(bParen) {
		if i, sc := php.Call(ct, in.v.Part != event.PartPath); sc > 0 && !in.codeMention() {
			in.emit(CodeInj, "php-function-call", sc, i, i+32)
			return
		}
		if in.v.Part != event.PartPath && php.WholeCall(ct) {
			in.emit(CodeInj, "php-function-call", 4, 0, len(s))
			return
		}
		if i, sc := php.DynamicCall(ct); sc > 0 {
			in.emit(CodeInj, "php-function-call", sc, i, i+32)
			return
		}
		if m.has(bDollar) && in.v.Part != event.PartHeader && !isScript() {
			// ($name( is a call in JavaScript as well: $http(url),
			// $emit('x'); script text reads it as its own)
			if i := php.VarCall(ct); i >= 0 {
				in.emit(CodeInj, "php-variable-call", 6, i, i+32)
				return
			}
		}
		// variable function calls
		for off := 0; off < len(s); {
			i := strings.IndexByte(s[off:], '(')
			if i < 0 {
				break
			}
			i += off
			k := i
			for k > 0 && (isSpace(s[k-1])) {
				k--
			}
			// skip trailing /**/ comments between name and '('
			for k >= 4 && s[k-2:k] == "*/" {
				c := strings.LastIndex(s[:k-2], "/*")
				if c < 0 {
					break
				}
				k = c
				for k > 0 && isSpace(s[k-1]) {
					k--
				}
			}
			b := k
			for b > 0 && isWord(s[b-1]) {
				b--
			}
			name := s[b:k]
			prev := byte(0)
			if b > 0 {
				prev = s[b-1]
			}
			// variable function calls: $x(...), $_GET['a']($_GET['b'])
			if prev == '$' && b > 0 && name != "" && !isDigit(name[0]) && in.v.Part != event.PartHeader && !isScript() {
				in.emit(CodeInj, "php-variable-call", 6, b-1, i+24)
				return
			}
			off = i + 1
		}
	}
	// Java: runtime, reflection, OGNL, Spring, serialized objects.
	if i := code.JavaCode(s, low); i >= 0 && !in.codeMention() {
		in.emit(CodeInj, "java-class", 8, i, i+40)
		return
	}
	if i := serializedJava(in.text); i >= 0 {
		in.emit(CodeInj, "java-serialized-object", 8, i, i+24)
		return
	}
	if i := strings.Index(in.text, "\xac\xed\x00\x05"); i >= 0 {
		in.emit(CodeInj, "java-serialized-object", 9, i, i+24)
		return
	}
	if i := lex.IndexWhere(s, "aced0005", func(i int) bool { return i == 0 || !isAlnum(s[i-1]) }); i >= 0 {
		in.emit(CodeInj, "java-serialized-object", 8, i, i+24)
		return
	}
	if i := code.PythonPickle(in.text); i >= 0 {
		in.emit(CodeInj, "python-pickle", 8, i, i+24)
		return
	}
	if i := code.DotNetSerialized(in.text); i >= 0 {
		in.emit(CodeInj, "dotnet-serialized-object", 8, i, i+24)
		return
	}
	if i := code.RubyMarshalGadget(in.text); i >= 0 {
		in.emit(CodeInj, "ruby-marshal-object", 8, i, i+24)
		return
	}
	// Node.js and prototype pollution.
	if i := code.NodeCode(s, low); i >= 0 && !in.codeMention() {
		in.emit(CodeInj, "node-injection", 8, i, i+40)
		return
	}
	if m.has(bDollar) && m.has(bColon) {
		if i := flightReference(s); i >= 0 {
			in.emit(CodeInj, "prototype-pollution", 8, i, i+40)
			return
		}
	}
	if i := code.PrototypePollution(s, low); i >= 0 {
		in.emit(CodeInj, "prototype-pollution", 7, i, i+40)
		return
	}
	if i := code.EndlessLoop(s); i >= 0 {
		in.emit(CodeInj, "node-dos", 6, i, i+32)
		return
	}
	if i := code.JavaClassName(s, low); i >= 0 {
		in.emit(CodeInj, "java-class-name", 5, i, i+40)
		return
	}
	// Ruby and Python.
	if i := code.RubyPythonCode(s, low); i >= 0 && !in.codeMention() {
		in.emit(CodeInj, "code-injection", 8, i, i+40)
		return
	}
	in.detectCodeShapes()
}

// codeMention reports whether the value is prose that names code (see
// codeInProse); the code-word detectors leave such mentions alone, while
// open tags, superglobals, serialized objects and shell stay judged.
func (in *input) codeMention() bool {
	return in.v.Part != event.PartPath && code.InProse(in.lower())
}

// detectCodeShapes runs this file's checks; it reports whether one fired.
func (in *input) detectCodeShapes() bool {
	m := in.mask
	s := in.lower()
	if m.has(bAt) && m.has(bLBrace) {
		if i := code.PerlInterpolation(s); i >= 0 {
			in.emit(CodeInj, "perl-interpolation", 7, i, i+24)
			return true
		}
	}
	if m.has(bPercent) && m.has(bLBrace|bLT) && in.e.Enabled(SSTI) {
		if i := code.TemplateConditional(s); i >= 0 {
			in.emit(SSTI, "ssti-conditional", 7, i, i+32)
			return true
		}
	}
	if in.paranoid() && m.has(bParen) && m.has(bUnderscore|bAlpha) {
		if i := php.NamedCall(s, in.lowerBytes()); i >= 0 {
			in.emit(CodeInj, "php-function-name", 5, i, i+32)
			return true
		}
	}
	return false
}
