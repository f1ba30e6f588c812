package decode

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/internal/utf7"
)

// reading is one speculative decoding of a value.
type reading struct {
	text string
	enc  enc
	enc2 enc  // a second encoding the reading removed (JWT: base64 then JSON), or encNone
	json bool // text is a JSON document to walk
}

// maxReadingsPerText bounds the decodings tried on one text.
const maxReadingsPerText = 8

// decodings appends every decoding of s that applies and changes it: URL
// escapes, HTML character references, a script string's escapes, UTF-7
// in a body whose charset says so, base64 in every reading a handler's
// decoder may take, hex, the parts of a JSON Web Token, and the same for
// the credentials of an authorization scheme ("Bearer <jwt>", "Basic
// <base64>"). Each is no longer than s, but for UTF-7 (see utf7.Decode;
// the readings budget counts what each reading spells).
func (w *walker) decodings(s string, dst []reading) []reading {
	pct := strings.IndexByte(s, '%') >= 0
	plus := formEncoded(s, pct && hasPercentEscape(s))
	// "%20" is how every encoder but a form's writes a blank: beside it a
	// '+' is the character itself (url.PathEscape and RFC 3986 paths
	// leave it), and the reading keeps it. One reading either way: an
	// attack read with '+' for its blanks is read as one all the same
	// (TestAttacksWithPlusForBlanksAreReadAsAttacks, package detect), and a second reading of
	// every such value would double the work a crafted one costs.
	if plus && strings.Contains(s, "%20") {
		plus = false
	}
	if pct || plus {
		// speculative: a stray '%' in free text is not an anomaly. Form
		// text (plus) is read as the form decoders (unquote_plus,
		// QueryUnescape, URLSearchParams) read it, with '+' a blank.
		if d, changed, _, unicode := percentDecode(s, plus); changed {
			e := encURL
			if unicode {
				// %uXXXX is IIS's; Python, Node and Go keep it as it is
				e = encURLUnicode
				if std, changed := percentDecodeStd(s, plus); changed && std != d {
					dst = append(dst, reading{text: std, enc: encURL})
				}
			}
			dst = append(dst, reading{text: d, enc: e})
		}
	}
	if strings.IndexByte(s, '&') >= 0 {
		if d, changed := htmlUnescape(s); changed {
			dst = append(dst, reading{text: d, enc: encHTML})
		}
	}
	if strings.IndexByte(s, '\\') >= 0 {
		if d, changed := jsUnescape(s); changed {
			dst = append(dst, reading{text: d, enc: encJSEscape})
		}
	}
	if d, changed := fullwidthFold(s); changed {
		dst = append(dst, reading{text: d, enc: encFullwidth})
	}
	if w.utf7 && strings.IndexByte(s, '+') >= 0 {
		if d, changed := utf7.Decode(s); changed {
			dst = append(dst, reading{text: d, enc: encUTF7})
		}
	}
	dst = tokenReadings(s, dst)
	if scheme, cred, ok := strings.Cut(s, " "); ok && isAuthScheme(scheme) {
		cred = strings.TrimLeft(cred, " ")
		if len(cred) > 0 && strings.IndexAny(cred, " \t\r\n") < 0 {
			dst = tokenReadings(cred, dst)
		}
	}
	return dst
}

// formEncoded reports whether s reads as a form encoder writes text
// (quote_plus, QueryEscape, URLSearchParams): '+' for blanks, with other
// bytes percent-encoded (pct says s holds an escape) or every few bytes a
// '+' between words. Unless it also holds a "%20", such a text is read
// with '+' as a blank only: the reading that keeps '+'
// (decodeURIComponent's, unquote's) turns "The+/etc/group+file+is" and
// "Song+(Chestnuts+Roasting)" into expressions that read as attacks,
// while an attack that needs a literal '+' sends it as "%2B", which both
// decodings keep. Base64 holds a '+' in about 64 bytes: a long token of
// it is not form text, and is not read twice. Without a '%', only a '+'
// beside a letter, a digit or another '+' counts: one between signs
// ("'+(") is an operator, and the text is judged as it is.
func formEncoded(s string, pct bool) bool {
	i := strings.IndexByte(s, '+')
	if i < 0 {
		return false
	}
	if pct {
		return true
	}
	n := 0
	for ; i >= 0; i = nextByte(s, i+1, '+') {
		if i > 0 && wordByte(s[i-1]) || i+1 < len(s) && wordByte(s[i+1]) {
			n++
		}
	}
	return n*20 >= len(s)
}

