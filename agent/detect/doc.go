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
// A custom header is named as a parameter is ("X-File-Name" is file_name);
// a standard header's name is the protocol's and names no sink.
// Keys yielded by the decoder (Value.IsKey) are judged as names.
//
// Two things spare the detectors work that cannot find anything: a
// standard header's value written wholly in its header's grammar
// ("application/json", "en-GB,en;q=0.9", "gzip, br") is not judged at all
// (protocol_header.go; a test holds every corpus attack that fits a
// grammar to be one the detectors find nothing in there), and the values
// every request of a client or a route repeats (User-Agent, Origin,
// Referer, client hints, the request path, the names of an API's fields)
// are judged once and their
// benign verdict remembered (repeat_memo.go): judging is a pure function
// of the value and the Engine's options, so the remembered verdict is the
// verdict; attacks are judged every time.
//
// Detectors run most specific first (JNDI, XXE, SSTI, NoSQL, LDAP, session
// fixation, then SQL, XSS, shell, paths, URLs, code; a value holding an
// HTML element is read as HTML before SQL, since attribute quoting also
// fingerprints as SQL). The first finding with
// a score of 8 or more ends the judgement of that value: evidence enough to
// block, and a bound on the work per value when an attacker sends thousands
// of attack values in one body. Other values are still judged.
//
// The engine makes no reading of its own: every decoding a handler may
// apply (a second URL decoding, '+' as a blank, a script string's
// escapes, a cookie name PHP decodes, ...) is one more value the decoder
// (agent/decode) yields, and the engine judges each as it comes.
//
// Rule ids are defined once, in the table of rules.go (Rules): class,
// paranoia level, score, meaning and examples. RULES.md is generated from
// it, the policy validates detection.rules against it, and tests fail when
// a detector emits an id the table lacks or an example stops firing.
//
// Scores: 9–10 unambiguous (a JNDI lookup, metadata address, <script>),
// 7–8 strong lexical evidence, 5–6 suspicious on its own (a session id in
// a query string, a fully qualified Java class name), 4 and below weak.
// SCORING.md writes down the whole scoring in one place: the scores, how
// each reading is weighed against prose, identifiers and data, and how the
// policy turns signals into a decision.
