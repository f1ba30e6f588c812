package template

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// reachWordsBefore and probeWordsBefore are the word lists as the
// oracle held them, written out again so that a word dropped from
// reachList or probeList is noticed.
var (
	reachWordsBefore = []string{"__class__", "__globals__", "__builtins__", "__subclasses__", "__mro__", "__init__", "__import__", "__base__", "__getattribute__", "_self.env", "registerundefinedfiltercallback", "getfilter(", ".getclass(", "class.forname", "forname(", "getruntime", "t(java.", "java.lang", "freemarker.template", "?new(", ".exec(", "popen", "subprocess", "os.system", "lipsum.", "cycler.", "joiner.", "namespace.", "|attr(", "request.application", "config.items", "self._", "request['application']", "constructor.constructor", "process.mainmodule", "getbean(", "#this", "objectconstructor", "new java.", "runtime.", "processbuilder", "system.diagnostics", "new()", "%{(", "#_memberaccess", "invoke(", "getmethod(", "newinstance(", "system.shell(", "system.cmd(", ":os.cmd(", "file.open(", "dir.entries(", "io.popen", "import os", ".constructor(", "file.read"}
	probeWordsBefore = []string{"?api", "?eval", "?interpret", "''.", `"".`, "[].", "{}."}
)

// evidenceBefore is Evidence as it was before its word lists were read in
// one pass: a strings.Contains per word, and the expression trimmed for
// every prefix compared. The oracle for TestEvidenceAgreesWithWordByWord.
func evidenceBefore(e string) int {
	if len(e) == 0 {
		return 0
	}
	for _, w := range reachWordsBefore {
		if strings.Contains(e, w) {
			return 9
		}
	}
	if dunder(e) || strings.Contains(e, `\x5f`) || strings.Contains(e, `\u005f`) {
		// a Python special attribute ("x.__dict__") or an underscore
		// spelt in hex to slip one past a filter
		return 9
	}
	for _, w := range probeWordsBefore {
		// Freemarker's built-ins that reach Java or evaluate a string;
		// a member of an empty literal probes the language
		if strings.Contains(e, w) {
			return 8
		}
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
	for _, w := range [...]string{"config", "self", "_self", "applicationscope", "sessionscope", "requestscope", "pagecontext", "initparam", "request", "session.", "facescontext", "settings", "range(", "dump(", "include(", "source(", "app.", "_context", "env.", "getenv", "system(", "exec", "eval("} {
		if strings.HasPrefix(strings.TrimSpace(e), w) {
			return 6
		}
	}
	return 0
}

// TestEvidenceAgreesWithWordByWord holds Evidence to the word-by-word code
// it replaced on the corpora (each line whole and each "{...}" body in
// it), random strings over the hostile alphabet and the evidence words
// themselves, their mutations, and long dense texts.
func TestEvidenceAgreesWithWordByWord(t *testing.T) {
	check := func(e string) {
		t.Helper()
		if got, want := Evidence(e), evidenceBefore(e); got != want {
			t.Fatalf("Evidence(%.80q) = %d, word by word %d", e, got, want)
		}
	}
	r := rand.New(rand.NewPCG(5, 13))
	words := append(slices.Clone(reachWordsBefore), probeWordsBefore...)
	texts := difftest.Corpus(t)
	for _, l := range texts {
		check(l)
		for off := 0; ; {
			i := strings.IndexByte(l[off:], '{')
			if i < 0 {
				break
			}
			off += i + 1
			body := l[off:]
			if j := strings.IndexByte(body, '}'); j >= 0 {
				body = body[:j]
			}
			check(body)
		}
	}
	tokens := append(append([]string{}, difftest.Tokens...), words...)
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(tokens[r.IntN(len(tokens))])
		}
		s := b.String()
		check(s)
		for _, m := range difftest.Mutate(r, s) {
			check(m)
		}
	}
	for _, w := range words {
		check(w)
		check(" " + w + " ")
		check(w[:len(w)-1])
		check(w[1:])
	}
	for _, s := range difftest.Hostile(r, 5000, 24) {
		check(s)
	}
	for _, s := range difftest.Long(r, append(difftest.Tokens, words...), 2048) {
		check(s)
	}
}
