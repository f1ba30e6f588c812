package decode

// The base64 readings as they were before they were made cheaper per byte
// (one class table, Python's reading not decoded twice, chunks decoded
// into one buffer): the oracle TestBase64ReadingsMatchReference holds the
// new code to. Kept verbatim apart from the names.

import (
	"encoding/base64"
	"strings"
)

func refBase64Readings(s string, dst []reading) []reading {
	if len(s) < minBase64 {
		return dst
	}
	alpha, other, pads, firstPad := 0, 0, 0, -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '-', c == '_':
			alpha++
		case c == '=':
			pads++
			if firstPad < 0 {
				firstPad = alpha
			}
		case c == ' ', c == '\t', c == '\r', c == '\n':
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
	add(pythonBase64(s, false))
	if strings.ContainsAny(s, "-_") {
		add(pythonBase64(s, true))
	}
	// mostly alphabet: a few stray characters are what Node and lenient
	// decoders skip; more means prose or markup, not a token
	if other*8 > len(s) || pads > 0 && pads*4 > len(s) {
		return dst
	}
	clean := make([]byte, 0, alpha)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		}
	}
	whole := refDecodeBase64Text(clean)
	add(whole)
	if pads > 0 && firstPad < alpha {
		// data after a '=': the decoders that stop there see a prefix,
		// those that decode padded chunks one by one see their sum
		add(refDecodeBase64Text(clean[:firstPad]))
		add(refBase64Chunks(s))
	}
	return dst
}

// refBase64Chunks decodes s as padded base64 chunks one after another
// ("YWI=PHNj..."), each aligned on its own, and returns their
// concatenation when it is text.
func refBase64Chunks(s string) string {
	var out []byte
	chunk := make([]byte, 0, len(s))
	flush := func() bool {
		if len(chunk) == 0 {
			return true
		}
		d := refDecodeBase64Bytes(chunk)
		if d == nil {
			return false
		}
		out = append(out, d...)
		chunk = chunk[:0]
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			chunk = append(chunk, c)
		case c == '-':
			chunk = append(chunk, '+')
		case c == '_':
			chunk = append(chunk, '/')
		case c == '=':
			if !flush() {
				return ""
			}
		}
	}
	if !flush() || !textLike(out) {
		return ""
	}
	return stringOf(out)
}

// refDecodeBase64Text decodes clean (standard alphabet, no padding) and
// refDecodeBase64Text decodes clean (standard alphabet, no padding) and
// returns the result when it is text, else "". A dangling sixth bit group
// (length 4n+1) is dropped, as lenient decoders do.
func refDecodeBase64Text(clean []byte) string {
	buf := refDecodeBase64Bytes(clean)
	if !textLike(buf) {
		return ""
	}
	return stringOf(buf)
}

// refDecodeBase64Bytes decodes clean (standard alphabet, no padding)
// leniently; nil when there is nothing to decode.
func refDecodeBase64Bytes(clean []byte) []byte {
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	if len(clean) < 2 {
		return nil
	}
	if len(clean) > textProbe*4/3+4 {
		var probe [textProbe]byte
		if n, err := base64.RawStdEncoding.Decode(probe[:], clean[:textProbe*4/3]); err == nil && !textSoFar(probe[:n]) {
			return nil
		}
	}
	buf := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, err := base64.RawStdEncoding.Decode(buf, clean)
	if err != nil {
		// trailing bits not zero: decode all but the last group strictly,
		// the last by hand, as lenient decoders do
		n = 0
		full := len(clean) &^ 3
		if full > 0 {
			if n, err = base64.RawStdEncoding.Decode(buf, clean[:full]); err != nil {
				return nil
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
	return buf[:n]
}
