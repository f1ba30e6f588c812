// Package utf7 decodes UTF-7 (RFC 2152), the 7-bit encoding of Unicode
// that hides markup and quotes from byte-oriented filters ("+ADw-script+AD4-"
// is "<script>"): a body whose charset names it is read so by the
// handlers that honour the charset, and old browsers rendered a page so.
// The decoder reads such bodies with it and the XSS detectors try it on
// every value; one implementation serves both.
package utf7

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Decode transcodes s from UTF-7 (RFC 2152): "+" starts a run of
// modified base64 holding UTF-16 code units, ended by any other byte
// ("-" is absorbed), and "+-" is a plus sign. Python, iconv and .NET
// decode a body so when its charset says "utf-7", and "+ADw-script+AD4-"
// is then "<script>". It reports whether any run was decoded. A run of
// non-ASCII characters spells up to an eighth more bytes than it holds.
func Decode(s string) (string, bool) {
	var b []byte
	last := 0
	for i := strings.IndexByte(s, '+'); i >= 0; {
		j := i + 1
		for j < len(s) && digit[s[j]] != 0xff {
			j++
		}
		switch {
		case j == i+1 && (j == len(s) || s[j] != '-'), j > i+1 && j-i-1 < 3:
			// a '+' that starts no run, or a run too short to hold one
			// character ("C++"): ill-formed, kept as it is
		default:
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, s[last:i]...)
			if j == i+1 {
				b = append(b, '+') // "+-"
			} else {
				b = appendRun(b, s[i+1:j])
			}
			if j < len(s) && s[j] == '-' {
				j++
			}
			last = j
		}
		k := strings.IndexByte(s[j:], '+')
		if k < 0 {
			break
		}
		i = j + k
	}
	if b == nil {
		return s, false
	}
	return string(append(b, s[last:]...)), true
}

// appendRun appends the characters a run of modified base64 spells to dst,
// as UTF-8; bits left over at its end are dropped, as decoders do.
func appendRun(dst []byte, run string) []byte {
	var bits uint32
	n := 0
	var hi rune // a high surrogate waiting for its pair
	for i := 0; i < len(run); i++ {
		bits = bits<<6 | uint32(digit[run[i]])
		if n += 6; n < 16 {
			continue
		}
		n -= 16
		u := rune(bits >> n)
		bits &= 1<<n - 1
		switch {
		case hi != 0 && utf16.IsSurrogate(u) && u >= 0xdc00:
			dst = utf8.AppendRune(dst, utf16.DecodeRune(hi, u))
			hi = 0
			continue
		case hi != 0:
			dst = utf8.AppendRune(dst, utf8.RuneError)
			hi = 0
		}
		if utf16.IsSurrogate(u) && u < 0xdc00 {
			hi = u
			continue
		}
		dst = utf8.AppendRune(dst, u)
	}
	if hi != 0 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst
}

// digit maps a byte to its value as a digit of modified base64 (the
// standard alphabet, without padding), or 0xff.
var digit = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()
