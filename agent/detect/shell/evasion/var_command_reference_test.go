package evasion

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// varCommandBefore is VarCommand with the separator test made byte by
// byte and every position read as a name's start (VarCommand reads the
// names back from each '='). The oracle for
// TestVarCommandAgreesWithSeparatorTest.
func varCommandBefore(s string, buf []byte) (int, []byte) {
	type assign struct{ name, val string }
	var vars [16]assign
	nv := 0
	for i := 0; i < len(s) && nv < len(vars); i++ {
		if i > 0 && !shell.Separator(s[i-1]) && s[i-1] != '=' {
			// or blanks after a separator: "; x=id; $x"
			b := i
			for b > 0 && lex.IsSpace(s[b-1]) {
				b--
			}
			if b == i || !(lex.IsAlpha(s[i]) || s[i] == '_') || b > 0 && !shell.Separator(s[b-1]) {
				continue
			}
		}
		j := i
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j == i || j >= len(s) || s[j] != '=' || lex.IsDigit(s[i]) {
			continue
		}
		k := j + 1
		var val string
		if k+1 < len(s) && s[k] == '$' && (s[k+1] == '\'' || s[k+1] == '"') {
			k++
		}
		switch {
		case k < len(s) && (s[k] == '\'' || s[k] == '"'):
			e := strings.IndexByte(s[k+1:], s[k])
			if e < 0 {
				continue
			}
			val = s[k+1 : k+1+e]
		case k+1 < len(s) && s[k] == '\\':
			val = s[k+1 : k+2] // an escaped byte: c4=\ (a space)
		case k < len(s) && s[k] == '`':
			e := strings.IndexByte(s[k+1:], '`')
			if e < 0 {
				continue
			}
			val = "x" // a command's output: any word
		default:
			e := k
			for e < len(s) && !shell.Separator(s[e]) && !lex.IsSpace(s[e]) {
				e++
			}
			val = s[k:e]
		}
		if len(val) > 64 {
			continue
		}
		vars[nv] = assign{s[i:j], val}
		nv++
	}
	if nv == 0 {
		return -1, buf
	}
	lookup := func(name string) (string, bool) {
		for _, v := range vars[:nv] {
			if v.name == name {
				return v.val, true
			}
		}
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i > 0 && !shell.Separator(s[i-1]) && !(i > 1 && lex.IsSpace(s[i-1]) && shell.Separator(s[i-2])) {
			continue
		}
		// expand the word at i: $name, ${name}, literal bytes
		buf = buf[:0]
		expanded := false
		k := i
		for k < len(s) && !lex.IsSpace(s[k]) && !shell.Separator(s[k]) && len(buf) < 128 {
			if s[k] != '$' {
				buf = append(buf, s[k])
				k++
				continue
			}
			a, b := k+1, k+1
			if b < len(s) && s[b] == '{' {
				a++
				b++
			}
			for b < len(s) && lex.IsWord(s[b]) {
				b++
			}
			val, ok := lookup(s[a:b])
			if !ok {
				break
			}
			buf = append(buf, val...)
			expanded = true
			if b < len(s) && s[b] == '}' {
				b++
			}
			k = b
		}
		if !expanded {
			continue
		}
		// the expansion may hold blanks (c4="\ "): its first word is the command
		w := lex.View(buf)
		if e := strings.IndexAny(w, " \t"); e >= 0 {
			w = w[:e]
		}
		w = w[strings.LastIndexByte(w, '/')+1:]
		if _, _, ok := shell.CommandName(w); ok && len(w) >= 2 {
			return i, buf
		}
		var scratch [64]byte
		if d, ok := unevade(scratch[:0], w); ok || len(d) >= 2 && func() bool { _, _, ok := shell.CommandName(lex.View(d)); return ok }() {
			return i, buf
		}
	}
	return -1, buf
}

// TestVarCommandAgreesWithSeparatorTest holds VarCommand to the code it
// replaced on the corpora, hostile random strings, texts of assignments
// and expansions, their mutations and long runs.
func TestVarCommandAgreesWithSeparatorTest(t *testing.T) {
	r := rand.New(rand.NewPCG(149, 151))
	pieces := []string{"a=nc", "c1=c", "c2=a", "c3=t", "$c1$c2$c3", "$a", "${a}", " -nlvp 555", "&&", ";", "|", "\n", "`", "(", "=", " ", "x", "garb=adduse[r]", "$garb", "'", "\"", "\\ ", "/etc/passwd", "1=2"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 12)...)
	found := 0
	for _, s := range texts {
		s = strings.ToLower(s)
		for _, m := range append(difftest.Mutate(r, s), s) {
			gi, _ := VarCommand(m, nil)
			wi, _ := varCommandBefore(m, nil)
			if gi != wi {
				t.Fatalf("VarCommand(%.80q) = %d, separator test %d", m, gi, wi)
			}
			if gi >= 0 {
				found++
			}
		}
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		if gi, wi := first(VarCommand(s, nil)), first(varCommandBefore(s, nil)); gi != wi {
			t.Fatalf("VarCommand(%d bytes %.80q) = %d, separator test %d", len(s), s, gi, wi)
		}
	}
	if found < 100 {
		t.Errorf("only %d commands found: the texts do not exercise VarCommand", found)
	}
}

func first(i int, _ []byte) int { return i }

// FuzzVarCommandAgreesWithSeparatorTest holds VarCommand, which finds
// assignments from their '=' back, to the reading of every position as a
// name's start.
func FuzzVarCommandAgreesWithSeparatorTest(f *testing.F) {
	f.Add("a=nc&&$a -nlvp 555")
	f.Add("c1=c;c2=a;c3=t;$c1$c2$c3 /etc/passwd")
	f.Add("x.ab=c; \t y=id;$y a=b=c;$b")
	f.Add("==;=1a=b;_=id;$_")
	f.Fuzz(func(t *testing.T, s string) {
		if gi, wi := first(VarCommand(s, nil)), first(varCommandBefore(s, nil)); gi != wi {
			t.Fatalf("VarCommand(%q) = %d, separator test %d", s, gi, wi)
		}
	})
}