// hasPercentEscape reports whether s holds a '%' followed by two hex
// digits: a stray '%' ("100%", "%@") is no sign of an encoder.
func hasPercentEscape(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; i = nextByte(s, i+1, '%') {
		if i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0 {
			return true
		}
	}
	return false
}

// nextByte is the index of the first c in s at or after from, or -1.
func nextByte(s string, from int, c byte) int {
	if j := strings.IndexByte(s[from:], c); j >= 0 {
		return from + j
	}
	return -1
}

// wordByte reports whether c is a letter, a digit, '+' or a byte of a
// non-ASCII character: what stands beside a '+' a form encoder wrote for
// a blank.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c >= 0x80
}

// tokenReadings appends the base64, hex and JWT readings of one token.
func tokenReadings(s string, dst []reading) []reading {
	if h, p, ok := jwtParts(s); ok {
		dst = append(dst, reading{text: h, enc: encJWT, json: true})
		if p != "" {
			dst = append(dst, reading{text: p, enc: encJWT, json: looksLikeJSON(p)})
		}
		return dst
	}
	if d, ok := hexText(s); ok {
		dst = append(dst, reading{text: d, enc: encHex})
	}
	return base64Readings(s, dst)
}

// isAuthScheme reports whether s reads as an HTTP authentication scheme
// name (Bearer, Basic, Digest, a vendor's): a short token of letters.
func isAuthScheme(s string) bool {
	if len(s) < 3 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if (c < 'a' || c > 'z') && s[i] != '-' {
			return false
		}
	}
	return true
}

// minBase64 is the shortest token worth trying as base64 ("PHN2Zz4=" is
// <svg>); shorter tokens are words, and what they decode to is too short
// to carry an attack.
const minBase64 = 8

// base64Readings appends the readings of s as base64 the way handlers'
// decoders take it. They differ: Go's is strict; Python's b64decode drops
// characters outside the alphabet and stops at a completed padding
// sequence, or reads on past an incomplete one; Node's Buffer accepts both
// alphabets and whitespace and stops at the first '='; some decode padded
// chunks one by one. So s is read as Python reads it (exactly, with and
// without the URL-safe alphabet, whatever surrounds the token) and, when
// it is mostly alphabet, with whitespace and stray characters dropped,
// '-' and '_' read as '+' and '/', missing padding accepted; when '='
// stands inside it, also up to the first '=' and chunk by chunk.
// Readings that are not text, and duplicates, are dropped.
func base64Readings(s string, dst []reading) []reading {
	if len(s) < minBase64 {
		return dst
	}
	alpha, urlsafe, other, pads, firstPad := base64Classes(s)
	if alpha < minBase64-2 {
		return dst
	}
	// Python's b64decode and urlsafe_b64decode, exactly: whatever the
	// text around the token (a form value with ';' pairs, prose)
	add := func(r string) {
		if r == "" || r == s {
			return
		}
		for _, x := range dst {
			if x.enc == encBase64 && x.text == r {
				return
			}
		}
		dst = append(dst, reading{text: r, enc: encBase64})
	}
	// Standard alphabet and whitespace only, no '=': Python's reading is
	// the lenient whole reading below (or nothing, for a dangling sixth
	// bit group, which that reading drops), so it is not decoded twice.
	pythonIsWhole := other == 0 && pads == 0 && urlsafe == 0
	if !pythonIsWhole {
		add(pythonBase64(s, false))
	}
	if urlsafe > 0 {
		add(pythonBase64(s, true))
	}
	// mostly alphabet: a few stray characters are what Node and lenient
	// decoders skip; more means prose or markup, not a token
	if other*8 > len(s) || pads > 0 && pads*4 > len(s) {
		return dst
	}
	add(decodeBase64Alphabet(s, alpha))
	if pads > 0 && firstPad < alpha {
		// data after a '=': the decoders that stop there see a prefix,
		// those that decode padded chunks one by one see their sum
		add(decodeBase64Alphabet(s, firstPad))
		add(base64Chunks(s))
	}
	return dst
}

