package decode

import (
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf8"
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
// escapes, HTML character references, base64 in every reading a
// handler's decoder may take, hex, the parts of a JSON Web Token, and the
// same for the credentials of an authorization scheme ("Bearer <jwt>",
// "Basic <base64>"). Each is no longer than s.
func (w *walker) decodings(s string, dst []reading) []reading {
	if strings.IndexByte(s, '%') >= 0 {
		// speculative: a stray '%' in free text is not an anomaly
		if d, changed, _, unicode := percentDecode(s, false); changed {
			e := encURL
			if unicode {
				e = encURLUnicode
				if std, changed := percentDecodeStd(s, false); changed && std != d {
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
	dst = tokenReadings(s, dst)
	if scheme, cred, ok := strings.Cut(s, " "); ok && isAuthScheme(scheme) {
		cred = strings.TrimLeft(cred, " ")
		if len(cred) > 0 && strings.IndexAny(cred, " \t\r\n") < 0 {
			dst = tokenReadings(cred, dst)
		}
	}
	return dst
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
	alpha, urlsafe, other, pads, firstPad := 0, 0, 0, 0, -1
	for i := 0; i < len(s); i++ {
		switch b64class[s[i]] {
		case b64Std:
			alpha++
		case b64URL:
			alpha++
			urlsafe++
		case b64Pad:
			pads++
			if firstPad < 0 {
				firstPad = alpha
			}
		case b64Space:
		default:
			other++
		}
	}
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
	// the cleaned alphabet of a short string stays on the stack; nothing
	// below keeps it
	var short [4 * smallDecoding / 3]byte
	var clean []byte
	if alpha <= len(short) {
		clean = short[:alpha]
	} else {
		clean = make([]byte, alpha)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if c := b64clean[s[i]]; c != 0 {
			clean[n] = c
			n++
		}
	}
	whole := decodeBase64Text(clean[:n])
	add(whole)
	if pads > 0 && firstPad < alpha {
		// data after a '=': the decoders that stop there see a prefix,
		// those that decode padded chunks one by one see their sum
		add(decodeBase64Text(clean[:firstPad]))
		add(base64Chunks(s))
	}
	return dst
}

// Byte classes of base64 text (b64class).
const (
	b64Other = iota
	b64Std   // the standard alphabet
	b64URL   // '-' and '_', the URL-safe alphabet's
	b64Pad   // '='
	b64Space // ' ', '\t', '\r', '\n'
)

// b64class is the class of each byte; b64clean maps each byte of either
// alphabet to the standard one ('-' to '+', '_' to '/'), every other
// byte to 0.
var b64class, b64clean = func() (class, clean [256]byte) {
	for i := 0; i < len(stdAlphabet); i++ {
		class[stdAlphabet[i]], clean[stdAlphabet[i]] = b64Std, stdAlphabet[i]
	}
	class['-'], clean['-'] = b64URL, '+'
	class['_'], clean['_'] = b64URL, '/'
	class['='] = b64Pad
	for _, c := range " \t\r\n" {
		class[c] = b64Space
	}
	return class, clean
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
			if len(out) == textProbe && !textSoFar(out) {
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
// concatenation when it is text.
func base64Chunks(s string) string {
	out := make([]byte, 0, len(s)*3/4+3)
	chunk := make([]byte, 0, len(s))
	flush := func() bool {
		if len(chunk) == 0 {
			return true
		}
		if len(chunk)%4 == 1 {
			chunk = chunk[:len(chunk)-1]
		}
		if !base64MayBeText(chunk) {
			return false
		}
		var ok bool
		if out, ok = appendBase64(out, chunk); !ok {
			return false
		}
		chunk = chunk[:0]
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			if !flush() {
				return ""
			}
		} else if c := b64clean[c]; c != 0 {
			chunk = append(chunk, c)
		}
	}
	if !flush() || !textLike(out) {
		return ""
	}
	return stringOf(out)
}

// decodeBase64Text decodes clean (standard alphabet, no padding) and
// returns the result when it is text, else "". A dangling sixth bit group
// (length 4n+1) is dropped, as lenient decoders do.
//
// A short decoding (most of the strings tried: tokens, ids, words that
// happen to be base64's alphabet) is made in a buffer on the stack and
// copied out only when it is text; a longer one in its own array.
func decodeBase64Text(clean []byte) string {
	if base64.RawStdEncoding.DecodedLen(len(clean)) <= smallDecoding {
		return decodeShortBase64Text(clean)
	}
	buf := decodeBase64Bytes(clean)
	if !textLike(buf) {
		return ""
	}
	return stringOf(buf)
}

// smallDecoding is the longest decoding decodeBase64Text makes on the
// stack.
const smallDecoding = 256

// decodeShortBase64Text is decodeBase64Text for a decoding of at most
// smallDecoding bytes.
func decodeShortBase64Text(clean []byte) string {
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	if len(clean) < 2 || !base64MayBeText(clean) {
		return ""
	}
	var small [smallDecoding]byte
	buf, _ := appendBase64(small[:0], clean)
	if !textLike(buf) {
		return ""
	}
	return string(buf)
}

// decodeBase64Bytes decodes clean (standard alphabet, no padding)
// leniently; nil when there is nothing to decode.
func decodeBase64Bytes(clean []byte) []byte {
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	if len(clean) < 2 {
		return nil
	}
	if !base64MayBeText(clean) {
		return nil
	}
	buf, _ := appendBase64(make([]byte, 0, base64.RawStdEncoding.DecodedLen(len(clean))), clean)
	return buf
}

// base64MayBeText reports whether the decoding of clean (standard
// alphabet, no padding, a dangling sixth bit group already dropped) can
// be text, judged from its first textProbe bytes when it is
// longer than that: false means it is not worth decoding.
func base64MayBeText(clean []byte) bool {
	if len(clean) <= textProbe*4/3+4 {
		return true
	}
	var probe [textProbe]byte
	n, err := base64.RawStdEncoding.Decode(probe[:], clean[:textProbe*4/3])
	return err != nil || textSoFar(probe[:n])
}

// appendBase64 appends the lenient decoding of clean (standard alphabet,
// no padding; a dangling sixth bit group is dropped, trailing bits that
// are not zero are kept as lenient decoders keep them). ok is false, and
// dst unchanged, when there is nothing to decode or clean is not
// base64.
func appendBase64(dst, clean []byte) (_ []byte, ok bool) {
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	if len(clean) < 2 {
		return dst, false
	}
	start := len(dst)
	dst = slices.Grow(dst, base64.RawStdEncoding.DecodedLen(len(clean)))
	buf := dst[start : start+base64.RawStdEncoding.DecodedLen(len(clean))]
	n, err := base64.RawStdEncoding.Decode(buf, clean)
	if err != nil {
		// trailing bits not zero: decode all but the last group strictly,
		// the last by hand, as lenient decoders do
		n = 0
		full := len(clean) &^ 3
		if full > 0 {
			if n, err = base64.RawStdEncoding.Decode(buf, clean[:full]); err != nil {
				return dst[:start], false
			}
		}
		if rest := clean[full:]; len(rest) >= 2 {
			var v uint32
			for _, c := range rest {
				v = v<<6 | uint32(b64val[c])
			}
			v <<= 6 * uint(4-len(rest))
			for i := 0; i < len(rest)-1; i++ {
				buf[n] = byte(v >> (16 - 8*uint(i)))
				n++
			}
		}
	}
	return dst[:start+n], true
}

const stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// b64val maps a byte to its value in the standard alphabet, or 0xff.
var b64val = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(stdAlphabet); i++ {
		t[stdAlphabet[i]] = byte(i)
	}
	return t
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
	if len(b) > 4 && !utf8.Valid(b[:len(b)-3]) && !utf8.Valid(b[:len(b)-2]) && !utf8.Valid(b[:len(b)-1]) && !utf8.Valid(b) {
		return false
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			ctl++
		}
	}
	return ctl*10 <= len(b)+10
}

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
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			ctl++
		}
	}
	return ctl*10 <= len(b)
}
