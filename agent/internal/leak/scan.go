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

// digitsAt matches a pattern of digit groups separated by fixed bytes,
// e.g. {3,'-',2,'-',4}.
func (s *scanner) digitsAt(i int, groups []int, seps []byte) (int, bool) {
	t := s.text
	for g, width := range groups {
		for k := 0; k < width; k++ {
			if i >= len(t) || !isDigit(t[i]) {
				return 0, false
			}
			i++
		}
		if g < len(seps) {
			if i >= len(t) || t[i] != seps[g] {
				return 0, false
			}
			i++
		}
	}
	return i, true
}

func (s *scanner) ssn(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	e, ok := s.digitsAt(i, []int{3, 2, 4}, []byte{'-', '-'})
	if !ok || !s.boundaryAfter(e) {
		return 0, false
	}
	return e, validSSN(s.text[i:e])
}

func (s *scanner) cpf(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	e, ok := s.digitsAt(i, []int{3, 3, 3, 2}, []byte{'.', '.', '-'})
	if !ok || !s.boundaryAfter(e) {
		return 0, false
	}
	return e, validCPF(s.text[i:e])
}

func (s *scanner) spanishID(start, end int) (int, bool) {
	// Eight digits immediately followed by the check letter, in one run.
	if end-start != 9 || !s.numericBoundaryBefore(start) {
		return 0, false
	}
	return end, validDNI(s.text[start:end])
}

// card matches 12 to 19 digits, optionally grouped by single spaces or
// dashes (one separator kind), that pass the Luhn check and start with a
// known issuer prefix.
func (s *scanner) card(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	t := s.text
	var digits [19]byte
	nd := 0
	var sep byte
	end := i
	j := i
	for j < len(t) {
		c := t[j]
		if isDigit(c) {
			if nd == len(digits) {
				return 0, false // too long to be a card
			}
			digits[nd] = c
			nd++
			j++
			end = j
			continue
		}
		if (c == ' ' || c == '-') && j+1 == len(t) && nd > 0 && !s.atEOF {
			// A separator at the end of a chunk: the number may go on.
			s.hold(i)
			return 0, false
		}
		if (c == ' ' || c == '-') && j+1 < len(t) && isDigit(t[j+1]) && nd > 0 {
			if sep == 0 {
				sep = c
			} else if sep != c {
				break
			}
			j++
			continue
		}
		break
	}
	if nd < 12 {
		return 0, false
	}
	if end == len(t) && !s.atEOF {
		s.hold(i)
		return 0, false
	}
	if !s.boundaryAfter(end) {
		return 0, false
	}
	d := digits[:nd]
	if !knownIssuer(d) || !luhn(d) {
		return 0, false
	}
	return end, true
}

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

// A marker is a literal that, with an optional check of its surroundings,
// identifies a line to mask.
type marker struct {
	lit   string
	check func(line []byte, at int) bool // at is the literal's offset in line
}

// followedByDigit reports whether line[at+len(lit):] starts with a digit.
func followedByDigit(lit string) func([]byte, int) bool {
	return func(line []byte, at int) bool {
		p := at + len(lit)
		return p < len(line) && isDigit(line[p])
	}
}

// frameWithAt requires "at " earlier on the line (Java and Node frames).
func frameWithAt(lit string) func([]byte, int) bool {
	d := followedByDigit(lit)
	return func(line []byte, at int) bool {
		return d(line, at) && bytes.Contains(line[:at], []byte("at "))
	}
}

var traceMarkers = []marker{
	{lit: "goroutine ", check: func(line []byte, at int) bool {
		p := at + len("goroutine ")
		for p < len(line) && isDigit(line[p]) {
			p++
		}
		return p > at+len("goroutine ") && bytes.HasPrefix(line[p:], []byte(" ["))
	}},
	{lit: "panic: ", check: func(line []byte, at int) bool { return at == 0 }},
	{lit: ".go:", check: func(line []byte, at int) bool {
		return followedByDigit(".go:")(line, at) && (bytes.Contains(line[at:], []byte(" +0x")) || bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("/")))
	}},
	{lit: "Exception in thread \""},
	{lit: ".java:", check: frameWithAt(".java:")},
	{lit: "(Native Method)", check: func(line []byte, at int) bool { return bytes.Contains(line[:at], []byte("at ")) }},
	{lit: "Caused by: ", check: func(line []byte, at int) bool {
		return bytes.Contains(line[at:], []byte("Exception")) || bytes.Contains(line[at:], []byte("Error"))
	}},
	{lit: "Traceback (most recent call last)"},
	{lit: "\", line ", check: func(line []byte, at int) bool {
		return followedByDigit("\", line ")(line, at) && bytes.Contains(line[:at], []byte("File \""))
	}},
	{lit: ".js:", check: frameWithAt(".js:")},
	{lit: ".mjs:", check: frameWithAt(".mjs:")},
	{lit: ".cjs:", check: frameWithAt(".cjs:")},
	{lit: ".ts:", check: frameWithAt(".ts:")},
	{lit: "at process.processTicksAndRejections"},
}

