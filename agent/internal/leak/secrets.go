package leak

import (
	"bytes"
)

func (s *scanner) jwt(i int) (int, bool) {
	t := s.text
	if !bytes.HasPrefix(t[i:], []byte("eyJ")) {
		return 0, false
	}
	j := i
	for seg := 0; seg < 3; seg++ {
		st := j
		for j < len(t) && isBase64URL(t[j]) {
			j++
		}
		if j == len(t) && !s.atEOF {
			s.hold(i)
			return 0, false
		}
		if seg < 2 {
			if j-st < 4 || j >= len(t) || t[j] != '.' {
				return 0, false
			}
			if seg == 0 && !bytes.HasPrefix(t[j+1:], []byte("eyJ")) {
				return 0, false
			}
			j++
		}
	}
	return j, true
}

func (s *scanner) awsSecret(i int) (int, bool) {
	t := s.text
	if isBase64(s.before(i)) {
		return 0, false
	}
	j := i
	upper, lower, digit := false, false, false
	for j < len(t) && isBase64(t[j]) {
		c := t[j]
		upper = upper || ('A' <= c && c <= 'Z')
		lower = lower || ('a' <= c && c <= 'z')
		digit = digit || isDigit(c)
		j++
		if j-i > 40 {
			return 0, false
		}
	}
	if j-i != 40 || !(upper && lower && digit) {
		return 0, false
	}
	if j == len(t) && !s.atEOF {
		s.hold(i - secretContext)
		return 0, false
	}
	if j < len(t) && t[j] == '=' {
		return 0, false
	}
	// Only with a telling name close before it: a bare 40-character
	// base64 string is as likely a hash or an id.
	from := i - secretContext
	if from < 0 {
		from = 0
	}
	if !containsFold(t[from:i], "secret") && !containsFold(t[from:i], "aws_sk") {
		return 0, false
	}
	return j, true
}

func (s *scanner) bearer(j int) (int, int, bool) {
	t := s.text
	if j >= len(t) || t[j] != ' ' {
		return 0, 0, false
	}
	for j < len(t) && t[j] == ' ' {
		j++
	}
	st := j
	for j < len(t) && isTokenChar(t[j]) {
		j++
	}
	if j == len(t) && !s.atEOF {
		s.hold(st)
		return 0, 0, false
	}
	if j-st < 8 {
		return 0, 0, false
	}
	return st, j, true
}

// secretNames are the lower-cased fragments of names whose values are
// credentials.
var secretNames = []string{"password", "passwd", "secret", "apikey", "api_key", "api-key", "privatekey", "private_key", "private-key", "credential"}

// notSecretSuffixes are name endings that mark a reference to a secret, not
// the secret itself (secretId, secret_arn, passwordPolicy).
var notSecretSuffixes = []string{"id", "ids", "arn", "name", "manager", "type", "policy", "length", "hint", "url", "s"}

// assignment matches NAME [quote] (: or =) [quote] VALUE where NAME looks
// like a credential name, and returns the span of VALUE.
func (s *scanner) assignment(i int) (int, int, bool) {
	t := s.text
	if isNameChar(s.before(i)) {
		return 0, 0, false
	}
	j := i
	for j < len(t) && isNameChar(t[j]) && j-i <= 64 {
		j++
	}
	if j-i > 64 || !isSecretName(t[i:j]) {
		return 0, 0, false
	}
	if !assignmentFollows(t, j) {
		if !s.atEOF && assignmentUndecided(t, j) {
			s.hold(i)
		}
		return 0, 0, false
	}
	// Optional closing quote of the name, possibly escaped.
	if j < len(t) && t[j] == '\\' {
		j++
	}
	if j < len(t) && (t[j] == '"' || t[j] == '\'') {
		j++
	}
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	if j >= len(t) || (t[j] != ':' && t[j] != '=') {
		if j >= len(t) && !s.atEOF {
			s.hold(i)
		}
		return 0, 0, false
	}
	j++
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	// A PEM block as the value ("privateKey: -----BEGIN ...") is the
	// private-key detector's: it masks the whole block, where an
	// assignment would stop at the first space and leave the key itself.
	if rest := t[j:]; bytes.HasPrefix(rest, pemBegin) {
		return 0, 0, false
	} else if len(rest) < len(pemBegin) && bytes.HasPrefix(pemBegin, rest) && len(rest) > 0 {
		if !s.atEOF {
			s.hold(i)
		}
		return 0, 0, false
	}
	escaped := false
	if j < len(t) && t[j] == '\\' && j+1 < len(t) && (t[j+1] == '"' || t[j+1] == '\'') {
		escaped = true
		j++
	}
	if j >= len(t) {
		if !s.atEOF {
			s.hold(i)
		}
		return 0, 0, false
	}
	var q byte
	if t[j] == '"' || t[j] == '\'' {
		q = t[j]
		j++
	}
	st := j
	for j < len(t) && j-st <= 512 {
		c := t[j]
		if q != 0 {
			if c == q && (escaped == (t[j-1] == '\\')) {
				break
			}
			if c == '\n' {
				break
			}
		} else if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';' || c == '&' || c == '}' || c == ']' || c == '<' || c == '"' || c == '\'' {
			break
		}
		j++
	}
	if j >= len(t) && !s.atEOF {
		s.hold(i)
		return 0, 0, false
	}
	ve := j
	if escaped && ve > st && t[ve-1] == '\\' {
		ve--
	}
	if ve <= st {
		return 0, 0, false
	}
	v := t[st:ve]
	if q == 0 && (string(v) == "null" || string(v) == "true" || string(v) == "false" || v[0] == '{' || v[0] == '[') {
		return 0, 0, false
	}
	return st, ve, true
}

