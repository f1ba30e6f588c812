package windows

import "testing"

// TestBatchFindsForAndIf checks that cmd.exe FOR loops and IF statements
// are found, and that Python, JavaScript and C conditions and prose with
// the same words are not.
func TestBatchFindsForAndIf(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"for over a set", "for %%g in (a b) do echo %%g", true},
		{"for /f", "for /f %i in ('whoami') do echo %i", true},
		{"if exist", "if exist c:\\x.txt del c:\\x.txt", true},
		{"if errorlevel", "if %errorlevel% gtr 2 goto end", true},
		{"if /i comparison", "if /i %x%==y echo yes", true},
		{"python condition", "if a == b:\n    print(a)", false},
		{"javascript condition", "if (a == b) { run(); }", false},
		{"c condition", "if (a == b)\n{\n  del(x);\n}", false},
		{"prose for", "thanks for the help in the meeting", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := Batch(c.s); (i >= 0) != c.want {
				t.Errorf("Batch(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestBatchIfReadsTheComparisonGrammar checks IF [/I] [NOT] a==b [command]
// against conditions of other languages.
func TestBatchIfReadsTheComparisonGrammar(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"variable operand", "if %a%==b echo x", true},
		{"case-insensitive", "if /i a==b echo x", true},
		{"negated quoted", `if not "%a%"=="b" exit`, true},
		{"python", "if a == b:", false},
		{"javascript", "if (a == b)", false},
		{"bare words", "if a == b", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := BatchIf(c.s); got != c.want {
				t.Errorf("BatchIf(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