// base64Classes counts the bytes of s by class (see b64class): alpha
// both alphabets, urlsafe '-' and '_', other the bytes of no class, pads
// '='; firstPad is the alpha count before the first '=', or -1. Once
// other is more than an eighth of s and alpha at least minBase64-2,
// base64Readings takes no more than Python's readings of s: the counts
// stop there (urlsafe is then 1 or 0, whether s holds '-' or '_'), so a
// text that is not base64 is not read to its end.
func base64Classes(s string) (alpha, urlsafe, other, pads, firstPad int) {
	firstPad = -1
	eq := strings.IndexByte(s, '=')
	for i := 0; i < len(s); {
		// a block, ending at the first '=' so that firstPad is known
		end := min(i+b64Block, len(s))
		if i <= eq && eq < end {
			if i == eq {
				firstPad = alpha
			} else {
				end = eq
			}
		}
		// four counts of at most b64Block in the 16-bit fields of acc,
		// eight bytes a round in two sums that do not wait on each other
		var acc, acc2 uint64
		b := s[i:end]
		for len(b) >= 8 {
			acc += b64count[b[0]] + b64count[b[1]] + b64count[b[2]] + b64count[b[3]]
			acc2 += b64count[b[4]] + b64count[b[5]] + b64count[b[6]] + b64count[b[7]]
			b = b[8:]
		}
		for _, c := range []byte(b) {
			acc += b64count[c]
		}
		acc += acc2
		alpha += int(acc & 0xffff)
		urlsafe += int(acc >> 16 & 0xffff)
		other += int(acc >> 32 & 0xffff)
		pads += int(acc >> 48)
		i = end
		if other*8 > len(s) && alpha >= minBase64-2 && i < len(s) {
			if urlsafe == 0 && (strings.IndexByte(s[i:], '-') >= 0 || strings.IndexByte(s[i:], '_') >= 0) {
				urlsafe = 1
			}
			return alpha, urlsafe, other, pads, firstPad
		}
	}
	return alpha, urlsafe, other, pads, firstPad
}

// b64Block is how many bytes base64Classes counts between checks.
const b64Block = 4096

// b64count is what each byte adds to base64Classes' packed counts: alpha
// in bits 0-15, urlsafe 16-31, other 32-47, pads 48-63.
var b64count = func() (t [256]uint64) {
	for c := range t {
		switch b64class[c] {
		case b64Std:
			t[c] = 1
		case b64URL:
			t[c] = 1 | 1<<16
		case b64Pad:
			t[c] = 1 << 48
		case b64Space:
		default:
			t[c] = 1 << 32
		}
	}
	return t
}()

// Byte classes of base64 text (b64class).
const (
	b64Other = iota
	b64Std   // the standard alphabet
	b64URL   // '-' and '_', the URL-safe alphabet's
	b64Pad   // '='
	b64Space // ' ', '\t', '\r', '\n'
)

// b64class is the class of each byte.
var b64class = func() (class [256]byte) {
	for i := 0; i < len(stdAlphabet); i++ {
		class[stdAlphabet[i]] = b64Std
	}
	class['-'], class['_'] = b64URL, b64URL
	class['='] = b64Pad
	for _, c := range " \t\r\n" {
		class[c] = b64Space
	}
	return class
}()

// pythonBase64 is CPython's binascii.a2b_base64 in its default,
// non-strict mode (what base64.b64decode runs; urlsafe first maps '-' and
// '_' to '+' and '/'): characters outside the alphabet are skipped, a
// padding sequence that completes a group ends the input, an incomplete
// one is skipped, and a dangling single character is an error. It returns
// the result when it is text, else "".
//
// Most strings tried are not base64 of text: the decoding starts in a
// buffer on the stack, so that refusing one costs no allocation, and only
// a text result is copied out.
func pythonBase64(s string, urlsafe bool) string {
	var probe [textProbe + 3]byte
	out, ok := appendPythonBase64(probe[:0], s, urlsafe)
	if !ok {
		return ""
	}
	return string(out)
}

