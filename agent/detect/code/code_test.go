package code

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// TestLanguageWordsFindCallsThatReachAProcess checks the Java, Node.js,
// Ruby and Python vocabularies and the prototype paths, each against text
// that shares its letters.
func TestLanguageWordsFindCallsThatReachAProcess(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(s string, have *lex.ByteSet) int
		s    string
		want bool
	}{
		{"java runtime", JavaCode, "java.lang.runtime.getruntime().exec('id')", true},
		{"java in prose", JavaCode, "i like java and coffee", false},
		{"spring class loader", ClassLoader, "class.module.classloader.resources.context.parent.pipeline.first.pattern=x", true},
		{"class in prose", ClassLoader, "the class was loaded", false},
		{"node child process", NodeCode, "require('child_process').exec('id')", true},
		{"node in prose", NodeCode, "the node process restarted", false},
		{"prototype pollution", PrototypePollution, `{"__proto__":{"admin":true}}`, true},
		{"prototype in prose", PrototypePollution, "the prototype of the constructor", false},
		{"python import", RubyPythonCode, "__import__('os').system('id')", true},
		{"ruby popen", RubyPythonCode, "io.popen('id').read", true},
		{"python in prose", RubyPythonCode, "the os module and the system call", false},
		{"java gadget class", JavaClassName, "org.apache.commons.collections.functors.invokertransformer", true},
		{"java exception in a trace", JavaClassName, "at java.lang.nullpointerexception thrown", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			have := lex.BytesOf(c.s)
			if i := c.read(c.s, &have); (i >= 0) != c.want {
				t.Errorf("%s: %q = %d, want found %v", c.name, c.s, i, c.want)
			}
		})
	}
}

// TestCodeShapes checks the shapes that run code where text is expected
// (Perl interpolation, constant template conditions, endless JavaScript
// loops) against e-mail handles, template logic and ordinary loops.
func TestCodeShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(string) int
		s    string
		want bool
	}{
		{"perl spaced", PerlInterpolation, `@{    [    system    "id"    ]    }`, true},
		{"perl tight", PerlInterpolation, "@{[system 'id']", true},
		{"perl look-alike e-mail", PerlInterpolation, "mail me @{team} [soon]", false},
		{"jinja constant if", TemplateConditional, "{% if true %}49{% endif %}", true},
		{"jinja variable if", TemplateConditional, "{% if user.admin %}x{% endif %}", false},
		{"jinja docs loop", TemplateConditional, "jinja docs: {% for item in items %}{{ item }}{% endfor %}", false},
		{"while one", EndlessLoop, "while(1){}", true},
		{"for without a condition", EndlessLoop, "for(;;){}", true},
		{"negated zero", EndlessLoop, "while (!0) {}", true},
		{"counted loop", EndlessLoop, "while (i < n) { i++ }", false},
		{"while false", EndlessLoop, "while(false){}", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := c.read(c.s); (i >= 0) != c.want {
				t.Errorf("%s: %q = %d, want found %v", c.name, c.s, i, c.want)
			}
		})
	}
}

// TestInProseTellsMentionsFromCode checks that a sentence naming a call is
// prose and code with keywords side by side is not.
func TestInProseTellsMentionsFromCode(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"advice naming a call", "you should prefer subprocess.run([...]) over os.system(cmd) because it avoids the shell and keeps the arguments apart", true},
		{"call alone", "os.system('id')", false},
		{"python keywords side by side", "import os; os.system('id') if not x in y else 0", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := InProse(c.s); got != c.want {
				t.Errorf("InProse(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
