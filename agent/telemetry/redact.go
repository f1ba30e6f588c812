package telemetry

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
)

// Bounds on what one record carries, so that a hostile request cannot make
// its own log line large.
const (
	MaxExcerpt     = 128 // bytes of a signal excerpt
	maxHeaderValue = 256
	maxName        = 64
	maxQueryParams = 32
	maxSignals     = 32
	maxLocation    = 128
	maxEventKeys   = 32
)

// DefaultHeaders are the request headers logged unless configured
// otherwise: what helps to triage an attack and identifies no one.
var DefaultHeaders = []string{
	"accept", "accept-encoding", "accept-language", "content-encoding",
	"content-length", "content-type", "host", "origin", "user-agent",
	"x-amzn-trace-id", "x-forwarded-port", "x-forwarded-proto",
}

// credentialHeaderParts are fragments of header names that are never
// logged, even when allowlisted: the allowlist is a convenience, this is
// the rule.
var credentialHeaderParts = []string{
	"authorization", "cookie", "token", "secret", "password", "passwd",
	"api-key", "apikey", "x-api", "session", "credential", "signature",
	"x-amz-security", "x-amz-date", "auth", "jwt", "csrf", "xsrf", "key",
}

// DefaultSensitiveNames are fragments of names (headers, parameters, JSON
// members, cookies, attributes) whose values never appear in a record:
// the credential header fragments plus the usual names of personal data.
// LAMBDAWAF_SENSITIVE_NAMES adds to them.
var DefaultSensitiveNames = append(slices.Clone(credentialHeaderParts),
	"pass", "pwd", "ssn", "card", "cvv", "cvc", "iban", "email", "phone", "mobile", "birth", "otp", "pin")

// personalNames are names whose values identify a person, matched whole
// (a fragment match on "name" would hide file and host names, which carry
// attacks): the OpenID Connect standard claims and Cognito's attributes.
var personalNames = []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
	"username", "address", "street_address", "locale", "zoneinfo", "gender", "birthdate", "picture", "profile", "website"}

// personalPrefixes are locations whose every value is personal data:
// Cognito's user attributes.
var personalPrefixes = []string{"request.userattributes."}

// neverLogged reports whether a header name is a credential carrier.
func neverLogged(name string) bool {
	for _, p := range credentialHeaderParts {
		if strings.Contains(name, p) {
			return true
		}
	}
	return false
}

// Redactor is the one place that decides what of a request may leave the
// agent: every string of a record (excerpts, locations, keys, reasons,
// errors, header values, query names, event keys) goes through it, and
// metrics and Firehose carry only what records carry. What it guarantees:
//
//   - Values of cookies, of authorization, x-api-key and other credential
//     headers, of identity claims, and of anything under a sensitive name
//     (DefaultSensitiveNames plus the configured ones) never appear: a
//     signal at such a location has no excerpt, and any occurrence of such
//     a value elsewhere, whole or an 8-byte piece of it, is replaced by
//     "[redacted]".
//   - E-mail addresses, phone and other long numbers (card fragments, IP
//     addresses), and long tokens and keys are masked wherever they
//     stand, names included ("[email]", "[number]", "[token]"), after the
//     credential scrubbing of package leak (cards, JWTs, AWS keys...).
//   - Control characters are replaced, so no string can forge log lines.
type Redactor struct {
	headers   map[string]bool
	sensitive *fragments
	clean     cleanValues // header values that scrub to themselves
}

// NewRedactor returns a Redactor logging the given headers (names
// case-insensitive; nil means DefaultHeaders; credential headers are
// dropped from the list) and treating names containing any of sensitive
// (case-insensitive fragments) as sensitive, besides DefaultSensitiveNames.
func NewRedactor(headers []string, sensitive ...string) *Redactor {
	if headers == nil {
		headers = DefaultHeaders
	}
	r := &Redactor{headers: make(map[string]bool, len(headers)), clean: newCleanValues()}
	for _, h := range headers {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" && !neverLogged(h) {
			r.headers[h] = true
		}
	}
	names := slices.Clone(DefaultSensitiveNames)
	for _, n := range sensitive {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	r.sensitive = newFragments(names)
	// What Headers logs is decided here once: an allowlisted name that is
	// also sensitive is not logged.
	for h := range r.headers {
		if r.sensitiveName(h) {
			delete(r.headers, h)
		}
	}
	return r
}