// appendPythonBase64 appends the decoding of s (see pythonBase64) to out
// and reports whether the result is text.
func appendPythonBase64(out []byte, s string, urlsafe bool) ([]byte, bool) {
	var acc uint32
	quad, pads := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlsafe {
			switch c {
			case '-':
				c = '+'
			case '_':
				c = '/'
			}
		}
		if c == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					break
				}
			}
			continue
		}
		v := b64val[c]
		if v == 0xff {
			continue
		}
		pads = 0
		acc = acc<<6 | uint32(v)
		quad++
		if quad == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, quad = 0, 0
			if len(out) == utf8Probe && !utf8SoFar(out) || len(out) == textProbe && !textSoFar(out) {
				return nil, false
			}
		}
	}
	switch quad {
	case 1:
		return nil, false // binascii.Error: 4n+1 data characters
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out, textLike(out)
}

// base64Chunks decodes s as padded base64 chunks one after another
// ("YWI=PHNj..."), each aligned on its own, and returns their
// concatenation when it is text. A chunk is the alphabet characters
// (either alphabet; other bytes skipped) up to the next '='; a dangling
// sixth bit group ends it as lenient decoders drop it; a chunk left with
// fewer than two characters, or longer than a probe whose first bytes
// are not text, makes the whole reading fail. Chunks are decoded
// straight from s into the result: nothing is copied first.
func base64Chunks(s string) string {
	out := make([]byte, 0, len(s)*3/4+3)
	var acc uint32
	// n counts the chunk's characters so far; start is where its
	// decoding begins in out; probeFailed is set once its first textProbe
	// bytes are known not to be text
	n, start, probeFailed := 0, 0, false
	end := func() bool {
		if n == 0 {
			return true // no chunk: "==", or '=' first
		}
		switch n % 4 {
		case 1:
			n-- // the dangling group
		case 2:
			out = append(out, byte(acc>>4))
		case 3:
			out = append(out, byte(acc>>10), byte(acc>>2))
		}
		// a chunk whose probe failed ended the reading in the loop once
		// it was longer than the probe's bound
		ok := n >= 2
		acc, n, start, probeFailed = 0, 0, len(out), false
		return ok
	}
	for i := 0; i < len(s); i++ {
		if n%4 == 0 && i+4 <= len(s) {
			// a whole group of the alphabet at once, the common case
			a, b, c, d := b64dec[s[i]], b64dec[s[i+1]], b64dec[s[i+2]], b64dec[s[i+3]]
			if (a|b|c|d)&0x80 == 0 {
				x := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
				out = append(out, byte(x>>16), byte(x>>8), byte(x))
				n += 4
				i += 3
				if len(out)-start == textProbe && !textSoFar(out[start:]) {
					probeFailed = true
				}
				if probeFailed && n > textProbe*4/3+5 {
					return ""
				}
				continue
			}
		}
		v := b64dec[s[i]]
		if v == 0xff {
			if s[i] == '=' && !end() {
				return ""
			}
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n%4 == 0 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc = 0
			if len(out)-start == textProbe && !textSoFar(out[start:]) {
				probeFailed = true
			}
		}
		if probeFailed && n > textProbe*4/3+5 {
			// more characters than the probe's bound, even with a
			// dangling one dropped: the chunk is not text
			return ""
		}
	}
	if !end() || !textLike(out) {
		return ""
	}
	return stringOf(out)
}

