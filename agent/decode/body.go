package decode

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/andybalholm/brotli"

	"github.com/lambdawaf/lambdawaf/agent/internal/utf7"
)

// walkBody decodes a body by its content encoding and media type, sniffing
// the content when the type is missing or lies. Structured bodies (JSON,
// form, multipart, XML) yield their leaves; anything else is yielded whole.
func (w *walker) walkBody(body, contentType, contentEncoding, loc string, depth int) {
	if w.stop || body == "" {
		return
	}
	// content encoding: declared, or sniffed from the gzip magic number
	coding := strings.ToLower(strings.TrimSpace(contentEncoding))
	if coding == "" && len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		coding = "gzip"
	}
	switch coding {
	case "", "identity":
	case "gzip", "x-gzip", "deflate", "br":
		if w.walkCompressed(body, coding, contentType, loc, depth) {
			return
		}
		// not compressed after all: judged as the declared type below
	default:
		// zstd, compress, a list of codings: not decoded here, so a
		// handler that decodes it reads what was not inspected; the raw
		// bytes are judged too, for the handlers that do not
		w.issue(UnsupportedCoding, loc)
	}

	media, boundaries := mediaType(contentType)
	// UTF-16 bodies (declared, with a byte-order mark, or sniffed) are what
	// .NET and Java applications happily decode and byte-oriented WAFs do
	// not: transcode, then judge as declared.
	charsets, all := charsetsOf(contentType)
	if !all {
		w.issue(LayerLimit, loc) // charsets the body was not read in
	}
	evidentBE, evident := utf16Evident(body)
	var orders []bool // the UTF-16 byte orders to read body in
	if evident {
		orders = append(orders, evidentBE)
	}
	for _, cs := range charsets {
		if be, ok := utf16Declared(body, cs); ok && !slices.Contains(orders, be) {
			orders = append(orders, be)
		}
	}
	wide, wideBE := jsonBytesEncoding(body)
	if wide == 16 && !slices.Contains(orders, wideBE) {
		orders = append(orders, wideBE)
	}
	if wide == 32 {
		// UTF-32, which nothing else here reads unlabelled
		w.walkReading(utf32ToUTF8(bytesOf(body), wideBE), encUTF32, media, boundaries, loc, depth)
	}
	if len(orders) > 0 {
		if depth >= w.lim.MaxLayers {
			w.issue(DepthLimit, loc)
			return
		}
		// the order the bytes show, and those the charsets name where
		// they differ: a handler may go by either (Python's json.loads
		// reads the bytes, a parser that honours the charset reads it)
		for _, be := range orders {
			w.walkReading(utf16ToUTF8(body, be), encUTF16, media, boundaries, loc, depth)
		}
		if evident {
			return
		}
		// only the charset says UTF-16: the parsers that ignore it (Go's,
		// Flask's get_json, a form parser) read the bytes as sent, and
		// those that honour it read a form's escapes as code units
	}
	// a form is parsed before its values are decoded in a charset: no
	// handler transcodes it whole
	form := media == "application/x-www-form-urlencoded" || strings.HasPrefix(media, "multipart/")
	if slices.ContainsFunc(charsets, isUTF7) {
		// the handler that honours the charset reads the transcoded
		// text, or each value decoded so once it is parsed (a form's
		// "%2BADw-" is "<": its '+' is a blank); one that ignores it,
		// the bytes: judge all
		outer := w.utf7
		w.utf7 = true
		defer func() { w.utf7 = outer }()
		if d, changed := utf7.Decode(body); changed && !form {
			w.walkReading(d, encUTF7, media, boundaries, loc, depth)
		}
	}
	var rs []charsetReading
	for _, cs := range charsets {
		rs = append(rs, charsetReadings(cs)...)
	}
	if rs != nil {
		// as UTF-7: a form's values are read in the charset once parsed
		// (expandURL), any other body transcoded whole, in each reading
		outer := w.charsets
		w.charsets = rs
		defer func() { w.charsets = outer }()
		for _, r := range rs {
			if r.whole && !form && !w.stop {
				w.walkReading(r.decode(bytesOf(body)), encCharset, media, boundaries, loc, depth)
			}
		}
	}
	w.walkMedia(body, media, boundaries, loc, depth)
}

// walkReading walks text, a reading of a whole body with encoding e
// removed, as the body's media type; at the layer bound it records the
// bound instead.
func (w *walker) walkReading(text string, e enc, media string, boundaries []string, loc string, depth int) {
	if depth >= w.lim.MaxLayers {
		w.issue(DepthLimit, loc)
		return
	}
	if w.push(e) {
		w.walkMedia(text, media, boundaries, loc, depth+1)
		w.pop()
	}
}