// sensitiveName reports whether a name's values must never appear: it is
// a personal name, or holds a sensitive fragment, lowercased.
func (r *Redactor) sensitiveName(name string) bool {
	if isASCII(name) {
		for _, p := range personalNames {
			if len(p) == len(name) && equalLowerASCII(name, p) {
				return true
			}
		}
	} else if slices.Contains(personalNames, strings.ToLower(name)) {
		return true
	}
	return r.sensitive.in(name)
}

// SensitiveLocation reports whether the value at a decode location (see
// package decode) is one whose text never appears: cookies, identity
// claims, credential headers, and values under a sensitive name at any
// level of the path.
func (r *Redactor) SensitiveLocation(loc string) bool {
	l := strings.ToLower(loc)
	if strings.HasPrefix(l, "cookie.") || strings.HasPrefix(l, "auth.") || l == "header.cookie" {
		return true
	}
	for _, p := range personalPrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	for part := range strings.FieldsFuncSeq(l, func(r rune) bool { return r == '.' || r == '[' || r == ']' || r == '@' }) {
		if r.sensitiveName(part) {
			return true
		}
	}
	return false
}

// Scrubber redacts the strings of one request's record: it knows the
// request's secret values.
type Scrubber struct {
	r       *Redactor
	secrets []string
	grams   gramSet // every 8-byte piece of every secret
}

// minSecret is the shortest value treated as a secret: shorter ones
// ("1", "yes") would mask half of every excerpt and identify no one.
const minSecret = 4

// gram is the length of the secret pieces looked for in other strings, so
// that an excerpt cut in the middle of a secret does not show the rest.
const gram = 8

// ForRequest returns the Scrubber for req's record (req may be nil). It
// collects req's secret values: every cookie, every value under a
// sensitive header, parameter, record attribute or field name or location
// (personal names, Cognito user attributes), and every identity claim.
func (r *Redactor) ForRequest(req *event.Request) *Scrubber {
	s := &Scrubber{r: r}
	if req == nil {
		return s
	}
	add := func(v string) {
		if len(v) >= minSecret {
			s.secrets = append(s.secrets, v)
		}
	}
	for _, vs := range req.Cookies {
		for _, v := range vs {
			add(v)
		}
	}
	for _, m := range []map[string][]string{req.Headers, req.Query} {
		for name, vs := range m {
			if r.sensitiveName(name) {
				for _, v := range vs {
					add(v)
					if _, cred, ok := strings.Cut(v, " "); ok {
						add(strings.TrimSpace(cred)) // the credential without its scheme
					}
				}
			}
		}
	}
	for _, v := range req.Claims {
		add(v)
	}
	for _, f := range req.Fields {
		if !f.IsKey && (f.Part == event.PartIdentity || r.sensitiveName(f.Key) || r.SensitiveLocation(f.Location)) {
			add(f.Text)
		}
	}
	for _, rec := range req.Records {
		for name, v := range rec.Attributes {
			if r.sensitiveName(name) {
				add(v)
			}
		}
	}
	n := 0
	for _, v := range s.secrets {
		n += max(0, len(v)-gram+1)
	}
	s.grams.reserve(n)
	for _, v := range s.secrets {
		s.grams.add(v)
	}
	return s
}

// Text returns s with the request's secrets, credentials and personal
// data masked, cut to at most max bytes (on a rune boundary) and free of
// control characters.
func (s *Scrubber) Text(str string, max int) string {
	if str == "" {
		return ""
	}
	str, _ = s.maskSecrets(str)
	return scrubText(str, max)
}

// scrubText is Text once the request's own secrets are masked: what
// depends on str alone.
func scrubText(str string, max int) string {
	str = maskPersonal(leak.Scrub(str))
	if len(str) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(str[cut]) {
			cut--
		}
		str = str[:cut] + "…"
	}
	if strings.IndexFunc(str, isControl) >= 0 {
		str = strings.Map(func(r rune) rune {
			if isControl(r) {
				return '�'
			}
			return r
		}, str)
	}
	return str
}

