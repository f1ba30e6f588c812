// Package code reads a value as code of the languages an application may
// evaluate it in, other than PHP (package php): Java classes that reach a
// process, a class loader or an evaluator; Node.js, Ruby and Python calls;
// JavaScript endless loops; Perl interpolation and template conditionals;
// statements spliced after a breakout; and code named in prose, which
// cannot run. Package detect turns what it finds into signals.
package code

// The vocabularies of the code readings: names that reach a process, a
// class loader or an evaluator in Java, Node.js, Ruby and Python (PHP's are
// in package php).

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// The keyword lists of detectKeyCode and detectCode, with their byteSets.
var classLoaderWords = lex.NewWordList("class.module.classloader", "class.classloader", "classloader.resources", ".protectiondomain", "class.module")

var javaCodeWords = lex.NewWordList("java.lang.runtime", "runtime.getruntime", "java.lang.processbuilder", "processbuilder(", "java.lang.reflect", "java.lang.class", "class.forname", "javax.script", "scriptenginemanager", "java.io.file", "java.net.url", "java.net.socket", "org.apache.commons.collections", "invokertransformer", "chainedtransformer", "com.sun.org.apache", "sun.misc.", "com.opensymphony.xwork2", "#_memberaccess", "@java.lang", "ognlcontext", "class.module.classloader", "class.classloader", "springframework.context.support", "org.springframework.expression", "java.beans.", "java.rmi.", "javax.naming", "javax.management", "org.codehaus.groovy.runtime", "groovy.lang", "bsh.interpreter", "com.sun.rowset.jdbcrowsetimpl", "org.apache.xalan", "xmldecoder", "jdk.jshell", "getclass().getclassloader")

var nodeCodeWords = lex.NewWordList("child_process", "process.mainmodule", "process.binding", "global.process", "_$$nd_func$$_", "require('fs')", "require(\"fs\")", "require('child", "require(\"child", "module.constructor._load", "process.env", "this.constructor.constructor", ".constructor.constructor(", "new function(", "process.kill", "process.exit", "require('vm')", "vm.runinnewcontext", "vm.runinthiscontext", "new function (", "process[", "module.exports=", "require.main", "require[")

// nodeProgramWords are the nodeCodeWords that ordinary Node programs use
// every day: reading the environment or files, exiting, exporting. In a
// one-line payload they are an attack's first step; in a program of three
// or more lines (a snippet shared through a code or docs API) they are the
// program's own, and only the words that reach a shell or an evaluator
// (child_process, mainModule, constructor.constructor, vm) still count.
var nodeProgramWords = map[string]bool{
	"require('fs')": true, "require(\"fs\")": true, "process.env": true, "process.kill": true,
	"process.exit": true, "process[": true, "module.exports=": true,
}

// sourceLines counts the non-blank lines of s.
func sourceLines(s string) int {
	n := 0
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

var protoPollutionWords = lex.NewWordList("__proto__", "constructor.prototype", "constructor[prototype]", "constructor][prototype", "[constructor][prototype]", "constructor\"][\"prototype", "constructor\":{\"prototype")

var rubyPythonCodeWords = lex.NewWordList("kernel.exec", "kernel.system", "kernel.open", "kernel.spawn", "io.popen", "process.spawn", "open3.", "instance_eval", "class_eval", "module_eval", "const_get(", ".send(:", "object.const", "%x(", "__import__(", "os.system(", "os.popen(", "subprocess.", "pickle.loads", "commands.getoutput", "eval(compile(", "exec(compile(", "builtins.", "importlib.import_module", "marshal.loads", "yaml.load(", "!!python/", "!ruby/")

// ClassLoader returns the index of the first class-loader path
// (class.module.classLoader, Spring4Shell) in s, or -1; have is the byte
// set of s.
func ClassLoader(s string, have *lex.ByteSet) int {
	_, i := classLoaderWords.Index(s, have, nil)
	return i
}

// JavaCode returns the index of the first Java runtime, reflection, OGNL,
// Spring or gadget name in s, or -1.
func JavaCode(s string, have *lex.ByteSet) int {
	_, i := javaCodeWords.Index(s, have, nil)
	return i
}

// NodeCode returns the index of the first Node.js word in s that reaches a
// process, the file system or an evaluator, or -1. The words ordinary
// programs use (nodeProgramWords) count only outside a program of three
// or more lines.
func NodeCode(s string, have *lex.ByteSet) int {
	program := -1 // whether s is a program of several lines, decided once
	_, i := nodeCodeWords.Index(s, have, func(_ int, w string) bool {
		if !nodeProgramWords[w] {
			return true
		}
		if program < 0 {
			program = 0
			if sourceLines(s) >= 3 {
				program = 1
			}
		}
		return program == 0
	})
	return i
}

// PrototypePollution returns the index of the first prototype path
// (__proto__, constructor.prototype) in s, or -1.
func PrototypePollution(s string, have *lex.ByteSet) int {
	_, i := protoPollutionWords.Index(s, have, nil)
	return i
}

// RubyPythonCode returns the index of the first Ruby or Python call that
// runs code or commands (Kernel.exec, os.system, pickle.loads) in s, or -1.
func RubyPythonCode(s string, have *lex.ByteSet) int {
	_, i := rubyPythonCodeWords.Index(s, have, nil)
	return i
}