// decodeBase64Alphabet decodes the first n alphabet characters of s
// (either alphabet, '-' and '_' read as '+' and '/'; every other byte
// skipped) leniently and returns the result when it is text, else "". A
// dangling sixth bit group (n = 4k+1) is dropped, as lenient decoders do;
// a decoding longer than textProbe bytes is judged from those first, so
// that most long tokens that are not base64 of text cost no allocation.
// It decodes straight from s: no cleaned copy of the alphabet is made.
func decodeBase64Alphabet(s string, n int) string {
	if n%4 == 1 {
		n--
	}
	if n < 2 {
		return ""
	}
	size := n * 6 / 8
	var small [smallDecoding]byte
	// the first characters decode on the stack: most texts tried are no
	// base64 of text, and fail utf8SoFar there
	i := 0
	if n > utf8Probe*4/3 {
		i = decodeBase64Into(small[:utf8Probe], s, 0, utf8Probe*4/3)
		if !utf8SoFar(small[:utf8Probe]) {
			return ""
		}
	}
	if size <= smallDecoding {
		buf := small[:size]
		if i > 0 {
			decodeBase64Into(buf[utf8Probe:], s, i, n-utf8Probe*4/3)
		} else {
			decodeBase64Into(buf, s, 0, n)
		}
		if n > textProbe*4/3+4 && !textSoFar(buf[:textProbe]) || !textLike(buf) {
			return ""
		}
		return string(buf)
	}
	// the probe's characters decode on the stack; the rest, when they
	// may be text, into the result
	i = decodeBase64Into(small[utf8Probe:textProbe], s, i, (textProbe-utf8Probe)*4/3)
	if !textSoFar(small[:textProbe]) {
		return ""
	}
	buf := make([]byte, size)
	copy(buf, small[:textProbe])
	decodeBase64Into(buf[textProbe:], s, i, n-textProbe*4/3)
	if !textLike(buf) {
		return ""
	}
	return stringOf(buf)
}

// smallDecoding is the longest decoding decodeBase64Alphabet makes on the
// stack.
const smallDecoding = 256

// decodeBase64Into decodes the next n alphabet characters of s from
// index i on (see decodeBase64Alphabet; n is not 4k+1) into dst, which
// holds exactly n*6/8 bytes, and returns the index after the last
// character read. Trailing bits of a last group of 2 or 3 characters are
// dropped, whatever their value, as lenient decoders drop them.
func decodeBase64Into(dst []byte, s string, i, n int) int {
	o := 0
	var acc uint32
	q := 0
	for n > 0 {
		if q == 0 && n >= 8 && i+8 <= len(s) {
			// eight characters of the alphabet in a row, the common case
			a, b, c, d := b64dec[s[i]], b64dec[s[i+1]], b64dec[s[i+2]], b64dec[s[i+3]]
			e, f, g, h := b64dec[s[i+4]], b64dec[s[i+5]], b64dec[s[i+6]], b64dec[s[i+7]]
			if (a|b|c|d|e|f|g|h)&0x80 == 0 {
				x := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
				y := uint32(e)<<18 | uint32(f)<<12 | uint32(g)<<6 | uint32(h)
				_ = dst[o+5]
				dst[o], dst[o+1], dst[o+2] = byte(x>>16), byte(x>>8), byte(x)
				dst[o+3], dst[o+4], dst[o+5] = byte(y>>16), byte(y>>8), byte(y)
				o += 6
				i += 8
				n -= 8
				continue
			}
		}
		v := b64dec[s[i]]
		i++
		if v == 0xff {
			continue
		}
		acc = acc<<6 | uint32(v)
		n--
		if q++; q == 4 {
			dst[o], dst[o+1], dst[o+2] = byte(acc>>16), byte(acc>>8), byte(acc)
			o += 3
			acc, q = 0, 0
		}
	}
	switch q {
	case 2:
		dst[o] = byte(acc >> 4)
	case 3:
		dst[o], dst[o+1] = byte(acc>>10), byte(acc>>2)
	}
	return i
}

const stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// b64val maps a byte to its value in the standard alphabet, or 0xff;
// b64dec does the same for both alphabets ('-' and '_' are 62 and 63).
var b64val, b64dec = func() (std, both [256]byte) {
	for i := range std {
		std[i], both[i] = 0xff, 0xff
	}
	for i := 0; i < len(stdAlphabet); i++ {
		std[stdAlphabet[i]], both[stdAlphabet[i]] = byte(i), byte(i)
	}
	both['-'], both['_'] = 62, 63
	return std, both
}()

