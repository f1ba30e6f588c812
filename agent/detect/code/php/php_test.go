package php

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// TestCallFindsDangerousFunctions checks calls of the PHP functions that
// run code or commands or touch files, against man-page references and
// the same words in prose.
func TestCallFindsDangerousFunctions(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"system with a string", "system('id')", true},
		{"comment before the parenthesis", "shell_exec/**/('id')", true},
		{"after a statement", "1;passthru($_get[x])", true},
		{"open call at the end", "base64_decode(", true},
		{"man page reference", "see chown(1) and exec(3p)", false},
		{"prose", "the system works fine", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, sc := Call(NewText(c.s), true); (sc > 0) != c.want {
				t.Errorf("Call(%q) scored %d, want found %v", c.s, sc, c.want)
			}
		})
	}
}

// TestDynamicCallsFindHiddenCallees checks the run-time ways PHP resolves
// a callee (variables, brackets, concatenation) against templates that
// share the punctuation.
func TestDynamicCallsFindHiddenCallees(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"parenthesised name", "(system)('id')", true},
		{"array element", "[system][0]('id')", true},
		{"concatenated literals", "('sys'.'tem')('id')", true},
		{"ordinary call", "print(len(items))", false},
		{"arithmetic in brackets", "(1+2)*3", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, sc := DynamicCall(NewText(c.s)); (sc > 0) != c.want {
				t.Errorf("DynamicCall(%q) scored %d, want found %v", c.s, sc, c.want)
			}
		})
	}
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"plain variable callee left to the caller", "$f('id')", false},
		{"braced expression", "${'a'}('id')", true},
		{"subscripted variable", "$a['b']('id')", true},
		{"subscript, comment, call", "$a[1]/*x*/('id')", true},
		{"subscript then prose", "$items[0] (the first)", false},
		{"template total", "${total} (incl. tax)", false},
		{"price", "$5 (approx.)", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := VarCall(NewText(c.s)); (i >= 0) != c.want {
				t.Errorf("VarCall(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestVariableVariableSkipsTemplates checks PHP's variable-variable syntax
// against a template placeholder.
func TestVariableVariableSkipsTemplates(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{{"$ {$a}", true}, {"${'ff'}", true}, {"${name}", false}, {"costs $ 5", false}} {
		if i := VariableVariable(NewText(c.s)); (i >= 0) != c.want {
			t.Errorf("VariableVariable(%q) = %d, want found %v", c.s, i, c.want)
		}
	}
}

// TestSerializedReadsObjectsAndArrays checks PHP's serialization format
// against times and ratios written with colons.
func TestSerializedReadsObjectsAndArrays(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"object", `o:8:"stdclass":1:{s:1:"a";i:1;}`, true},
		{"array", `a:1:{i:0;s:2:"id";}`, true},
		{"clock time", "meet at 10:30:00", false},
		{"ratio", "mix 1:2:1", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, sc := Serialized(c.s); (sc > 0) != c.want {
				t.Errorf("Serialized(%q) scored %d, want found %v", c.s, sc, c.want)
			}
		})
	}
}

// TestSettingsAndSuperglobals checks the words PHP reads specially: ini
// lines and settings, superglobals, and names of its extensions called
// like functions, each against prose using the same word.
func TestSettingsAndSuperglobals(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(s string, have *lex.ByteSet) int
		s    string
		want bool
	}{
		{"ini setting before '='", IniSetting, "allow_url_include=1", true},
		{"ini word after '='", IniSetting, "note=allow_url_include", false},
		{"superglobal", Superglobal, "echo $_get['x'];", true},
		{"superglobal prefix of a word", Superglobal, "$_getter", false},
		{"extension call", NamedCall, "array_diff (", true},
		{"extension call with arguments", NamedCall, "tidy_parse_string()", true},
		{"extension name without a call", NamedCall, "array_diff", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			have := lex.BytesOf(c.s)
			if i := c.read(c.s, &have); (i >= 0) != c.want {
				t.Errorf("%s: %q = %d, want found %v", c.name, c.s, i, c.want)
			}
		})
	}
	for _, c := range []struct {
		s    string
		want bool
	}{{"engine = on", true}, {"x\nunserialize_callback_func=f", true}, {"file_extension=pdf", false}, {"engine is on", false}} {
		if i := IniLine(c.s); (i >= 0) != c.want {
			t.Errorf("IniLine(%q) = %d, want found %v", c.s, i, c.want)
		}
	}
	for _, c := range []struct {
		s    string
		want bool
	}{{"phpinfo()", true}, {"system('id')", true}, {"the phpinfo page", false}} {
		if got := WholeCall(NewText(c.s)); got != c.want {
			t.Errorf("WholeCall(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestSilencedCallFindsCallsInComplexSyntax(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"${@print(md5(1))}", true},
		{"x ${@ var_dump (1)}", true},
		{"${@\\system('id')}", true},
		{"price is ${@price}", false}, // a variable, no call
		{"${@(1)}", false},
		{"${print(1)}", false}, // a template literal writes that too
		{"${@${@", false},
	} {
		if got := SilencedCall(c.s) >= 0; got != c.want {
			t.Errorf("SilencedCall(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