// Excerpt is the excerpt of a signal at loc: none for a sensitive
// location, else the scrubbed text.
func (s *Scrubber) Excerpt(loc, excerpt string) string {
	if s.r.SensitiveLocation(loc) {
		return ""
	}
	return s.Text(excerpt, MaxExcerpt)
}

// maskSecrets replaces every occurrence of a secret, and every byte
// covered by an 8-byte piece of one, with "[redacted]", and reports
// whether it found any.
func (s *Scrubber) maskSecrets(str string) (string, bool) {
	if len(s.secrets) == 0 {
		return str, false
	}
	var hit []bool
	mark := func(from, to int) {
		if hit == nil {
			hit = make([]bool, len(str))
		}
		for i := from; i < to; i++ {
			hit[i] = true
		}
	}
	for _, v := range s.secrets {
		for off := 0; ; {
			i := strings.Index(str[off:], v)
			if i < 0 {
				break
			}
			mark(off+i, off+i+len(v))
			off += i + len(v)
		}
	}
	for i := 0; i+gram <= len(str) && !s.grams.empty(); i++ {
		if s.grams.has(str, i) {
			mark(i, i+gram)
		}
	}
	if hit == nil {
		return str, false
	}
	var b strings.Builder
	for i := 0; i < len(str); {
		if !hit[i] {
			b.WriteByte(str[i])
			i++
			continue
		}
		for i < len(str) && hit[i] {
			i++
		}
		b.WriteString("[redacted]")
	}
	return b.String(), true
}

// Excerpt cuts s to at most max bytes, masking credentials and personal
// data first: the Scrubber of a request without secrets.
func Excerpt(s string, max int) string {
	return (&Scrubber{r: defaultRedactor}).Text(s, max)
}

var defaultRedactor = NewRedactor(nil)

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// maskPersonal masks e-mail addresses ("[email]"), runs of nine or more
// digits with the separators of phone, card and IP notation ("[number]"),
// and tokens: runs of 24 or more letters, digits and -_+/= holding both
// letters and digits ("[token]"). One forward pass per kind.
func maskPersonal(s string) string {
	s = maskEmails(s)
	s = maskRuns(s, &numberBytes, func(run string) bool { return countDigits(run) >= 9 }, "[number]")
	return maskRuns(s, &tokenBytes, func(run string) bool {
		return len(run) >= 24 && countDigits(run) > 0 && strings.IndexFunc(run, isLetter) >= 0
	}, "[token]")
}

// maskEmails masks every run of address characters around an '@' (or its
// percent-encoding %40), whatever is on either side: an excerpt cut in
// the middle of an address masks what is left of it.
func maskEmails(s string) string {
	if !strings.Contains(s, "@") && !strings.Contains(s, "%40") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		at := 0
		switch {
		case s[i] == '@':
			at = 1
		case strings.HasPrefix(s[i:], "%40"):
			at = 3
		default:
			continue
		}
		l := i
		for l > last && isAddressByte(s[l-1]) {
			l--
		}
		r := i + at
		for r < len(s) && isAddressByte(s[r]) {
			r++
		}
		if l == i && r == i+at {
			continue // a lone '@'
		}
		b.WriteString(s[last:l])
		b.WriteString("[email]")
		last, i = r, r-1
	}
	b.WriteString(s[last:])
	return b.String()
}

func isAddressByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-", c) >= 0
}

// numberBytes and tokenBytes are the bytes of the runs maskPersonal reads
// as a number (a phone, card or account number with its punctuation) and
// as a token, as tables: a record reads every byte of its strings so.
var numberBytes, tokenBytes = byteTable("0123456789 -.()+/"), byteTable("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_+/=")

