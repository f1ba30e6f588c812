package telemetry

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/outbound/leak"
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

// neverLogged reports whether a header name is a credential carrier.
func neverLogged(name string) bool {
	for _, p := range credentialHeaderParts {
		if strings.Contains(name, p) {
			return true
		}
	}
	return false
}

// Redactor decides what of a request reaches a record.
type Redactor struct {
	headers map[string]bool
}

// NewRedactor returns a Redactor logging the given headers (names
// case-insensitive; nil means DefaultHeaders). Credential headers are
// dropped from the list.
func NewRedactor(headers []string) *Redactor {
	if headers == nil {
		headers = DefaultHeaders
	}
	r := &Redactor{headers: make(map[string]bool, len(headers))}
	for _, h := range headers {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" && !neverLogged(h) {
			r.headers[h] = true
		}
	}
	return r
}

// Headers returns the allowlisted headers, multiple values joined by ", ",
// cut and scrubbed.
func (r *Redactor) Headers(h map[string][]string) map[string]string {
	var out map[string]string
	for name, vals := range h {
		name = strings.ToLower(name)
		if !r.headers[name] || neverLogged(name) {
			continue
		}
		if out == nil {
			out = make(map[string]string)
		}
		out[name] = Excerpt(strings.Join(vals, ", "), maxHeaderValue)
	}
	return out
}

// Query returns the query parameter names with their values masked: the
// names say what was sent, the lengths hint at abuse, the values stay out.
func (r *Redactor) Query(q map[string][]string) map[string]string {
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
		out[Excerpt(n, maxName)] = "[" + strconv.Itoa(total) + " bytes]"
	}
	return out
}

// Excerpt cuts s to at most max bytes (on a rune boundary), then masks
// anything credential-like in it (cards, keys, tokens, passwords in URLs).
// Control characters are replaced, so an excerpt cannot forge log lines in
// text viewers.
func Excerpt(s string, max int) string {
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	s = leak.Scrub(s)
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return '�'
			}
			return r
		}, s)
	}
	return s
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

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
