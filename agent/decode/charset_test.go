package decode

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestCharsetsAreReadBothWays: a body whose charset is of the EBCDIC
// family, UTF-16 or UTF-32 is read as a handler that honours the charset
// reads it (a form's escapes as bytes of the charset, any other body
// transcoded) and as one that ignores it.
func TestCharsetsAreReadBothWays(t *testing.T) {
	// "1' OR '1'='1' --" in IBM037 (and in 500, 273 and 1026 alike)
	const escaped = "%F1%7D%40%D6%D9%40%7D%F1%7D%7E%7D%F1%7D%40%60%60"
	json037, _ := hex.DecodeString("c07f987f7a7ff17d40d6d9407df17d7e7df17d4060607fd0") // {"q":"1' OR '1'='1' --"}
	for _, c := range []struct {
		name, contentType string
		body              []byte
		loc, want         string
	}{
		{"form, IBM037", "application/x-www-form-urlencoded; charset=ibm037", []byte("q=" + escaped), "body.q", "1' OR '1'='1' --"},
		{"form, cp500", "application/x-www-form-urlencoded; charset=cp500", []byte("q=" + escaped), "body.q", "1' OR '1'='1' --"},
		{"form, IBM01140", "application/x-www-form-urlencoded; charset=IBM01140", []byte("q=" + escaped), "body.q", "1' OR '1'='1' --"},
		{"form, IBM037 named second", "application/x-www-form-urlencoded; charset=utf-8; charset=ibm037", []byte("q=" + escaped), "body.q", "1' OR '1'='1' --"},
		{"form, IBM1047 (two pages)", "application/x-www-form-urlencoded; charset=ibm1047", []byte("q=" + escaped), "body.q", "1' OR '1'='1' --"},
		{"form name", "application/x-www-form-urlencoded; charset=ebcdic-cp-us", []byte(escaped + "=1"), "body.1' OR '1'='1' --", "1' OR '1'='1' --"},
		{"JSON, IBM037", "application/json; charset=ibm037", json037, "body.q", "1' OR '1'='1' --"},
		// UTF-16 and UTF-32: a form's escapes are code units, as Python's
		// unquote decodes them with the charset
		{"form, UTF-16", "application/x-www-form-urlencoded; charset=utf-16", []byte("q=%31%00%27%00%20%00%4F%00%52%00%20%00%27%00%31%00%27%00%3D%00%27%00%31%00"), "body.q", "1' OR '1'='1"},
		{"form, UTF-16BE", "application/x-www-form-urlencoded; charset=utf-16be", []byte("q=%00%31%00%27%00%20%00%4F%00%52%00%20%00%27%00%31%00%27%00%3D%00%27%00%31"), "body.q", "1' OR '1'='1"},
		{"form, UTF-32", "application/x-www-form-urlencoded; charset=utf-32", []byte("q=%27%00%00%00%2D%00%00%00%2D%00%00%00"), "body.q", "'--"},
		{"JSON, UTF-32BE", "application/json; charset=utf-32be", []byte("\x00\x00\x00{\x00\x00\x00\"\x00\x00\x00q\x00\x00\x00\"\x00\x00\x00:\x00\x00\x00\"\x00\x00\x00'\x00\x00\x00\"\x00\x00\x00}"), "body.q", "'"},
		// a charset that says UTF-16 over bytes that are not: parsers that
		// ignore it (Go's, Flask's get_json) read them as sent
		{"ASCII JSON said to be UTF-16", "application/json; charset=utf-16", []byte(`{"q":"1' OR '1'='1"}`), "body.q", "1' OR '1'='1"},
		{"ASCII form said to be UTF-16LE", "application/x-www-form-urlencoded; charset=utf-16le", []byte("q=1%27+OR+%271%27%3D%271"), "body.q", "1' OR '1'='1"},
	} {
		vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: c.contentType, Body: c.body})
		found := false
		for _, v := range vals {
			found = found || v.Text == c.want
		}
		if !found {
			t.Errorf("%s: %q not read; values %v", c.name, c.want, vals)
		}
	}
}

func TestEBCDICPagesByLabel(t *testing.T) {
	for _, c := range []struct {
		label string
		pages int
		first *[256]rune
	}{
		{"ibm037", 1, &ebcdic037},
		{"IBM-037", 1, &ebcdic037},
		{"cp37", 1, &ebcdic037},
		{"ebcdic-cp-us", 1, &ebcdic037},
		{"ibm500", 1, &ebcdic500},
		{"ebcdic-cp-ch", 1, &ebcdic500},
		{"IBM01141", 1, &ebcdic273},
		{"cp1026", 1, &ebcdic1026},
		{"ibm1047", 2, &ebcdic037},
		{"EBCDIC-FI-SE", 2, &ebcdic037},
		{"utf-8", 0, nil},
		{"iso-8859-1", 0, nil},
		{"cp1252", 0, nil},
		{"ibm850", 0, nil},
		{"cp", 0, nil},
	} {
		got := ebcdicPages(c.label)
		if len(got) != c.pages || c.pages > 0 && got[0] != c.first {
			t.Errorf("ebcdicPages(%q) = %d pages, want %d", c.label, len(got), c.pages)
		}
	}
}

