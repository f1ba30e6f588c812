package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Inline CSS and database connection strings: configuration and rich text
// that paranoia 1 lets through, next to the attacks of the same shape it
// must still catch.
func TestInertStyleAndDatabaseURLs(t *testing.T) {
	tests := []struct {
		name  string
		v     string
		loc   func(string, string) event.Value
		want1 string // rule at paranoia 1, "" for no attack signal
		want2 string // rule at paranoia 2
	}{
		{"rich text alignment", `<p style="text-align:center;color:#333">Welcome</p>`, body, "", "xss-libinjection"},
		{"rich text rgb", `<span style="color: rgb(51, 51, 51); font-weight: bold">Total</span>`, body, "", "xss-libinjection"},
		{"style with expression", `<p style="width:expression(alert(1))">x</p>`, body, "*", "*"},
		{"style with url", `<div style="background:url(javascript:alert(1))">x</div>`, body, "*", "*"},
		{"style with escape", `<p style="x:\65xpression(alert(1))">x</p>`, body, "*", "*"},
		{"style and handler", `<p style="color:red" onmouseover="alert(1)">x</p>`, body, "*", "*"},
		{"style and script", `<p style="color:red">x</p><script>alert(1)</script>`, body, "*", "*"},
		{"unquoted style", `<p style=color:red onclick=alert(1)>x</p>`, body, "*", "*"},
		{"database url in settings", "DATABASE_URL=postgres://app:secret@db.internal:5432/app", body, "", "ssrf-scheme"},
		{"redis dsn", "redis://cache.internal:6379/0", body, "", "ssrf-scheme"},
		{"redis url to fetch", "redis://127.0.0.1:6379/", q, "*", "*"},
		{"gopher anywhere", "gopher://127.0.0.1:6379/_FLUSHALL", body, "ssrf-scheme", "ssrf-scheme"},
		{"dict anywhere", "dict://127.0.0.1:11211/stats", body, "ssrf-scheme", "ssrf-scheme"},
	}
	e1, e2 := New(Options{}), New(Options{Paranoia: 2})
	for _, tt := range tests {
		for lvl, e := range []*Engine{e1, e2} {
			want := tt.want1
			if lvl == 1 {
				want = tt.want2
			}
			key := "html"
			if tt.name == "redis url to fetch" {
				key = "url"
			}
			sigs := e.Inspect(tt.loc(key, tt.v), nil)
			got := ""
			for _, s := range sigs {
				if s.Class.IsAttack() {
					got = s.Rule
					break
				}
			}
			if want == "*" && got == "" || want != "*" && got != want {
				t.Errorf("%s at paranoia %d: rule %q, want %q", tt.name, lvl+1, got, want)
			}
		}
	}
}

// Prose inside comments does not make code a sentence: the allowance for
// code named in English prose must not let a payload hide behind a
// comment, nor behind PHP's close tag.
func TestCodeBehindCommentsIsCode(t *testing.T) {
	e := New(Options{})
	for _, s := range []string{
		"system('id'); // run this now please and thanks for all the fish",
		"system('cat /etc/passwd'); # this is a simple comment and that is another comment",
		"eval(base64_decode('aWQ=')); /* hello my dear friend how are you doing today */",
		"require('child_process').exec('id') // hello my dear friend how are you doing today",
		"__import__('os').system('id') # hello my dear friend how are you doing today",
		"Runtime.getRuntime().exec('id') // hello my dear friend how are you doing today",
		"system('id'); ?> hello my dear friend, how are you doing today and tomorrow",
	} {
		if !attacked(e.Inspect(body("comment", s), nil)) {
			t.Errorf("%q: no attack signal", s)
		}
	}
	for _, s := range []string{
		"Python tip: use subprocess.run([\"ls\", \"-l\"]) rather than os.system; it avoids the shell.",
		"Prefer execFile over exec in Node because it does not spawn a shell for you.",
	} {
		if attacked(e.Inspect(body("comment", s), nil)) {
			t.Errorf("%q: prose flagged", s)
		}
	}
}

func attacked(sigs []Signal) bool {
	for _, s := range sigs {
		if s.Class.IsAttack() {
			return true
		}
	}
	return false
}
