// Package jsonscan is a small, allocation-free JSON tokenizer with a nesting
// limit. The event and decode packages use it where encoding/json would cost
// too much: sniffing a trigger from a few top-level keys, finding the byte
// ranges of batch records, and walking attacker-controlled bodies in linear
// time without building a tree.
//
// It accepts exactly the documents encoding/json accepts (structure,
// literals, number syntax, string escapes, control characters; like
// encoding/json it lets invalid UTF-8 through), and it never allocates
// except for the nesting stack, which grows to the maximum depth seen
// (bounded by the depth limit).
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package jsonscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the kind of a token.
type Kind uint8

// Token kinds.
const (
	EOF Kind = iota
	ObjectStart
	ObjectEnd
	ArrayStart
	ArrayEnd
	String // a string value
	Key    // a string used as an object key
	Number
	True
	False
	Null
)

var kindNames = [...]string{"EOF", "{", "}", "[", "]", "string", "key", "number", "true", "false", "null"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Token is one lexical token. For String and Key, Start and End delimit the
// contents between the quotes; for every other kind they delimit the token
// itself.
type Token struct {
	Kind       Kind
	Start, End int
	// Escaped reports whether a String or Key contains backslash escapes, so
	// that its raw bytes differ from its value (see Unquote).
	Escaped bool
}

// ErrDepth is returned (wrapped) when nesting exceeds the scanner's MaxDepth.
var ErrDepth = errors.New("json nesting too deep")

// SyntaxError reports malformed JSON and where.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("json syntax error at offset %d: %s", e.Offset, e.Msg)
}

// expectations of the state machine
const (
	expValue      = iota // any value
	expFirstValue        // after '[': value or ']'
	expFirstKey          // after '{': key or '}'
	expKey               // after ',' in an object
	expColon             // after a key
	expCommaOrEnd        // after a value inside a container
	expDone              // after the top-level value
)

// Scanner tokenizes one JSON document. The zero value is not usable; use New
// or Reset. A Scanner must not be copied after Reset.
type Scanner struct {
	data     []byte
	pos      int
	exp      int
	maxDepth int
	// The nesting stack (true = object) is depth entries: the first in
	// inline, the rest in deep. inline is not referenced by a slice of
	// the scanner's own, so that a scanner declared as a value stays on
	// its caller's stack and allocates nothing for shallow documents.
	depth  int
	inline [32]bool
	deep   []bool
	spans  *Spans // see Share
}

// push opens a container.
func (s *Scanner) push(object bool) {
	if s.depth < len(s.inline) {
		s.inline[s.depth] = object
	} else {
		s.deep = append(s.deep[:s.depth-len(s.inline)], object)
	}
	s.depth++
}

// inObject reports whether the innermost open container is an object.
func (s *Scanner) inObject() bool {
	i := s.depth - 1
	if i < len(s.inline) {
		return s.inline[i]
	}
	return s.deep[i-len(s.inline)]
}

// New returns a scanner over data that fails with ErrDepth beyond maxDepth
// nested containers (0 means 10000).
func New(data []byte, maxDepth int) *Scanner {
	s := &Scanner{}
	s.Reset(data, maxDepth)
	return s
}

// Reset makes s scan data from the start, keeping its stack storage.
func (s *Scanner) Reset(data []byte, maxDepth int) {
	if maxDepth <= 0 {
		maxDepth = 10000
	}
	s.data, s.pos, s.depth, s.exp, s.maxDepth, s.spans = data, 0, 0, expValue, maxDepth, nil
}

// Share makes s record the long strings it scans in sp, and pass over
// those that sp already holds in one step: a document read by several
// scanners (an event's shape, its fields, its keys) has its body string
// of megabytes scanned once. sp must only ever be shared by scanners of
// the same bytes; Reset ends the sharing.
func (s *Scanner) Share(sp *Spans) { s.spans = sp }

