package detect

// How the engine works
//
// Inspect judges one decoded value. A one-pass byte-class mask (the
// prefilter) decides what can apply: a value made only of letters, digits,
// blanks and harmless punctuation ("plain", most names, ids, emails, prose)
// gets only a keyword check (SQL catalogs, Java gadget classes, DOM sinks,
// out-of-band domains, shell phrases) and the SQL keyword lexer; everything
// else goes through the detectors whose byte classes are present. The
// value's key and location pick its likely sink: url/callback/webhook
// parameters are judged as URLs (SSRF, RFI), file/path/template parameters
// as file names, cmd/host/ip parameters as shell arguments, the User-Agent
// header for scanners, "$" keys and "[$op]" locations for NoSQL operators.
// Keys yielded by the decoder (Value.IsKey) are judged as names.
//
// Detectors run most specific first (JNDI, XXE, SSTI, NoSQL, LDAP, session
// fixation, then SQL, XSS, shell, paths, URLs, code; a value holding an
// HTML element is read as HTML before SQL, since attribute quoting also
// fingerprints as SQL). The first finding with
// a score of 8 or more ends the judgement of that value: evidence enough to
// block, and a bound on the work per value when an attacker sends thousands
// of attack values in one body. Other values are still judged.
//
// A value URL-encoded twice, or left percent-encoded by the decoder, is
// judged a second time in the reading an application that decodes once
// more would see; so is a name (a cookie name) left percent-encoded.
//
// Stable rule names, by class (for exclusions and custom rules):
//
//	sqli             sqli-libinjection, sqli-lexer, sqli-catalog, sqli-breakout, sqli-stacked,
//	                 sqli-comment-keyword, sqli-procedure, sqli-magic-number, sqli-fragment (paranoia 2)
//	xss              xss-libinjection, xss-script-url, xss-tag, xss-js-sink, xss-event-handler,
//	                 xss-comment-close, xss-js-escape, xss-breakout-assign (paranoia 2)
//	path-traversal   path-traversal, lfi-sensitive-file, lfi-file-url, null-byte
//	rfi              rfi-include-param, rfi-trailing-question, rfi-ip-url, rfi-wrapper, rfi-data-uri,
//	                 rfi-path-url, rfi-url-confusion (paranoia 2)
//	cmdi             cmdi-separator, cmdi-command, cmdi-shell, cmdi-ifs, cmdi-batch, cmdi-expansion,
//	                 cmdi-glob, cmdi-alias, cmdi-shellshock, cmdi-fork-bomb, cmdi-evasion, cmdi-variable,
//	                 cmdi-sqlite-shell, cmdi-mail-command, cmdi-command-word (paranoia 2)
//	ssrf             ssrf-metadata, ssrf-ip-obfuscation, ssrf-internal, ssrf-scheme, ssrf-file-scheme,
//	                 ssrf-parser-confusion
//	jndi             jndi-lookup, jndi-lookup-obfuscated, log4j-lookup
//	xxe              xxe-external-entity, xxe-parameter-entity, xxe-external-dtd, xml-entity-expansion,
//	                 xml-entity-declaration, xinclude, xslt-injection
//	ssti             ssti-expression, ssti-directive, ssti-conditional
//	nosqli           nosql-operator, nosql-js
//	ldapi            ldap-filter
//	scanner          scanner-user-agent, scanner-probe, oast-domain
//	code-injection   php-open-tag, php-function-call, php-variable-call, php-superglobal,
//	                 php-serialized-object, php-ini-directive, java-class, java-class-name,
//	                 java-serialized-object, node-injection, node-dos, prototype-pollution,
//	                 perl-interpolation, code-injection, script-upload, php-function-name (paranoia 2)
//	session-fixation cookie-set, session-id-param
//	protocol         value-too-long
//
// Scores: 9–10 unambiguous (a JNDI lookup, metadata address, <script>),
// 7–8 strong lexical evidence, 5–6 suspicious on its own (a session id in
// a query string, a fully qualified Java class name), 4 and below weak.
