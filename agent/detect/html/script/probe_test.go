package script

import "testing"

func TestConsoleProbe(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"console.info(1)", 0},
		{`console["info"](1)`, 0},
		{"console.info.call(this,1)", 0},
		{"';console.log(1);//", 2},
		{"console.log(1, 2)<!--", 0},
		{"console.log(json.stringify({ ok: true }));", -1},
		{"console.log(total)", -1},
		{"run console.log(1) in the devtools", -1},
		{"console.log(1) prints 1", -1},
		{"consoles.info(1)", -1},
		{"console.exit(1)", -1},
	} {
		if got := ConsoleProbe(c.s); got != c.want {
			t.Errorf("ConsoleProbe(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