// Spans holds where up to maxSpans strings of at least spanMin bytes
// of one document end, by where they start (see Scanner.Share).
type Spans struct {
	n    int
	span [maxSpans]struct {
		start, end int // the string's bytes, quotes excluded
		escaped    bool
	}
}

const (
	maxSpans = 4
	spanMin  = 4 << 10
)

// lookup returns the token of the string whose bytes start at start.
func (sp *Spans) lookup(start int) (Token, bool) {
	for i := range sp.n {
		if x := &sp.span[i]; x.start == start {
			return Token{Kind: String, Start: start, End: x.end, Escaped: x.escaped}, true
		}
	}
	return Token{}, false
}

// add records a string that was scanned whole, when it is long and
// there is room.
func (sp *Spans) add(t Token) {
	if t.End-t.Start < spanMin || sp.n == maxSpans {
		return
	}
	x := &sp.span[sp.n]
	x.start, x.end, x.escaped = t.Start, t.End, t.Escaped
	sp.n++
}

// Depth is the number of containers currently open.
func (s *Scanner) Depth() int { return s.depth }

// Offset is the position of the next unread byte.
func (s *Scanner) Offset() int { return s.pos }

func (s *Scanner) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: s.pos, Msg: fmt.Sprintf(format, args...)}
}

func (s *Scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// afterValue sets the expectation after a complete value.
func (s *Scanner) afterValue() {
	if s.depth == 0 {
		s.exp = expDone
	} else {
		s.exp = expCommaOrEnd
	}
}

// Next returns the next token. At the end of a well-formed document it
// returns a token of kind EOF and a nil error; trailing garbage, truncation
// and every structural mistake are *SyntaxError.
func (s *Scanner) Next() (Token, error) {
	for {
		s.skipSpace()
		if s.pos >= len(s.data) {
			if s.exp == expDone {
				return Token{Kind: EOF, Start: s.pos, End: s.pos}, nil
			}
			return Token{}, s.errorf("unexpected end of input")
		}
		c := s.data[s.pos]
		switch s.exp {
		case expDone:
			return Token{}, s.errorf("unexpected %q after top-level value", c)
		case expColon:
			if c != ':' {
				return Token{}, s.errorf("expected ':' after object key, found %q", c)
			}
			s.pos++
			s.exp = expValue
			continue
		case expCommaOrEnd:
			switch c {
			case ',':
				s.pos++
				if s.inObject() {
					s.exp = expKey
				} else {
					s.exp = expValue
				}
				continue
			case '}', ']':
				return s.closeContainer(c)
			}
			return Token{}, s.errorf("expected ',' or end of container, found %q", c)
		case expFirstKey, expKey:
			if c == '}' && s.exp == expFirstKey {
				return s.closeContainer(c)
			}
			if c != '"' {
				return Token{}, s.errorf("expected object key, found %q", c)
			}
			t, err := s.scanString()
			if err != nil {
				return t, err
			}
			t.Kind = Key
			s.exp = expColon
			return t, nil
		case expFirstValue:
			if c == ']' {
				return s.closeContainer(c)
			}
		}
		// a value
		start := s.pos
		switch c {
		case '{', '[':
			if s.depth >= s.maxDepth {
				return Token{}, fmt.Errorf("offset %d: %w (limit %d)", s.pos, ErrDepth, s.maxDepth)
			}
			s.pos++
			if c == '{' {
				s.push(true)
				s.exp = expFirstKey
				return Token{Kind: ObjectStart, Start: start, End: s.pos}, nil
			}
			s.push(false)
			s.exp = expFirstValue
			return Token{Kind: ArrayStart, Start: start, End: s.pos}, nil
		case '"':
			t, err := s.scanString()
			if err != nil {
				return t, err
			}
			s.afterValue()
			return t, nil
		case 't':
			return s.literal("true", True)
		case 'f':
			return s.literal("false", False)
		case 'n':
			return s.literal("null", Null)
		}
		if c == '-' || (c >= '0' && c <= '9') {
			if err := s.scanNumber(); err != nil {
				return Token{}, err
			}
			s.afterValue()
			return Token{Kind: Number, Start: start, End: s.pos}, nil
		}
		return Token{}, s.errorf("unexpected %q", c)
	}
}

// scanNumber reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? exactly,
// so that the scanner accepts the numbers encoding/json accepts and no
// others.
func (s *Scanner) scanNumber() error {
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return s.errorf("invalid number")
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			return s.errorf("invalid number: no digits after '.'")
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			return s.errorf("invalid number: no exponent digits")
		}
	}
	return nil
}

