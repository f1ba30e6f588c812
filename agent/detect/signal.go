// Package detect judges decoded values in the grammar of their likely sink
// (SQL, HTML/JS, shell, file paths, URLs, JNDI, templates, NoSQL, LDAP, XML)
// and reports what it finds as signals. It decides nothing: policy does.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package detect

// Class is the attack class of a signal.
type Class string

// The attack classes lambdawaf detects.
const (
	SQLi          Class = "sqli"
	XSS           Class = "xss"
	PathTraversal Class = "path-traversal" // and local file inclusion
	RFI           Class = "rfi"
	CommandInj    Class = "cmdi"
	SSRF          Class = "ssrf"
	JNDI          Class = "jndi" // Log4Shell-style lookups
	XXE           Class = "xxe"  // and XML injection
	SSTI          Class = "ssti"
	NoSQLi        Class = "nosqli"
	LDAPi         Class = "ldapi"
	Scanner       Class = "scanner"  // attack tools and scanners
	Protocol      Class = "protocol" // malformed or evasive encodings

	// Added by the detection engine (additive to the original contract).
	CodeInj         Class = "code-injection"   // PHP, Java, Node.js, Ruby, Python code and deserialization
	SessionFixation Class = "session-fixation" // cookies set from input, session ids in parameters
	HeaderInj       Class = "header-injection" // CRLF injection of mail or HTTP headers
)

// Classes lists every class in a stable order.
var Classes = []Class{SQLi, XSS, PathTraversal, RFI, CommandInj, SSRF, JNDI, XXE, SSTI, NoSQLi, LDAPi, Scanner, Protocol, CodeInj, SessionFixation, HeaderInj}

// IsAttack reports whether signals of the class indicate an attack on the
// application, as opposed to Protocol findings about the request's encoding.
func (c Class) IsAttack() bool { return c != Protocol && c != "" }

// Signal is one finding about one value.
type Signal struct {
	Class Class
	// Location is the event.Value's Location.
	Location string
	// Record is the batch record index, or -1.
	Record int
	// Rule names what matched, e.g. "sqli-libinjection", "cmdi-separator",
	// "ssrf-metadata": an id of the rule table (rules.go), stable, so
	// exclusions and custom rules can refer to it.
	Rule string
	// Excerpt is a short, bounded excerpt around the match with anything
	// secret-looking scrubbed; never the whole value.
	Excerpt string
	// Score is a confidence from 1 (weak) to 10 (certain).
	Score int
}