// walkCompressed inflates a gzip, deflate or Brotli body and walks what it
// holds.
// It reports false when the body is not compressed after all (nothing
// inflates), so that the caller judges it as it is.
func (w *walker) walkCompressed(body, coding, contentType, loc string, depth int) bool {
	if depth >= w.lim.MaxLayers {
		w.issue(DepthLimit, loc)
		return true
	}
	e := encGzip
	switch coding {
	case "deflate":
		e = encDeflate
	case "br":
		e = encBrotli
	}
	plain, tail, ok := w.inflate(body, coding, loc)
	if !ok && plain == "" {
		return false
	}
	if w.push(e) {
		w.walkBody(plain, contentType, "", loc, depth+1)
		w.pop()
	}
	if tail != "" {
		w.issue(TrailingData, loc)
	}
	// A handler that does not decompress (most do not: neither API
	// Gateway nor the usual frameworks honour Content-Encoding) parses
	// the raw bytes as the declared type; for form and multipart that
	// reading finds pairs in stored blocks, the gzip header's file
	// name and comment, and whatever follows the stream.
	switch media, boundaries := mediaType(contentType); {
	case media == "application/x-www-form-urlencoded":
		w.walkForm(body, loc)
	case strings.HasPrefix(media, "multipart/"):
		w.walkMultipart(body, boundaries, loc, depth+1)
	case tail != "":
		w.walkBody(tail, contentType, "", loc, depth+1)
	}
	return true
}

// walkMedia walks a body in plain text by its media type.
func (w *walker) walkMedia(body, media string, boundaries []string, loc string, depth int) {
	switch {
	case media == "application/x-ndjson" || media == "application/jsonl" || media == "application/json-seq":
		w.walkJSONLines(body, loc, depth)
	case isJSONType(media):
		// a UTF-8 byte-order mark is dropped, as Python's json.loads of
		// bytes (Flask, FastAPI) and Express's body-parser drop it
		if w.walkJSON(strings.TrimPrefix(body, "\ufeff"), loc, depth, true) {
			return
		}
		// the type lied or the body is truncated: judge it as text too
		w.walkSniffed(body, loc, depth, false)
	case media == "application/x-www-form-urlencoded":
		w.walkForm(body, loc)
	case strings.HasPrefix(media, "multipart/"):
		w.walkMultipart(body, boundaries, loc, depth)
	case isXMLType(media):
		w.walkXML(body, loc, depth)
	case media == "application/graphql":
		w.expand(loc+".query", "query", body, depth)
	default:
		w.walkSniffed(body, loc, depth, true)
	}
}

// walkSniffed guesses the format of a body from its first bytes. Except
// for well-formed JSON, it yields the whole body as text as well, since the
// application may treat it as such (an HTML fragment sent as text/plain is
// XSS whether or not it parses as XML).
func (w *walker) walkSniffed(body, loc string, depth int, tryJSON bool) {
	trimmed := strings.TrimLeft(body, " \t\r\n\ufeff")
	if trimmed == "" {
		return
	}
	// Well-formed JSON is unambiguous: its leaves cover everything an
	// application can read from it, so it is not judged whole as well
	// (raw JSON text is a rich source of false positives).
	if tryJSON && (trimmed[0] == '{' || trimmed[0] == '[') && w.walkJSON(body, loc, depth, false) {
		return
	}
	if !w.emit(loc, "", body, false) {
		return
	}
	// the guessed structure, and every reading of the whole: a guess is
	// a guess ("YWJj=" is base64 and a form pair both)
	switch {
	case trimmed[0] == '<':
		w.walkXML(body, loc, depth)
	case strings.HasPrefix(trimmed, "--") && strings.Contains(trimmed, "Content-Disposition"):
		if line, _, ok := strings.Cut(trimmed[2:], "\n"); ok {
			w.walkMultipart(body, []string{strings.TrimRight(line, "\r")}, loc, depth)
		}
	case looksLikeForm(trimmed):
		w.walkForm(trimmed, loc)
	}
	w.expandNoEmit(loc, "", body, depth)
}

// looksLikeForm reports whether s, a body that came without a form
// content type, is plausibly name=value&...: an '=' early on and no
// blanks, line breaks or markup, or, blanks in the values or not, a
// field name first (the characters PHP and the CRS tests name fields
// with) and '='. An application that parses such a body as a form
// (parse_qs on the raw bytes) reads each field's value on its own, with
// '+' a blank ("pay=AND+1%3D1", "q=1 OR 1=1").
func looksLikeForm(s string) bool {
	if eq := strings.IndexByte(s, '='); eq > 0 && eq <= 256 && strings.IndexAny(s, " \n\r\t<>{}") < 0 {
		return true
	}
	for i := 0; i < len(s) && i < 128; i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9',
			c == '_' || c == '.' || c == '[' || c == ']' || c == '$' || c == '-' || c == '@':
		case c == '=':
			return i > 0
		default:
			return false
		}
	}
	return false
}