// assignmentFollows reports whether an assignment operator follows a name
// ending at j: [\]["'] [spaces] (: or =). It is the cheap test that keeps
// most words from the name check.
func assignmentFollows(t []byte, j int) bool {
	if j < len(t) && t[j] == '\\' {
		j++
	}
	if j < len(t) && (t[j] == '"' || t[j] == '\'') {
		j++
	}
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	return j < len(t) && (t[j] == ':' || t[j] == '=')
}

// assignmentUndecided reports whether the text ends before an operator
// could follow the name ending at j.
func assignmentUndecided(t []byte, j int) bool {
	if j < len(t) && t[j] == '\\' {
		j++
	}
	if j < len(t) && (t[j] == '"' || t[j] == '\'') {
		j++
	}
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	return j >= len(t)
}

func isSecretName(name []byte) bool {
	hit := false
	for _, n := range secretNames {
		if containsFold(name, n) {
			hit = true
			break
		}
	}
	if !hit && !(len(name) == 3 && containsFold(name, "pwd")) {
		return false
	}
	for _, suf := range notSecretSuffixes {
		if len(name) >= len(suf) && containsFold(name[len(name)-len(suf):], suf) {
			// "credentials", "secrets" are plural references; "secretId" a reference.
			return false
		}
	}
	return true
}

// urlPasswords finds scheme://user:password@host and reports the password.
func (s *scanner) urlPasswords() {
	t := s.text
	off := 0
	for {
		k := bytes.Index(t[off:], []byte("://"))
		if k < 0 {
			return
		}
		p := off + k
		off = p + 3
		if p == 0 || !isLetter(t[p-1]) {
			continue
		}
		j := p + 3
		colon := -1
		for j < len(t) && j-p < 512 {
			c := t[j]
			if c == '@' || c == '/' || c == ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\n' || c == '?' || c == '#' {
				break
			}
			if c == ':' && colon < 0 {
				colon = j
			}
			j++
		}
		if j >= len(t) {
			if !s.atEOF {
				s.hold(p)
			}
			return
		}
		if t[j] != '@' || colon < 0 || colon+1 == j {
			continue
		}
		s.addFrom(URLPassword, colon+1, j, p-1)
		off = j
	}
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemEnd   = []byte("-----END ")
)

// privateKeys finds PEM private key blocks, from BEGIN to the end of the
// END line.
func (s *scanner) privateKeys() {
	t := s.text
	off := 0
	for {
		k := bytes.Index(t[off:], pemBegin)
		if k < 0 {
			// A BEGIN line cut by the end of the text ("-----BEG") is held
			// back: released now, the key after it would pass unmasked.
			if !s.atEOF {
				for n := min(len(pemBegin)-1, len(t)-off); n > 0; n-- {
					if bytes.HasSuffix(t, pemBegin[:n]) {
						s.hold(len(t) - n)
						break
					}
				}
			}
			return
		}
		b := off + k
		off = b + len(pemBegin)
		lineEnd := b + len(pemBegin)
		for lineEnd < len(t) && lineEnd-b < 80 && t[lineEnd] != '\n' && !bytes.HasPrefix(t[lineEnd:], []byte("-----")) {
			lineEnd++
		}
		if lineEnd >= len(t) || lineEnd-b >= 80 {
			if lineEnd >= len(t) && !s.atEOF {
				s.hold(b)
				return
			}
			continue
		}
		if !bytes.HasSuffix(t[b:lineEnd], []byte("PRIVATE KEY")) {
			continue
		}
		limit := b + maxPEM
		if limit > len(t) {
			limit = len(t)
		}
		e := bytes.Index(t[lineEnd:limit], pemEnd)
		end := -1
		if e >= 0 {
			end = lineEnd + e + len(pemEnd)
			// Through the closing dashes of the END line.
			d := bytes.Index(t[end:limit], []byte("-----"))
			if d >= 0 {
				end += d + 5
			} else {
				end = -1
			}
		}
		if end < 0 {
			if limit == len(t) && !s.atEOF {
				s.hold(b)
				return
			}
			// An unterminated key: mask what there is, up to the bound.
			end = limit
		}
		s.add(PrivateKey, b, end)
		off = end
	}
}

// secretContext is how far before a 40-character string a telling name
// ("secret") is looked for.
const secretContext = 80
