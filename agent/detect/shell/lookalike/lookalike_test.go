package lookalike

import (
	"strings"
	"testing"
)

// TestInertAlternativeTellsRegexFromPipes checks that a weak command word
// between two '|' glued to words is a regex or tag alternative, and that a
// pipe ending in the command or giving it an argument is not.
func TestInertAlternativeTellsRegexFromPipes(t *testing.T) {
	for _, c := range []struct {
		name, s, w string
		want       bool
	}{
		{"regex alternation", "error|date|refused", "date", true},
		{"tag list", "jpg|file|png", "file", true},
		{"command ends the chain", "x|id", "id", false},
		{"command then an empty stage", "x|id|", "id", false},
		{"command with an argument", "x|cat /etc/passwd", "cat", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := strings.Index(c.s, "|"+c.w) + 1
			if got := InertAlternative(c.s, ws, ws+len(c.w)); got != c.want {
				t.Errorf("InertAlternative(%q, %q) = %v, want %v", c.s, c.w, got, c.want)
			}
		})
	}
}

// TestHarmlessFilterReadsOnlyThePipe checks that a text filter fed by the
// pipe is harmless, and one that opens, recurses into or writes files is
// not.
func TestHarmlessFilterReadsOnlyThePipe(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"grep a pattern", "ls -la ~/projects | grep -v node_modules", true},
		{"sentence after grep", "npm ls | grep -i lodash shows two versions", true},
		{"tail a file", "x | tail notes.txt", false},
		{"recursive grep", "x | grep -r key .", false},
		{"sort writes a file", "x | sort -o out", false},
		{"cat a path", "x | cat /etc/passwd", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			i := strings.IndexByte(c.s, '|') + 1
			if got := HarmlessFilter(c.s, i); got != c.want {
				t.Errorf("HarmlessFilter(%q, %d) = %v, want %v", c.s, i, got, c.want)
			}
		})
	}
}

// TestTimestampSubstOnlyFormatsTheTime checks that date in a substitution
// that formats the time is a time stamp, and date reading a file or
// setting the clock is not.
func TestTimestampSubstOnlyFormatsTheTime(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"backup file name", "db-$(date +%f).dump", true},
		{"utc switch", "log-$(date -u +%y%m%d).txt", true},
		{"reads a file", "$(date -f /etc/passwd)", false},
		{"sets the clock", "$(date -s 2020-01-01)", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := strings.ReplaceAll(c.s, "+", " ") // the '+' of a format reaches here as a blank
			we := strings.Index(s, "date") + len("date")
			if got := TimestampSubst(s, we, '('); got != c.want {
				t.Errorf("TimestampSubst(%q) = %v, want %v", s, got, c.want)
			}
		})
	}
}

// TestDeviceVerbIsAWholeValue checks that a device verb alone is an enum
// token and one typed as a terminal line is not.
func TestDeviceVerbIsAWholeValue(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{{"reboot", true}, {"shutdown", true}, {"shutdown\n", false}, {"reboot now", false}, {"whoami", false}} {
		if got := DeviceVerb(c.s); got != c.want {
			t.Errorf("DeviceVerb(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestInterpreterRunsLocalScript checks that an interpreter running a
// project's own script is told from one fed code or a dropped file.
func TestInterpreterRunsLocalScript(t *testing.T) {
	for _, c := range []struct {
		name, s, w string
		want       bool
	}{
		{"node app", "node app.js", "node", true},
		{"django manage", "python3 manage.py migrate", "python3", true},
		{"code on the command line", "node -e 'require(\"child_process\")'", "node", false},
		{"dropped file", "python /tmp/x.py", "python", false},
		{"not an interpreter", "cat app.js", "cat", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := InterpreterRunsLocalScript(c.s, c.w, len(c.w)); got != c.want {
				t.Errorf("InterpreterRunsLocalScript(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
