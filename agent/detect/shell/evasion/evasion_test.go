package evasion

import "testing"

// TestEvadedCommandFindsHiddenNames checks that a command name split by
// pieces that expand to nothing is found, and that prose contractions,
// SQL-escaped quotes, passwords and prices are not read as one.
func TestEvadedCommandFindsHiddenNames(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"empty backticks", "pi``ng 127.0.0.1", true},
		{"empty command substitution", "pi$()ng 127.0.0.1", true},
		{"trailing empty substitution", "ping$() 127.0.0.1", true},
		{"empty process substitution", "pi<()ng 127.0.0.1", true},
		{"last background pid", "c$!at /et$!c/pas$!swd", true},
		{"shell pid", "una$$me -a", true},
		{"unset variable glued", "uname$u -a", true},
		{"quote pairs", `""p""y""t""h""o""n""3 -c x`, true},
		{"prose contraction", "i'd like to drop by on tuesday; or wednesday", false},
		{"sql escaped quotes", "o''reilly and it''s fine", false},
		{"password", "p4$$w0rd'--ok", false},
		{"prices", "i paid $19.99 + $4.99 shipping", false},
		{"plain command", "ping 127.0.0.1", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			start, end, _ := EvadedCommand(c.s, nil)
			if got := start >= 0; got != c.want {
				t.Errorf("EvadedCommand(%q) = %d, %d; want found %v", c.s, start, end, c.want)
			}
			if start >= 0 && (end <= start || end > len(c.s)) {
				t.Errorf("EvadedCommand(%q) bounds %d, %d out of the value", c.s, start, end)
			}
		})
	}
}

// TestVarCommandExpandsAssignments checks that a command spelt through
// variables assigned in the same input is found, and that shell
// documentation and query strings that mention variables are not.
func TestVarCommandExpandsAssignments(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"variable as the command", "a=nc&&$a -nlvp 555", true},
		{"variables spell the command", `c4=\ ;c3=t;c2=a;c1=c;a1=/;a2=e;a3=t;a4=c;$c1$c2$c3$c4$a1$a2$a3$a4`, true},
		{"bracket glob in the value", "garb=adduse[r];$garb pizza", true},
		{"value in ANSI-C quotes", "cmd=$'id';$cmd", true},
		{"value in locale quotes", `;cmd=$"id";$cmd`, true},
		{"ANSI-C quotes escaped for a quoted string", `;cmd=$\'id\';$cmd`, true},
		{"escaped quotes never closed", `cmd=$\'id;$cmd`, false},
		{"shell documentation", "use ${var} in your shell to reference variables.", false},
		{"query string", "a=1&b=2&c=$3", false},
		{"name after an assignment's '='", "a=b=id;$b", true},
		{"name after blanks after a separator", "x; \t c=id; $c", true},
		{"name's tail after a dot", "x.a=id;$a", false},
		{"name opening on a digit", "1a=id;$1a", false},
		{"'=' with no name before it", "=id;$a", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i, _ := VarCommand(c.s, nil); (i >= 0) != c.want {
				t.Errorf("VarCommand(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestSelfCallingFunctionFindsForkBombs checks the fork-bomb shape against
// functions in JavaScript that share its punctuation.
func TestSelfCallingFunctionFindsForkBombs(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"classic", ":(){ :|:& };:", true},
		{"named", "f(){ f & f; };f", true},
		{"dot", ".(){ .|.& };.", true},
		{"spaced", "; test() { test | test & } test", true},
		{"javascript condition", "if (user && user.isadmin) { showpanel(); }", false},
		{"javascript method", "render() { return a || b; }", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := SelfCallingFunction(c.s); (i >= 0) != c.want {
				t.Errorf("SelfCallingFunction(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestGluedSeparatorCommandNeedsNoBlank checks that a separator glued to a
// command word is found and prose, which puts a blank after ';' and '|',
// is not.
func TestGluedSeparatorCommandNeedsNoBlank(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"semicolon at the start", ";top", true},
		{"pipe after a blank", "x |id", true},
		{"and-and", "&&ls", true},
		{"prose semicolon", "first; then the rest", false},
		{"logical or", "a || b", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := GluedSeparatorCommand(c.s); (i >= 0) != c.want {
				t.Errorf("GluedSeparatorCommand(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}