// peek returns the next byte, or 0 at the end.
func (s *Scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// digits consumes [0-9]* and reports whether it consumed any.
func (s *Scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

func (s *Scanner) closeContainer(c byte) (Token, error) {
	isObj := s.inObject()
	if isObj != (c == '}') {
		return Token{}, s.errorf("mismatched %q", c)
	}
	s.depth--
	start := s.pos
	s.pos++
	s.afterValue()
	if isObj {
		return Token{Kind: ObjectEnd, Start: start, End: s.pos}, nil
	}
	return Token{Kind: ArrayEnd, Start: start, End: s.pos}, nil
}

func (s *Scanner) literal(word string, k Kind) (Token, error) {
	start := s.pos
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return Token{}, s.errorf("invalid literal")
	}
	s.pos += len(word)
	s.afterValue()
	return Token{Kind: k, Start: start, End: s.pos}, nil
}

// scanString scans a string starting at the opening quote.
func (s *Scanner) scanString() (Token, error) {
	s.pos++ // opening quote
	start := s.pos
	if s.spans != nil {
		if t, ok := s.spans.lookup(start); ok {
			s.pos = t.End + 1
			return t, nil
		}
	}
	escaped := false
	for s.pos < len(s.data) {
		// the plain bytes of a long string in one tight loop: a 6 MB body
		// is one string, and the switch below cost a third more per byte.
		// After 16 plain bytes in a row the run is long: the rest of it
		// goes eight bytes at a time (a JSON body inside an event, with
		// an escaped quote every few bytes, stays in the byte loop)
		end := min(s.pos+16, len(s.data))
		for s.pos < end && !stringSpecial[s.data[s.pos]] {
			s.pos++
		}
		if s.pos == end {
			for s.pos+8 <= len(s.data) && !hasStringSpecial(binary.LittleEndian.Uint64(s.data[s.pos:])) {
				s.pos += 8
			}
			for s.pos < len(s.data) && !stringSpecial[s.data[s.pos]] {
				s.pos++
			}
		}
		if s.pos == len(s.data) {
			break
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			t := Token{Kind: String, Start: start, End: s.pos, Escaped: escaped}
			s.pos++
			if s.spans != nil {
				s.spans.add(t)
			}
			return t, nil
		case c == '\\':
			escaped = true
			if s.pos+1 >= len(s.data) {
				s.pos++
				return Token{}, s.errorf("unterminated escape")
			}
			switch s.data[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
				// a run of them (a JSON document inside a JSON string
				// escapes every quote and backslash) without a trip
				// through the loop above for each
				for s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && unescaped[s.data[s.pos+1]] != 0 {
					s.pos += 2
				}
			case 'u':
				if s.pos+6 > len(s.data) || !isHex4(s.data[s.pos+2:s.pos+6]) {
					return Token{}, s.errorf("invalid \\u escape")
				}
				s.pos += 6
			default:
				return Token{}, s.errorf("invalid escape")
			}
		case c < 0x20:
			return Token{}, s.errorf("control character in string")
		default:
			s.pos++
		}
	}
	return Token{}, s.errorf("unterminated string")
}

// stringSpecial marks the bytes that end a run of plain string bytes:
// the closing quote, an escape, a control character.
var stringSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// hasStringSpecial reports whether one of the eight bytes of x is special
// (see stringSpecial): below 0x20, a quote or a backslash. The tests of
// a byte below n and of a zero byte from "Bit Twiddling Hacks" (Sean
// Eron Anderson, public domain): a borrow may flag a byte that is not
// special, never miss one that is, and a flagged block is scanned byte
// by byte.
func hasStringSpecial(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	return ((x-ones*0x20)&^x|(quote-ones)&^quote|(backslash-ones)&^backslash)&highs != 0
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if hexVal(c) < 0 {
			return false
		}
	}
	return true
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// Skip consumes the rest of the value whose first token was t (a container
// start; any other kind is already complete).
func (s *Scanner) Skip(t Token) error {
	if t.Kind != ObjectStart && t.Kind != ArrayStart {
		return nil
	}
	depth := s.depth - 1
	for {
		tok, err := s.Next()
		if err != nil {
			return err
		}
		if (tok.Kind == ObjectEnd || tok.Kind == ArrayEnd) && s.depth == depth {
			return nil
		}
	}
}

// AppendUnquote appends the value of the string whose raw contents (between
// the quotes, as delimited by a String or Key token) are raw. Invalid
// surrogates become U+FFFD, as encoding/json does; unlike encoding/json,
// invalid UTF-8 bytes are kept as they are, so that overlong encodings
// reach the detectors as sent. The input must have been validated by the
// scanner.
func AppendUnquote(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			// the run up to the next escape: a short one by hand (a JSON
			// body in an event escapes every quote), a long one by
			// IndexByte
			j := i + 1
			for j < len(raw) && j < i+16 && raw[j] != '\\' {
				j++
			}
			if j == i+16 {
				if k := bytes.IndexByte(raw[j:], '\\'); k >= 0 {
					j += k
				} else {
					j = len(raw)
				}
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		if i+1 < len(raw) {
			if c := unescaped[raw[i+1]]; c != 0 {
				// one of the escapes of a single byte, the common case
				dst = append(dst, c)
				i += 2
				continue
			}
		}
		var ok bool
		if dst, i, ok = appendEscape(dst, raw, i); !ok {
			break
		}
	}
	return dst
}

// unescaped is the byte each escape of a single byte (\" \\ \/ \b \f
// \n \r \t) stands for, by the byte after the backslash; 0 for others.
var unescaped = func() (t [256]byte) {
	for _, p := range [...][2]byte{{'"', '"'}, {'\\', '\\'}, {'/', '/'}, {'b', '\b'}, {'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'}} {
		t[p[0]] = p[1]
	}
	return t
}()

// UnquoteString is AppendUnquote into a new string: one allocation and no
// copy from a byte slice (a body of megabytes is one string). The value
// is never longer than raw, so the buffer never grows.
func UnquoteString(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	b := AppendUnquote(make([]byte, 0, len(raw)), raw)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not kept
}

// appendEscape appends the value of the escape at raw[i] (a backslash)
// and returns the index after it; ok is false when raw ends inside it.
func appendEscape(dst, raw []byte, i int) (_ []byte, next int, ok bool) {
	if i+1 >= len(raw) {
		return dst, i, false
	}
	switch raw[i+1] {
	case 'b':
		dst = append(dst, '\b')
	case 'f':
		dst = append(dst, '\f')
	case 'n':
		dst = append(dst, '\n')
	case 'r':
		dst = append(dst, '\r')
	case 't':
		dst = append(dst, '\t')
	case 'u':
		if i+6 > len(raw) {
			return dst, i, false
		}
		r := rune(hex4(raw[i+2 : i+6]))
		i += 6
		if utf16.IsSurrogate(r) {
			if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' && isHex4(raw[i+2:i+6]) {
				if r2 := utf16.DecodeRune(r, rune(hex4(raw[i+2:i+6]))); r2 != utf8.RuneError {
					return utf8.AppendRune(dst, r2), i + 6, true
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(dst, r), i, true
	default: // '"', '\\', '/'
		dst = append(dst, raw[i+1])
	}
	return dst, i + 2, true
}

func hex4(b []byte) int {
	return hexVal(b[0])<<12 | hexVal(b[1])<<8 | hexVal(b[2])<<4 | hexVal(b[3])
}
