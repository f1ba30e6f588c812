package leak

import (
	"bytes"
	"sort"
)

// scanner is the state of one Find call.
type scanner struct {
	text     []byte
	kinds    Kind
	atEOF    bool
	safe     int
	findings []Finding
}

func (s *scanner) hold(at int) {
	if at < s.safe {
		s.safe = at
	}
}

func (s *scanner) add(k Kind, start, end int) {
	s.addFrom(k, start, end, start)
}

// addFrom records a finding whose evidence starts at from.
func (s *scanner) addFrom(k Kind, start, end, from int) {
	s.findings = append(s.findings, Finding{Kind: k, Start: start, End: end, from: min(from, start)})
}

func (s *scanner) run() {
	t := s.text
	n := len(t)
	if s.kinds&(Card|SSN|CPF|SpanishID|AWSAccessKey|AWSSecretKey|Secret|JWT|BearerToken) != 0 {
		i := 0
		for i < n {
			c := t[i]
			if !isAlnum(c) {
				i++
				continue
			}
			// i starts an alphanumeric run.
			end := i
			for end < n && isAlnum(t[end]) {
				end++
			}
			if end == n && !s.atEOF {
				// The run may continue in the next chunk; keep the context
				// an AWS secret key needs before it, too, when there is one.
				from := i
				if s.kinds&AWSSecretKey != 0 && containsFold(t[max(0, i-secretContext):i], "secret") {
					from = i - secretContext
				}
				s.hold(from)
				break
			}
			next := s.token(i, end)
			if next < end {
				next = end
			}
			i = next
		}
	}
	if s.kinds&URLPassword != 0 {
		s.urlPasswords()
	}
	if s.kinds&PrivateKey != 0 {
		s.privateKeys()
	}
	if s.kinds&StackTrace != 0 {
		s.markers(StackTrace, traceMarkers)
	}
	if s.kinds&DBError != 0 {
		s.markers(DBError, dbMarkers)
	}
	s.normalise()
}

// normalise sorts findings and merges overlapping ones.
func (s *scanner) normalise() {
	f := s.findings
	if len(f) < 2 {
		return
	}
	sort.SliceStable(f, func(i, j int) bool { return f[i].Start < f[j].Start })
	out := f[:1]
	for _, x := range f[1:] {
		last := &out[len(out)-1]
		if x.Start < last.End {
			if x.End > last.End {
				last.End = x.End
			}
			continue
		}
		out = append(out, x)
	}
	s.findings = out
}

// token examines the alphanumeric run t[start:end] (start is at a run
// boundary) and reports findings that begin there. It returns the offset
// where scanning should resume.
func (s *scanner) token(start, end int) int {
	t := s.text
	c := t[start]
	if isDigit(c) {
		if s.kinds&SSN != 0 {
			if e, ok := s.ssn(start); ok {
				s.add(SSN, start, e)
				return e
			}
		}
		if s.kinds&CPF != 0 {
			if e, ok := s.cpf(start); ok {
				s.add(CPF, start, e)
				return e
			}
		}
		if s.kinds&SpanishID != 0 {
			if e, ok := s.spanishID(start, end); ok {
				s.add(SpanishID, start, e)
				return e
			}
		}
		if s.kinds&Card != 0 {
			if e, ok := s.card(start); ok {
				s.add(Card, start, e)
				return e
			}
		}
	}
	// A key id glued to more characters (a truncation, a copy-paste) is
	// still masked: false positives cost little here.
	if s.kinds&AWSAccessKey != 0 && end-start >= 20 && isAWSKeyID(t[start:start+20]) {
		s.add(AWSAccessKey, start, start+20)
		return end
	}
	if s.kinds&SpanishID != 0 && (c == 'X' || c == 'Y' || c == 'Z') && end-start == 9 && validNIE(t[start:end]) {
		s.add(SpanishID, start, end)
		return end
	}
	if s.kinds&JWT != 0 && c == 'e' {
		if e, ok := s.jwt(start); ok {
			s.add(JWT, start, e)
			return e
		}
	}
	if s.kinds&AWSSecretKey != 0 {
		if e, ok := s.awsSecret(start); ok {
			s.addFrom(AWSSecretKey, start, e, start-secretContext)
			return e
		}
	}
	if s.kinds&BearerToken != 0 && (c == 'B' || c == 'b') && end-start == 6 && bytes.EqualFold(t[start:end], []byte("bearer")) {
		if vs, ve, ok := s.bearer(end); ok {
			s.addFrom(BearerToken, vs, ve, start)
			return ve
		}
	}
	if s.kinds&Secret != 0 && isLetter(c) {
		if vs, ve, ok := s.assignment(start); ok {
			s.addFrom(Secret, vs, ve, start)
			return ve
		}
	}
	return end
}

// before returns the byte before i, or 0.
func (s *scanner) before(i int) byte {
	if i > 0 {
		return s.text[i-1]
	}
	return 0
}

// numericBoundaryBefore reports whether a number may start at i: not glued
// to a word or the fractional part of a decimal.
func (s *scanner) numericBoundaryBefore(i int) bool {
	b := s.before(i)
	if isAlnum(b) {
		return false
	}
	if (b == '.' || b == ',') && i >= 2 && isDigit(s.text[i-2]) {
		return false
	}
	return true
}

// boundaryAfter reports whether a token may end at i. At the end of a
// non-final chunk the answer is unknown, reported as false with the
// position held.
func (s *scanner) boundaryAfter(i int) bool {
	t := s.text
	if i >= len(t) {
		if !s.atEOF {
			return false
		}
		return true
	}
	if isAlnum(t[i]) {
		return false
	}
	// "1234.5" continues a number.
	if (t[i] == '.' || t[i] == ',') && i+1 < len(t) && isDigit(t[i+1]) {
		return false
	}
	return true
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func isBase64(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }
func isBase64URL(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_'
}
func isNameChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }
func isTokenChar(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '='
}

func containsFold(b []byte, lowerNeedle string) bool {
	n := len(lowerNeedle)
	for i := 0; i+n <= len(b); i++ {
		ok := true
		for k := 0; k < n; k++ {
			c := b[i+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lowerNeedle[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