func isJSONType(m string) bool {
	return m == "application/json" || strings.HasSuffix(m, "+json") || m == "text/json" ||
		m == "application/x-amz-json-1.0" || m == "application/x-amz-json-1.1"
}

func isXMLType(m string) bool {
	return m == "application/xml" || m == "text/xml" || strings.HasSuffix(m, "+xml")
}

// errBomb marks output cut at MaxDecompressed.
var errBomb = errors.New("decompressed size limit")

// inflate decompresses body within MaxDecompressed and MaxRatio. It
// returns what it could decompress, whether the stream was complete, and
// the bytes after the last gzip member: every member of a multi-member
// stream is inflated, and what follows them is returned as tail (a
// handler that never decompresses reads it as plain text). A bomb or a
// corrupt stream is reported as an issue.
func (w *walker) inflate(body, coding, loc string) (plain, tail string, ok bool) {
	src := strings.NewReader(body)
	var r io.Reader
	var gr *gzip.Reader
	switch coding {
	case "deflate":
		// "deflate" is zlib-wrapped per RFC 9110, raw deflate in practice
		// from some clients: try zlib first.
		if zr, err := zlib.NewReader(src); err == nil {
			r = zr
		} else {
			src.Reset(body)
			r = flate.NewReader(src)
		}
	case "br":
		// Brotli, which Express's body-parser (2.x), Koa's co-body and
		// Node's zlib decode; its reader reads ahead of the stream's end,
		// so bytes after it are not told apart (a corrupt stream is)
		r = brotli.NewReader(src)
	default:
		var err error
		if gr, err = gzip.NewReader(src); err != nil {
			w.issue(MalformedCompression, loc)
			return "", "", false
		}
		gr.Multistream(false)
		r = gr
	}
	// MaxDecompressed bounds the output of every stream in the walk
	// together: a thousand small bombs are one big one. MaxRatio bounds
	// this stream against its own size.
	limit := min(w.lim.MaxDecompressed-w.inflated, w.lim.MaxBytes-w.bytes, max(RatioFloor, w.lim.MaxRatio*len(body)))
	limit = max(limit, 0)
	var buf bytes.Buffer
	for {
		_, err := io.Copy(&buf, io.LimitReader(r, int64(limit-buf.Len())+1))
		if buf.Len() > limit {
			w.inflated += limit
			w.issue(DecompressionBomb, loc)
			return stringOf(buf.Bytes()[:limit]), "", false
		}
		if err != nil {
			w.inflated += buf.Len()
			w.issue(MalformedCompression, loc)
			return stringOf(buf.Bytes()), "", false
		}
		if gr == nil || src.Len() == 0 {
			break
		}
		rest := body[len(body)-src.Len():]
		if len(rest) < 2 || rest[0] != 0x1f || rest[1] != 0x8b {
			tail = rest
			break
		}
		if err := gr.Reset(src); err != nil {
			tail = rest
			break
		}
		gr.Multistream(false)
	}
	w.inflated += buf.Len()
	return stringOf(buf.Bytes()), tail, true
}

// jsonBytesEncoding reports the encoding Python's json.loads gives a body
// handed to it as bytes (json.detect_encoding: Flask's get_json,
// Starlette's and FastAPI's request.json()): UTF-16 or UTF-32 (wide 16 or
// 32) in the byte order bigEndian, read off the byte-order mark or the
// NUL bytes among the first four bytes alone, or 0 for UTF-8. The first
// four bytes decide for all the rest, so a body that opens as UTF-16 and
// goes on in characters without NUL bytes is UTF-16 to the handler
// however little the rest looks like it.
func jsonBytesEncoding(b string) (wide int, bigEndian bool) {
	switch {
	case strings.HasPrefix(b, "\x00\x00\xfe\xff"):
		return 32, true
	case strings.HasPrefix(b, "\xff\xfe\x00\x00"):
		return 32, false
	case strings.HasPrefix(b, "\xfe\xff"):
		return 16, true
	case strings.HasPrefix(b, "\xff\xfe"):
		return 16, false
	case len(b) < 4:
		return 0, false
	case b[0] == 0 && b[1] != 0:
		return 16, true
	case b[0] == 0 && b[3] != 0:
		return 32, true
	case b[0] == 0:
		// NULs alone (a bomb's zeros) are no text in any of them
	case b[1] == 0 && (b[2] != 0 || b[3] != 0):
		return 16, false
	case b[1] == 0:
		return 32, false
	}
	return 0, false
}