var dbMarkers = []marker{
	// MySQL / MariaDB
	{lit: "You have an error in your SQL syntax"},
	{lit: "Warning: mysql_"},
	{lit: "MySqlException"},
	{lit: "com.mysql.jdbc"},
	{lit: "MySQLSyntaxErrorException"},
	{lit: "ER_PARSE_ERROR"},
	{lit: "SQLSTATE["},
	// PostgreSQL
	{lit: "syntax error at or near"},
	{lit: "unterminated quoted string at or near"},
	{lit: "PSQLException"},
	{lit: "org.postgresql.util"},
	{lit: "pq: ", check: func(line []byte, at int) bool { return at == 0 || !isAlnum(line[at-1]) }},
	{lit: "PG::"},
	{lit: "psycopg2.errors"},
	// SQL Server
	{lit: "Unclosed quotation mark after the character string"},
	{lit: "Incorrect syntax near"},
	{lit: "Microsoft OLE DB Provider for SQL Server"},
	{lit: "[Microsoft][ODBC SQL Server Driver]"},
	{lit: "System.Data.SqlClient.SqlException"},
	{lit: "Microsoft.Data.SqlClient.SqlException"},
	// Oracle
	{lit: "ORA-", check: func(line []byte, at int) bool {
		p := at + 4
		if p+5 > len(line) || (at > 0 && isAlnum(line[at-1])) {
			return false
		}
		for k := p; k < p+5; k++ {
			if !isDigit(line[k]) {
				return false
			}
		}
		return true
	}},
	{lit: "quoted string not properly terminated"},
	{lit: "oracle.jdbc"},
	// SQLite
	{lit: "SQLITE_ERROR"},
	{lit: "sqlite3.OperationalError"},
	{lit: "SQLite3::"},
	{lit: "SQLiteException"},
	{lit: "unrecognized token:"},
}

// markers masks each line holding a marker literal.
func (s *scanner) markers(k Kind, ms []marker) {
	t := s.text
	for _, m := range ms {
		lit := []byte(m.lit)
		off := 0
		for {
			p := bytes.Index(t[off:], lit)
			if p < 0 {
				break
			}
			at := off + p
			ls := lineStart(t, at)
			le, complete := lineEnd(t, at+len(lit))
			if !complete && !s.atEOF {
				s.hold(ls)
				break
			}
			off = at + len(lit)
			if m.check != nil && !m.check(t[ls:le], at-ls) {
				continue
			}
			s.add(k, ls, le)
			if le > off {
				off = le
			}
		}
	}
}

// lineStart finds the start of the line holding at: after a newline (or a
// JSON-escaped "\n"), at most maxLine bytes back.
func lineStart(t []byte, at int) int {
	i := at
	for i > 0 && at-i < maxLine {
		c := t[i-1]
		if c == '\n' || c == '\r' {
			break
		}
		if (c == 'n' || c == 'r' || c == 't') && i >= 2 && t[i-2] == '\\' {
			break
		}
		i--
	}
	return i
}

// lineEnd finds the end of the line holding at, at most maxLine bytes on.
// complete is false when the text ended first.
func lineEnd(t []byte, at int) (int, bool) {
	i := at
	for i < len(t) {
		if i-at >= maxLine {
			return i, true
		}
		c := t[i]
		if c == '\n' || c == '\r' {
			return i, true
		}
		if c == '\\' && i+1 < len(t) && (t[i+1] == 'n' || t[i+1] == 'r') {
			return i, true
		}
		i++
	}
	return i, false
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

// secretContext is how far before a 40-character string a telling name
// ("secret") is looked for.
const secretContext = 80