func byteTable(bytes string) (t [256]bool) {
	for i := 0; i < len(bytes); i++ {
		t[bytes[i]] = true
	}
	return t
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// maskRuns replaces each maximal run of bytes in class that masks accepts.
// Separator-only edges (spaces, dots) are kept outside the mask.
func maskRuns(s string, in *[256]bool, masks func(string) bool, with string) string {
	var b strings.Builder
	last := 0
	changed := false
	for i := 0; i < len(s); {
		if !in[s[i]] {
			i++
			continue
		}
		j := i
		for j < len(s) && in[s[j]] {
			j++
		}
		l, r := i, j
		for l < r && !isAlnum(s[l]) {
			l++
		}
		for r > l && !isAlnum(s[r-1]) {
			r--
		}
		if l < r && masks(s[l:r]) {
			b.WriteString(s[last:l])
			b.WriteString(with)
			last, changed = r, true
		}
		i = j
	}
	if !changed {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Headers returns the allowlisted headers, multiple values joined by ", ",
// cut and scrubbed.
func (s *Scrubber) Headers(h map[string][]string) map[string]string {
	var out map[string]string
	for name, vals := range h {
		name = strings.ToLower(name)
		if !s.r.headers[name] { // allowlisted, and neither a credential nor sensitive (NewRedactor)
			continue
		}
		if out == nil {
			out = make(map[string]string)
		}
		out[name] = s.headerValue(strings.Join(vals, ", "))
	}
	return out
}

// headerValue is Text(v, maxHeaderValue), answered from the Redactor's
// memo when v is a value known to scrub to itself and holds none of the
// request's secrets: clients send the same Accept, Host and User-Agent
// with every request, and scrubbing one (credentials, personal data) cost
// about a fifth of an allowed event's record.
func (s *Scrubber) headerValue(v string) string {
	if v == "" {
		return ""
	}
	masked, hit := s.maskSecrets(v)
	if hit {
		return scrubText(masked, maxHeaderValue)
	}
	if s.r.clean.has(v) {
		return v
	}
	out := scrubText(v, maxHeaderValue)
	if out == v {
		s.r.clean.add(v)
	}
	return out
}

// Query returns the query parameter names, scrubbed, with their values
// masked: the names say what was sent, the lengths hint at abuse, the
// values stay out.
func (s *Scrubber) Query(q map[string][]string) map[string]string {
	if len(q) == 0 {
		return nil
	}
	names := sortedKeys(q)
	if len(names) > maxQueryParams {
		names = names[:maxQueryParams]
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		total := 0
		for _, v := range q[n] {
			total += len(v)
		}
		out[s.Text(n, maxName)] = "[" + strconv.Itoa(total) + " bytes]"
	}
	return out
}

// Pseudonym prefixes.
const (
	SourcePrefix = "ip_"
	UserPrefix   = "usr_"
)

// Pseudonym returns prefix followed by the first 64 bits, in hex, of
// HMAC-SHA256(key, prefix || value). Without the key the pseudonym cannot be
// reversed by enumerating addresses; with it, the same value always gives
// the same pseudonym, so events correlate. The prefix is part of the MAC
// input, so an address and a user name never share a pseudonym.
func Pseudonym(key []byte, prefix, value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(prefix))
	m.Write([]byte(value))
	var sum [sha256.Size]byte
	return prefix + hex.EncodeToString(m.Sum(sum[:0])[:8])
}

// userClaims are the identity claims tried, in order, as the user id, in
// the names event.Parse gives them: JWT claims of HTTP APIs ("jwt."),
// Cognito user-pool claims of REST APIs ("claims."), Lambda authorizer
// context ("authorizer.", "lambda."), IAM callers ("identity.", "iam.").
var userClaims = []string{
	"jwt.sub", "claims.sub", "jwt.username", "claims.cognito:username", "jwt.cognito:username",
	"authorizer.principalId", "lambda.principalId", "lambda.sub", "lambda.userId",
	"iam.userArn", "identity.userArn", "iam.cognitoIdentityId", "identity.cognitoIdentityId",
	"identity.user", "iam.userId", "jwt.client_id", "jwt.email", "claims.email",
	"identity.sourceArn", "identity.principalOrgId",
	// Unprefixed names, for claims set by other means.
	"sub", "username", "principalId", "userArn", "email",
}

// userID picks the user identifier from identity claims.
func userID(claims map[string]string) string {
	for _, c := range userClaims {
		if v := claims[c]; v != "" {
			return v
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