// textProbe is how many decoded bytes are checked before a decoding runs
// to its end: base64 or hex of text is text from its first bytes, and
// most long tokens that look like base64 are not, so their decoding stops
// there instead of allocating and filling their whole length.
const textProbe = 96

// textSoFar reports whether the first bytes of a decoding can still be
// text: no invalid UTF-8 before the last (possibly cut) rune, and no more
// control characters than textLike allows.
func textSoFar(b []byte) bool {
	return utf8SoFar(b) && controlBytes(b)*10 <= len(b)+10
}

// utf8SoFar reports whether b may begin a valid UTF-8 text: it is, but
// for a character its end may cut. A decoding whose first bytes fail it
// can be no reading at all (textLike wants valid UTF-8), so decoders ask
// it after utf8Probe bytes: base64 of prose or of random tokens fails
// there, long before textProbe.
func utf8SoFar(b []byte) bool {
	return len(b) <= 4 || utf8.Valid(b[:len(b)-3]) || utf8.Valid(b[:len(b)-2]) || utf8.Valid(b[:len(b)-1]) || utf8.Valid(b)
}

// utf8Probe is how many decoded bytes utf8SoFar is asked about first (16
// base64 characters).
const utf8Probe = 12

// base64Text decodes s as base64 (every alphabet, padded or not, with
// whitespace) and returns the first reading that is text.
func base64Text(s string) (string, bool) {
	var rs [2]reading
	r := base64Readings(s, rs[:0])
	if len(r) == 0 {
		return "", false
	}
	return r[0].text, true
}

// hexText decodes s as hexadecimal digits (bare or 0x-prefixed, even
// length, at least 8 digits) when the result is text.
func hexText(s string) (string, bool) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) < 8 || len(s)%2 != 0 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if unhex(s[i]) < 0 {
			return "", false
		}
	}
	buf := make([]byte, len(s)/2)
	if _, err := hex.Decode(buf, bytesOf(s)); err != nil || !textLike(buf) {
		return "", false
	}
	return stringOf(buf), true
}

// jwtParts splits a JSON Web Token (header.payload.signature, base64url
// parts; the signature may be empty for alg none) and returns its decoded
// header and payload. The header must be a JSON object; the payload may
// be anything textual (JWS payloads need not be JSON).
func jwtParts(s string) (header, payload string, ok bool) {
	h, rest, ok1 := strings.Cut(s, ".")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || len(h) < 4 || strings.IndexByte(sig, '.') >= 0 || !isBase64URL(h) || !isBase64URL(p) || !isBase64URL(sig) {
		return "", "", false
	}
	var hr, pr [2]reading
	hs := base64Readings(h, hr[:0])
	if len(hs) == 0 || !looksLikeJSON(hs[0].text) {
		return "", "", false
	}
	if ps := base64Readings(p, pr[:0]); len(ps) > 0 {
		payload = ps[0].text
	}
	return hs[0].text, payload, true
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '=') {
			return false
		}
	}
	return true
}

// textLike reports whether b is UTF-8 text a handler would read as a
// string: valid UTF-8 with at most one control character in ten (a NUL
// ending a path is an attack, not a reason to look away), not empty.
func textLike(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	return controlBytes(b)*10 <= len(b)
}

// controlBytes counts the control characters of b other than tab, line
// feed and carriage return (C0 and DEL). Eight bytes at a time are
// passed over when none is below 0x20 or DEL, the common case in text
// (the tests of a byte below n and of a zero byte from "Bit Twiddling
// Hacks", public domain: they may flag a word with none, never miss one,
// and a flagged word is counted byte by byte).
func controlBytes(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n := 0
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		del := x ^ (ones * 0x7f)
		if ((x-ones*0x20)&^x|(del-ones)&^del)&highs != 0 {
			for _, c := range b[:8] {
				n += int(isControl[c])
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		n += int(isControl[c])
	}
	return n
}

// isControl is 1 for the bytes controlBytes counts.
var isControl = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 1
	}
	t['\t'], t['\n'], t['\r'], t[0x7f] = 0, 0, 0, 1
	return t
}()