func TestCharsetUnescapeKeepsWhatIsNotEscaped(t *testing.T) {
	ibm037 := charsetReadings("ibm037")[0]
	for _, c := range []struct {
		in, want string
		changed  bool
	}{
		{"%C1%C2", "AB", true},
		{"x+%C1", "x A", true},
		{"plain", "plain", false},
		{"50%", "50%", false},
		{"%C1%", "A%", true},
	} {
		got, changed := charsetUnescape(c.in, true, ibm037)
		if got != c.want || changed != c.changed {
			t.Errorf("charsetUnescape(%q) = %q, %v; want %q, %v", c.in, got, changed, c.want, c.changed)
		}
	}
}

// TestJSONAfterAByteOrderMarkIsWalked: a UTF-8 byte-order mark before a
// JSON body is dropped, as Python's json.loads of bytes and Express's
// body-parser drop it, so its members are judged at their locations.
func TestJSONAfterAByteOrderMarkIsWalked(t *testing.T) {
	vals, de := walk(t, New(Limits{}), &event.Request{ContentType: "application/json", Body: []byte("\ufeff{\"q\":\"1' OR '1'='1\"}")})
	if hasIssue(de, MalformedJSON) {
		t.Errorf("refused as malformed: %v", de)
	}
	find(t, vals, "body.q", "1' OR '1'='1")
}

// TestCharsetsBeyondTheBoundAreALimit: a content type naming more
// charsets than the body is read in reports the bound, so that onLimit
// decides, rather than reading some and passing over the rest.
func TestCharsetsBeyondTheBoundAreALimit(t *testing.T) {
	ct := "application/x-www-form-urlencoded; charset=utf-8; charset=latin1; charset=cp1252; charset=ibm037"
	_, de := walk(t, New(Limits{}), &event.Request{ContentType: ct, Body: []byte("q=1")})
	if !hasIssue(de, LayerLimit) {
		t.Errorf("four charsets: no layer limit reported: %v", de)
	}
	_, de = walk(t, New(Limits{}), &event.Request{ContentType: "application/x-www-form-urlencoded; charset=utf-8; charset=UTF-8", Body: []byte("q=1")})
	if de != nil {
		t.Errorf("one charset named twice: %v", de)
	}
}

// TestJSONBytesEncodingIsPythons: a body is also read in the encoding
// Python's json.loads gives it as bytes, decided by its first four bytes,
// however little the rest looks like UTF-16 (CJK text has no NUL bytes)
// and with no charset named.
func TestJSONBytesEncodingIsPythons(t *testing.T) {
	doc := `{"q":"` + strings.Repeat("漢", 30) + `' OR '1'='1"}`
	for _, c := range []struct {
		name string
		body []byte
		want string
	}{
		{"UTF-16LE diluted by CJK", utf16Bytes(doc, false, false), strings.Repeat("漢", 30) + "' OR '1'='1"},
		{"UTF-16BE diluted by CJK", utf16Bytes(doc, true, false), strings.Repeat("漢", 30) + "' OR '1'='1"},
		{"UTF-32LE", []byte("{\x00\x00\x00\"\x00\x00\x00q\x00\x00\x00\"\x00\x00\x00:\x00\x00\x00\"\x00\x00\x00'\x00\x00\x00\"\x00\x00\x00}\x00\x00\x00"), "'"},
	} {
		vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: "application/json", Body: c.body})
		find(t, vals, "body.q", c.want)
	}
	for _, c := range []struct {
		in        string
		wide      int
		bigEndian bool
	}{
		{`{"a":1}`, 0, false},
		{"{\x00\"\x00", 16, false},
		{"\x00{\x00\"", 16, true},
		{"{\x00\x00\x00", 32, false},
		{"\x00\x00\x00{", 32, true},
		{"\xff\xfe\x00\x00", 32, false},
		{"ab", 0, false},
	} {
		if wide, be := jsonBytesEncoding(c.in); wide != c.wide || be != c.bigEndian {
			t.Errorf("jsonBytesEncoding(%q) = %d, %v; want %d, %v", c.in, wide, be, c.wide, c.bigEndian)
		}
	}
}
