// Package leak finds sensitive data in text: payment card numbers, national
// identifiers, cloud credentials, private keys, stack traces and database
// error messages. It is shared by outbound inspection, which masks what a
// handler is about to return, and by telemetry, which scrubs excerpts before
// they are logged, so that "what counts as a secret" is decided in one place.
//
// Every check is a single forward pass with bounded look-around; there is no
// backtracking, so the cost is linear in the input whatever it contains.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package leak

import (
	"bytes"
	"strings"
)

// Kind is a class of sensitive data. Kinds combine as a bit set.
type Kind uint32

// The kinds of sensitive data the scanner knows.
const (
	Card         Kind = 1 << iota // payment card number, Luhn-checked
	SSN                           // US social security number, with validity rules
	CPF                           // Brazilian CPF, check digits verified
	SpanishID                     // Spanish DNI/NIE, check letter verified
	AWSAccessKey                  // AWS access key id (AKIA..., ASIA...)
	AWSSecretKey                  // 40-character AWS secret access key next to a telling name
	Secret                        // value assigned to a password/secret-like name
	PrivateKey                    // PEM private key block
	StackTrace                    // Go, Java, Python or Node stack trace line
	DBError                       // MySQL, Postgres, SQL Server, Oracle or SQLite error message
	JWT                           // JSON Web Token
	BearerToken                   // "Bearer <token>" credential
	URLPassword                   // password embedded in a URL's userinfo
)

// Sets of kinds used by the rest of the agent.
const (
	// Outbound is what response inspection looks for by default.
	Outbound = Card | SSN | CPF | SpanishID | AWSAccessKey | AWSSecretKey | Secret | PrivateKey | StackTrace | DBError
	// Credentials is what must never reach a log line.
	Credentials = Card | SSN | CPF | SpanishID | AWSAccessKey | AWSSecretKey | Secret | PrivateKey | JWT | BearerToken | URLPassword
	// All is every kind.
	All = Outbound | Credentials
)

var kindNames = []struct {
	k    Kind
	name string
}{
	{Card, "card"}, {SSN, "ssn"}, {CPF, "cpf"}, {SpanishID, "es-id"},
	{AWSAccessKey, "aws-access-key"}, {AWSSecretKey, "aws-secret-key"}, {Secret, "secret"},
	{PrivateKey, "private-key"}, {StackTrace, "stack-trace"}, {DBError, "db-error"},
	{JWT, "jwt"}, {BearerToken, "bearer-token"}, {URLPassword, "url-password"},
}

// String names a single kind ("card", "aws-access-key"), or joins a set with "|".
func (k Kind) String() string {
	var parts []string
	for _, kn := range kindNames {
		if k&kn.k != 0 {
			parts = append(parts, kn.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// ParseKind returns the kind named name (as printed by String).
func ParseKind(name string) (Kind, bool) {
	for _, kn := range kindNames {
		if kn.name == name {
			return kn.k, true
		}
	}
	return 0, false
}

// Finding is one piece of sensitive data: the bytes text[Start:End] should be
// masked.
type Finding struct {
	Kind       Kind
	Start, End int
	// from is where the evidence for the finding starts: before Start when
	// a preceding name made the match ("password=", "Bearer ", "secret").
	from int
}

// MaxToken bounds the length of every construct the scanner recognises
// without a terminator (cards, identifiers, keys, markers). Streaming callers
// keep this many bytes of overlap between chunks.
const MaxToken = 96

// maxLine bounds how far a stack-trace or database-error mask extends to
// the end of its line.
const maxLine = 1024

// maxPEM bounds the size of a private key block.
const maxPEM = 16 << 10

// Find reports the sensitive data of the given kinds in text, in order of
// Start. Findings never overlap.
//
// When atEOF is false, text is a prefix of a longer stream: constructs that
// touch the end of text may be incomplete and are not reported, and safe is
// the offset before which every finding is final, so the caller may emit
// text[:safe] (masked) and keep the rest for the next call. When atEOF is
// true, safe is len(text).
func Find(text []byte, kinds Kind, atEOF bool) (findings []Finding, safe int) {
	return find(text, kinds, atEOF, !atEOF)
}

// Release is Find for a stream that has paused: text may continue later,
// but the caller wants to release what it can now. Only constructs that are
// demonstrably incomplete (a run of digits or key characters, a credential
// name or a marker line touching the end) are held back, not the blanket
// MaxToken overlap, so a pause in an interactive stream releases its bytes
// while a card number cut by the pause stays held.
func Release(text []byte, kinds Kind) (findings []Finding, safe int) {
	return find(text, kinds, false, false)
}

func find(text []byte, kinds Kind, atEOF, overlap bool) (findings []Finding, safe int) {
	s := scanner{text: text, kinds: kinds, atEOF: atEOF, safe: len(text)}
	s.run()
	if overlap {
		s.hold(len(text) - MaxToken)
	}
	if s.safe < 0 {
		s.safe = 0
	}
	// A finding whose evidence starts before safe is complete (it was
	// reported), so emitting through its end is safe; one whose evidence
	// starts at or after safe will be found again in the next call.
	out := s.findings[:0]
	for _, f := range s.findings {
		if f.from < s.safe {
			// Its evidence begins before safe and would be emitted now: the
			// finding must be too (it is complete, or it would not exist).
			out = append(out, f)
			if f.End > s.safe {
				s.safe = f.End
			}
		}
	}
	return out, s.safe
}

// Contains reports whether text holds any sensitive data of the given kinds.
func Contains(text []byte, kinds Kind) bool {
	f, _ := Find(text, kinds, true)
	return len(f) > 0
}

// Mask returns text with every finding replaced by its mask (see MaskOf).
// It returns text itself when there is nothing to mask.
func Mask(text []byte, findings []Finding) []byte {
	if len(findings) == 0 {
		return text
	}
	var b bytes.Buffer
	b.Grow(len(text))
	last := 0
	for _, f := range findings {
		if f.Start < last {
			continue
		}
		b.Write(text[last:f.Start])
		b.WriteString(MaskOf(f.Kind, text[f.Start:f.End]))
		last = f.End
	}
	b.Write(text[last:])
	return b.Bytes()
}

// Scrub masks every credential-like value in s; it is what telemetry
// applies to any excerpt of user input before logging it.
func Scrub(s string) string {
	f, _ := Find([]byte(s), Credentials, true)
	if len(f) == 0 {
		return s
	}
	return string(Mask([]byte(s), f))
}

// MaskOf returns the replacement for one finding. Cards keep their last four
// digits and access key ids their four-letter prefix, which is what support
// staff need to recognise them; everything else is replaced outright. The
// mask never contains a quote, backslash or control character, so it can be
// spliced into JSON or HTML text as is.
func MaskOf(k Kind, b []byte) string {
	switch k {
	case Card:
		// Keep separators and the last four digits.
		out := []byte(string(b))
		digits := 0
		for i := len(out) - 1; i >= 0; i-- {
			if isDigit(out[i]) {
				digits++
				if digits > 4 {
					out[i] = '*'
				}
			}
		}
		return string(out)
	case SSN:
		return "***-**-****"
	case AWSAccessKey:
		return string(b[:4]) + strings.Repeat("*", len(b)-4)
	case StackTrace:
		return "[stack trace redacted]"
	case DBError:
		return "[database error redacted]"
	case PrivateKey:
		return "[private key redacted]"
	default:
		return "[" + k.String() + " redacted]"
	}
}