// utf16Declared reports the byte order the charset cs names for body:
// its own for UTF-16BE and UTF-16LE, the one its NUL bytes suggest for a
// charset that names none.
func utf16Declared(body, cs string) (bigEndian, ok bool) {
	switch cs {
	case "utf-16be", "unicodefffe":
		return true, true
	case "utf-16le":
		return false, true
	case "utf-16", "unicode", "utf16":
		even, odd := nulParity(body)
		return even > odd, true
	}
	return false, false
}

// utf16Evident reports whether the bytes of body say UTF-16 themselves,
// whatever the charset: a byte-order mark, or the NUL bytes that ASCII
// text in UTF-16 is full of, at every other offset.
func utf16Evident(body string) (bigEndian, ok bool) {
	if len(body) < 2 {
		return false, false
	}
	switch {
	case body[0] == 0xfe && body[1] == 0xff:
		return true, true
	case body[0] == 0xff && body[1] == 0xfe && !(len(body) >= 4 && body[2] == 0 && body[3] == 0): // not UTF-32LE
		return false, true
	}
	even, odd := nulParity(body)
	pairs := min(len(body), 64) / 2
	switch {
	case pairs >= 4 && odd*4 >= pairs*3 && even*8 <= pairs:
		return false, true
	case pairs >= 4 && even*4 >= pairs*3 && odd*8 <= pairs:
		return true, true
	}
	return false, false
}

// nulParity counts the NUL bytes at even and at odd offsets of body's
// first 64 bytes.
func nulParity(body string) (even, odd int) {
	n := min(len(body), 64) &^ 1
	for i := 0; i < n; i += 2 {
		if body[i] == 0 {
			even++
		}
		if body[i+1] == 0 {
			odd++
		}
	}
	return even, odd
}

// utf16ToUTF8 transcodes UTF-16 (without its byte-order mark); unpaired
// surrogates become U+FFFD and a trailing odd byte is dropped.
func utf16ToUTF8(body string, bigEndian bool) string {
	if len(body) >= 2 && (body[0] == 0xfe && body[1] == 0xff || body[0] == 0xff && body[1] == 0xfe) {
		body = body[2:]
	}
	out := make([]byte, 0, len(body)/2+8)
	unit := func(i int) rune {
		if bigEndian {
			return rune(body[i])<<8 | rune(body[i+1])
		}
		return rune(body[i+1])<<8 | rune(body[i])
	}
	for i := 0; i+1 < len(body); i += 2 {
		r := unit(i)
		if utf16.IsSurrogate(r) {
			if i+3 < len(body) {
				if d := utf16.DecodeRune(r, unit(i+2)); d != utf8.RuneError {
					out = utf8.AppendRune(out, d)
					i += 2
					continue
				}
			}
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return stringOf(out)
}

// walkJSONLines walks newline-delimited JSON (and RFC 7464 sequences,
// whose records start with RS): each line is a document located as
// loc[i].
func (w *walker) walkJSONLines(body, loc string, depth int) {
	i := 0
	for line := range strings.Lines(body) {
		if w.stop {
			return
		}
		line = strings.Trim(line, " \t\r\n\x1e")
		if line == "" {
			continue
		}
		lloc := loc + "[" + strconv.Itoa(i) + "]"
		i++
		if !w.walkJSON(line, lloc, depth, true) {
			w.expand(lloc, "", line, depth)
		}
	}
}

// gzipInBase64 reads s as base64 of a gzip stream, as a handler of
// CloudWatch Logs subscriptions reads its event ({"awslogs": {"data":
// "H4sI..."}}: base64, then gunzip, then JSON) and as other services and
// clients pack payloads: the inflated text, bounded as a body's is. Only a
// token that opens as gzip's header does in base64 ("H4sI") is tried;
// a base64 reading of anything else that is not text is dropped.
func (w *walker) gzipInBase64(s, loc string) (string, bool) {
	if len(s) < 24 || !strings.HasPrefix(s, "H4sI") {
		return "", false
	}
	t := strings.TrimRight(s, "=")
	var b []byte
	for _, enc := range [...]*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if d, err := enc.DecodeString(t); err == nil {
			b = d
			break
		}
	}
	if b == nil {
		return "", false
	}
	plain, _, ok := w.inflate(stringOf(b), "gzip", loc)
	if !ok && plain == "" || !textLike(bytesOf(plain)) {
		return "", false
	}
	return plain, true
}
