package code

import (
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Serialized objects of Python's pickle and .NET's BinaryFormatter: both
// formats rebuild arbitrary objects, and a pickle calls any function it
// names while it is loaded, so either in a cookie, a header or a field is
// a request to run code wherever the application deserialises it.

// picklePrefixes are the base64 spellings of the headers pickle writes
// since protocol 2: PROTO n, then for protocols 4 and 5 a FRAME ("\x80\x04\x95"
// is "gASV"), for 2 and 3 the first opcode, most often GLOBAL ('c': "gAJj",
// "gANj") or an empty dict or tuple.
var picklePrefixes = [...]string{"gASV", "gAWV", "gANj", "gAJj", "gAN9", "gAJ9", "gANd", "gAJd", "gANY", "gAJY", "gANV", "gAJV"}

// dotnetPrefix is the base64 of BinaryFormatter's stream header
// (SerializationHeaderRecord: 00 01 00 00 00 FF FF FF FF 01 00 00 00).
const dotnetPrefix = "AAEAAAD/////"

// PythonPickle returns the offset of a pickle in text (as written, not
// lower-cased), or -1: a base64 token that opens with one of the headers
// and decodes to a well-formed pickle (see wellFormedPickle: four letters
// of a random token, a file name or a key, match a header far too often),
// a raw pickle of protocol 2 to 5, or a protocol 0 pickle that imports a
// callable and calls it ("cos\nsystem\n(S'id'\ntR.": GLOBAL module name,
// then REDUCE).
func PythonPickle(text string) int {
	// every prefix starts "gA": one search for that, then the prefixes
	if i := lex.IndexWhere(text, "gA", func(i int) bool {
		if i > 0 && base64Byte(text[i-1]) {
			return false
		}
		for _, p := range picklePrefixes {
			if strings.HasPrefix(text[i:], p) {
				d, ok := decodeToken(text[i : i+tokenLen(text[i:])])
				return ok && wellFormedPickle(d)
			}
		}
		return false
	}); i >= 0 {
		return i
	}
	if len(text) >= 3 && text[0] == '\x80' && wellFormedPickle([]byte(text[:min(len(text), maxMarshalToken)])) {
		return 0
	}
	return protocol0Call(text)
}

// wellFormedPickle reports whether d opens and ends as a pickle of
// protocol 2 to 5 does: PROTO n; for protocols 4 and 5 a FRAME whose
// length fits the data; for 2 and 3 an opcode that starts a pickle's
// first object (GLOBAL, an empty dict, list or tuple, a string, MARK);
// and STOP ('.') last.
func wellFormedPickle(d []byte) bool {
	if len(d) < 4 || d[0] != 0x80 || d[1] < 2 || d[1] > 5 || d[len(d)-1] != '.' {
		return false
	}
	if d[1] >= 4 {
		if len(d) < 12 || d[2] != 0x95 {
			return false
		}
		n := binary.LittleEndian.Uint64(d[3:11])
		return n >= 1 && n <= uint64(len(d)-11)
	}
	return strings.IndexByte("c}])XUq(", d[2]) >= 0
}

// tokenLen is the length of the base64 token at the start of s, padding
// included, at most maxMarshalToken.
func tokenLen(s string) int {
	e := 0
	for e < len(s) && e < maxMarshalToken && (base64Byte(s[e]) || s[e] == '=') {
		e++
	}
	return e
}

// decodeToken decodes a base64 token (standard or URL alphabet, padded
// or not).
func decodeToken(tok string) ([]byte, bool) {
	tok = strings.TrimRight(tok, "=")
	if len(tok)%4 == 1 {
		tok = tok[:len(tok)-1]
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(tok, "-_") {
		enc = base64.RawURLEncoding
	}
	d, err := enc.DecodeString(tok)
	return d, err == nil
}

// DotNetSerialized returns the offset of a BinaryFormatter stream in text
// (base64 or raw), or -1.
func DotNetSerialized(text string) int {
	if i := TokenStart(text, dotnetPrefix); i >= 0 {
		return i
	}
	return strings.Index(text, "\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00")
}

// TokenStart returns the first place where p starts a base64 token in
// text: at the start or after a byte that no base64 alphabet has inside a
// token ('=' only pads the end of one: "session=rO0AB..." starts one).
// Every occurrence of p is looked at.
func TokenStart(text, p string) int {
	return lex.IndexWhere(text, p, func(i int) bool { return i == 0 || !base64Byte(text[i-1]) })
}

func base64Byte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// protocol0Call reads a protocol 0 pickle at the start of text: GLOBAL
// ("c" module "\n" name "\n"), a REDUCE ('R') that calls it on the tuple
// just built, and STOP ('.') at the end.
func protocol0Call(text string) int {
	if len(text) < 8 || text[0] != 'c' || !strings.HasSuffix(strings.TrimRight(text, "\n"), ".") {
		return -1
	}
	nl := strings.IndexByte(text, '\n')
	if nl < 2 || !dottedName(text[1:nl]) {
		return -1
	}
	rest := text[nl+1:]
	nl2 := strings.IndexByte(rest, '\n')
	if nl2 < 1 || !dottedName(rest[:nl2]) {
		return -1
	}
	// REDUCE right after the arguments' tuple: TUPLE ('t', or 't' and a
	// memo PUT line "tp2\n") or EMPTY_TUPLE (')')
	body := rest[nl2:]
	if strings.Contains(body, "tR") || strings.Contains(body, ")R") {
		return 0
	}
	if t := strings.Index(body, "\ntp"); t >= 0 && strings.Contains(body[t:], "\nR") {
		return 0
	}
	return -1
}

// dottedName reports a Python module or attribute path: words and dots.
func dottedName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !lex.IsWord(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// rubyGadgets are the classes whose instances a Ruby Marshal payload
// builds to run code when it is loaded: the universal Gem gadget chains,
// Rails' deprecation proxy, ERB templates, Net::WriteAdapter, Kernel and
// Logger, each as Marshal writes a class name (its length, as a small
// integer byte, then the name). A Rails cookie store session is Marshal
// data too ("BAh7..."), but a hash of strings names none of them.
var rubyGadgets = [...]string{"Gem::", "Net::WriteAdapter", "DeprecatedInstanceVariableProxy", "ActiveSupport::Deprecation", "\x08ERB", "\x0bKernel", "\x0bLogger"}

// maxMarshalToken bounds the base64 token a serialized reading decodes.
const maxMarshalToken = 64 << 10

// RubyMarshalGadget returns the offset of a base64 Ruby Marshal stream
// ("BAh": the version bytes 04 08) that names a gadget class, or -1.
func RubyMarshalGadget(text string) int {
	for off := 0; off < len(text); {
		i := TokenStart(text[off:], "BAh")
		if i < 0 {
			return -1
		}
		i += off
		off = i + tokenLen(text[i:])
		b, ok := decodeToken(text[i:off])
		if !ok {
			continue
		}
		d := string(b)
		for _, g := range rubyGadgets {
			if strings.Contains(d, g) {
				return i
			}
		}
	}
	return -1
}
