package decode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A charset a request names is honoured by some handlers and ignored by
// others, so a body that names one is read both ways. Two kinds need
// readings of their own, since ASCII text does not survive them: the
// EBCDIC family ("q=%7D%40%D6%D9" is "' OR" to a handler that decodes
// form fields with the charset the request names, as Django does, and
// ASP.NET with its request encoding) and UTF-16 and UTF-32, whose form
// escapes are code units ("%27%00" is "'"). A UTF-7 body has its own
// reading (package utf7); every other charset agrees with ASCII on the
// characters attacks are written in.

// charsetReading decodes bytes in one charset a label may mean. whole is
// set where a body other than a form is transcoded here (a UTF-16 body is
// transcoded by walkBody itself).
type charsetReading struct {
	decode func(b []byte) string
	whole  bool
}

// charsetReadings returns the readings a charset label asks for, nil for
// a label every reading already covers.
func charsetReadings(label string) []charsetReading {
	if label == "" || label == "utf-8" || label == "utf8" || label == "us-ascii" || label == "iso-8859-1" {
		return nil // what nearly every body names (charsetOf lower-cases it)
	}
	var out []charsetReading
	for _, p := range ebcdicPages(label) {
		out = append(out, charsetReading{decode: func(b []byte) string { return codePageText(string(b), p) }, whole: true})
	}
	if out != nil {
		return out
	}
	l := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(label)), "_", "-")
	le16 := charsetReading{decode: func(b []byte) string { return utf16ToUTF8(string(b), false) }}
	be16 := charsetReading{decode: func(b []byte) string { return utf16ToUTF8(string(b), true) }}
	le32 := charsetReading{decode: func(b []byte) string { return utf32ToUTF8(b, false) }, whole: true}
	be32 := charsetReading{decode: func(b []byte) string { return utf32ToUTF8(b, true) }, whole: true}
	switch l {
	case "utf-16le", "utf16le":
		return []charsetReading{le16}
	case "utf-16be", "utf16be", "unicodefffe":
		return []charsetReading{be16}
	case "utf-16", "utf16", "unicode", "ucs-2", "iso-10646-ucs-2":
		// no order named: Python reads a BOM, or its own (little-endian)
		return []charsetReading{le16, be16}
	case "utf-32le", "utf32le":
		return []charsetReading{le32}
	case "utf-32be", "utf32be":
		return []charsetReading{be32}
	case "utf-32", "utf32", "ucs-4", "iso-10646-ucs-4":
		return []charsetReading{le32, be32}
	}
	return nil
}

// utf32ToUTF8 decodes b as UTF-32 in the byte order given, after a
// byte-order mark if one leads; a unit that is no character is U+FFFD.
func utf32ToUTF8(b []byte, bigEndian bool) string {
	if len(b) >= 4 && (b[0] == 0 && b[1] == 0 && b[2] == 0xfe && b[3] == 0xff || b[0] == 0xff && b[1] == 0xfe && b[2] == 0 && b[3] == 0) {
		bigEndian = b[0] == 0
		b = b[4:]
	}
	out := make([]byte, 0, len(b)/4+4)
	for i := 0; i+3 < len(b); i += 4 {
		var r rune
		if bigEndian {
			r = rune(b[i])<<24 | rune(b[i+1])<<16 | rune(b[i+2])<<8 | rune(b[i+3])
		} else {
			r = rune(b[i+3])<<24 | rune(b[i+2])<<16 | rune(b[i+1])<<8 | rune(b[i])
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// ebcdicPages returns the code pages a charset label means, nil for a
// label outside the EBCDIC family: its own page when the label names one
// of those tabled here or a variant that agrees with it on ASCII's
// characters (IBM01140 is IBM037 with the euro), and the two layouts of
// ASCII's punctuation most pages follow, IBM037's and IBM500's, for one
// named only by family (IBM1047, "EBCDIC-FI-SE"): each page is another
// reading of every value, so two bound the work (four doubled it).
func ebcdicPages(label string) []*[256]rune {
	var b strings.Builder
	for _, c := range strings.ToLower(label) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	l := b.String()
	all := []*[256]rune{&ebcdic037, &ebcdic500, &ebcdic273, &ebcdic1026}
	if strings.HasPrefix(l, "ebcdic") {
		switch l {
		case "ebcdiccpus", "ebcdiccpca", "ebcdiccpwt", "ebcdiccpnl", "ebcdiccphe":
			return all[:1]
		case "ebcdiccpbe", "ebcdiccpch":
			return all[1:2]
		}
		return all[:2]
	}
	digits := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(l, "cs"), "ibm"), "cp"), "0")
	if digits == l || digits == "" {
		return nil // not "cp", "ibm" or "csibm" and a number
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return nil
	}
	switch n {
	case 37, 424, 1140:
		return all[:1]
	case 500, 875, 1148:
		return all[1:2]
	case 273, 1141:
		return all[2:3]
	case 1026:
		return all[3:4]
	case 277, 278, 280, 284, 285, 290, 297, 420, 423, 870, 871, 880, 905, 918, 1025, 1047, 1097, 1112, 1122, 1123,
		1142, 1143, 1144, 1145, 1146, 1147, 1149:
		return all[:2]
	}
	return nil
}

// codePageText decodes every byte of s in the single-byte code page p (an
// EBCDIC page, windows-1252): a whole body or document sent in it.
func codePageText(s string, p *[256]rune) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = utf8.AppendRune(out, p[s[i]])
	}
	return string(out)
}

// charsetUnescape decodes a form value as a parser that unquotes it in
// a charset does (Python's unquote with an encoding): each run of %XX
// escapes is bytes of the charset, decoded together, and the other
// characters stay as they are ('+' a blank where plus). changed is false
// when s holds no escape.
func charsetUnescape(s string, plus bool, r charsetReading) (_ string, changed bool) {
	if !hasPercentEscape(s) {
		return s, false
	}
	out := make([]byte, 0, len(s))
	var run []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' && i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0 {
			run = append(run, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
			continue
		}
		if len(run) > 0 {
			out = append(out, r.decode(run)...)
			run = run[:0]
		}
		if c := s[i]; c == '+' && plus {
			out = append(out, ' ')
		} else {
			out = append(out, c)
		}
	}
	if len(run) > 0 {
		out = append(out, r.decode(run)...)
	}
	return string(out), true
}
