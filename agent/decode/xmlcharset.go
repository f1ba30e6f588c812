package decode

import (
	"io"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/utf7"
)

// xmlCharsetReader is the XML decoder's reader for a document whose
// declaration names an encoding other than UTF-8 (<?xml version="1.0"
// encoding="ISO-8859-1"?>, as SOAP clients and legacy systems send).
// Without one, encoding/xml refuses the document at its first token, and
// its elements would be judged only as one undivided text, while the
// handler's parser (lxml, .NET, Java) reads them, character references
// decoded: "<q>&#x27; OR &#x27;1&#x27;=&#x27;1</q>" reaches it as a
// quote breakout.
//
// The labels a handler's parser knows are mostly single-byte encodings
// that agree with ASCII, so every label not named below is read as
// windows-1252 (every byte is a character there, so the document always
// parses; for ISO-8859-1 and US-ASCII it is the same text, as WHATWG
// reads them too). UTF-16 labels read the text as it is: a body sent in
// UTF-16 was transcoded before it got here (walkBody), and one that only
// says so is read as the bytes it is. UTF-7 is decoded, since libxml2
// (iconv) decodes it and "+ADw-script+AD4-" is a tag there.
func xmlCharsetReader(label string, input io.Reader) (io.Reader, error) {
	label = strings.ToLower(strings.TrimSpace(label))
	switch {
	case label == "utf-8" || label == "utf8" || strings.HasPrefix(label, "utf-16") || label == "utf16" ||
		label == "ucs-2" || label == "unicode" || label == "iso-10646-ucs-2":
		return input, nil
	case isUTF7(label):
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		d, _ := utf7.Decode(string(b))
		return strings.NewReader(d), nil
	}
	b, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(codePageText(string(b), &windows1252)), nil
}

// windows1252 is the windows-1252 code page (see codePageText): ASCII
// as it is, 0x80-0x9F by the code page's table (cp1252), the rest the
// Latin-1 characters they are.
var windows1252 = func() (p [256]rune) {
	for i := range p {
		p[i] = rune(i)
	}
	copy(p[0x80:0xA0], cp1252[:])
	return p
}()

// cp1252 maps the bytes 0x80-0x9F of windows-1252 to their characters;
// the five the code page leaves undefined stay the C1 controls they are
// in Latin-1.
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}
