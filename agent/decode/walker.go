package decode

import (
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// Encoding names recorded in event.Value.Decoded.
const (
	EncBase64     = "base64"
	EncURL        = "url"
	EncURLUnicode = "url-unicode" // IIS-style %uXXXX
	EncHTML       = "html"        // HTML/XML character references
	EncJSON       = "json"        // a JSON document inside a string
	EncJSONEscape = "json-escape" // \uXXXX escapes in a JSON string
	EncGzip       = "gzip"
	EncDeflate    = "deflate"
	EncUTF16      = "utf-16"    // a UTF-16 body transcoded to UTF-8
	EncHex        = "hex"       // hexadecimal digits, 0x-prefixed or bare
	EncJWT        = "jwt"       // the header or payload of a JSON Web Token
	EncJSEscape   = "js-escape" // \xXX, \u00XX, \n, \r and \t as a script or PHP string reads them
	EncUTF7       = "utf-7"     // RFC 2152 UTF-7 ("+ADw-script+AD4-")
	EncBrotli     = "br"        // a Brotli-compressed body
	EncCharset    = "charset"   // bytes in the EBCDIC, UTF-16 or UTF-32 charset a body names
	EncFullwidth  = "fullwidth" // fullwidth forms folded to ASCII ("＇" is "'"), as NFKC folds them
	EncUTF32      = "utf-32"    // a UTF-32 body transcoded to UTF-8
)

// encoding codes, 5 bits each in a chain code
var encNames = [...]string{"", EncBase64, EncURL, EncURLUnicode, EncHTML, EncJSON, EncJSONEscape, EncGzip, EncDeflate, EncUTF16, EncHex, EncJWT, EncJSEscape, EncUTF7, EncBrotli, EncCharset, EncFullwidth, EncUTF32}

type enc uint8

const (
	encNone enc = iota
	encBase64
	encURL
	encURLUnicode
	encHTML
	encJSON
	encJSONEscape
	encGzip
	encDeflate
	encUTF16
	encHex
	encJWT
	encJSEscape
	encUTF7
	encBrotli
	encCharset
	encFullwidth
	encUTF32
)

// maxChain is how many encodings a chain code holds.
const maxChain = 12

// walker is the state of one Walk.
type walker struct {
	lim      Limits
	visit    func(event.Value) bool
	stop     bool // visitor said stop, or a limit was hit
	limited  bool
	values   int
	bytes    int
	inflated int     // decompressed bytes so far
	issues   []Issue // anomalies, at most maxIssues
	limits   []Issue // limits reached, at most maxIssues (see issue)
	omitted  int     // issues the caps left out
	start    time.Time
	// readBudget is what is left of the bytes that readings of the
	// current top-level value may produce (see resetReadings).
	readBudget int
	// readSeen holds the hashes of the readings of the current top-level
	// value, so that decodings that commute (URL then HTML, HTML then
	// URL) are judged once.
	readSeen map[uint64]struct{}
	seed     maphash.Seed
	// silent is set while the readings of a silent reading (see
	// silentReading) are expanded: its URL decodings are silent too.
	silent bool
	// utf7 is set while a body whose charset says UTF-7 is walked: a
	// handler that honours it (Django decodes form fields with the
	// declared charset) reads each value so, after its other decodings.
	utf7 bool
	// charsets are the readings the body's charset asks for (see
	// charsetReadings), nil for most bodies: its form values are also
	// read in each
	charsets []charsetReading
	// yielded and expanded remember the long values (dedupMin bytes or
	// more) this walk has judged and expanded: a value reached twice
	// (a body yielded as text and again as the fallback of a structure
	// that did not parse) is judged once. See emit and expandNoEmit.
	yielded  map[valueKey]struct{}
	expanded map[valueKey]int // smallest depth expanded at
	// names remembers the short names yielded as names of their own
	// (IsKey) in this walk, by part: a value under one is marked
	// KeyJudged, so that its name is not judged again beside it.
	names map[nameKey]struct{}

	part   event.Part
	record int
	chain  []enc
	// chains interns the Decoded slices, keyed by chain code; they hold
	// only constants, so sharing them across walks is safe.
	chains map[uint64][]string

	path   []byte  // location under construction
	locs   []byte  // this walk's location arena; see location
	frames []frame // open JSON containers
	nest   int     // open JSON containers, across nested documents
	// scanners are reused per level of JSON-inside-JSON
	scanners  []*jsonscan.Scanner
	scanDepth int
}

func (w *walker) reset(d *Decoder, visit func(event.Value) bool) {
	w.lim = d.lim
	w.visit = visit
	w.stop, w.limited, w.utf7, w.charsets = false, false, false, nil
	w.values, w.bytes, w.inflated = 0, 0, 0
	w.issues, w.limits, w.omitted = w.issues[:0], w.limits[:0], 0
	w.start = time.Now()
	w.part, w.record = event.PartUnknown, -1
	w.chain = w.chain[:0]
	w.path = w.path[:0]
	w.locs = nil // handed-out locations live in it: never reuse
	w.frames = w.frames[:0]
	w.nest, w.scanDepth = 0, 0
	clear(w.yielded)
	clear(w.expanded)
	clear(w.names)
	if len(w.chains) > 1024 {
		clear(w.chains)
	}
}

// chainCode packs the encodings removed so far, 5 bits each (at most
// maxChain of them).
func (w *walker) chainCode() uint64 {
	var code uint64
	for _, e := range w.chain {
		code = code<<5 | uint64(e)
	}
	return code
}

// nameKey is a name yielded as a value of its own, by part.
type nameKey struct {
	part event.Part
	name string
}

// maxNameKey is the longest name walker.names remembers: names are short,
// and a long one is judged beside its values as before.
const maxNameKey = 64

// dedupMin is the length from which a value is remembered so that it is
// judged once per walk. Below it, judging costs about what remembering
// would.
const dedupMin = 1 << 10

// valueKey is everything that makes up a yielded event.Value (the
// Decoded chain as its code): two values with equal keys are the same
// value, and every detector judges them alike.
type valueKey struct {
	loc, key, text string
	chain          uint64
	part           event.Part
	record         int
	isKey          bool
}

func (w *walker) keyOf(loc, key, text string, isKey bool) valueKey {
	return valueKey{loc: loc, key: key, text: text, chain: w.chainCode(), part: w.part, record: w.record, isKey: isKey}
}

// firstYield reports whether this walk has not yet yielded the value, and
// remembers it. The text is compared whole (a map key), not by a hash.
func (w *walker) firstYield(k valueKey) bool {
	if w.yielded == nil {
		w.yielded = make(map[valueKey]struct{})
	}
	if _, ok := w.yielded[k]; ok {
		return false
	}
	w.yielded[k] = struct{}{}
	return true
}

// firstExpansion reports whether this walk has not yet expanded the value
// at depth or shallower (a shallower expansion had more layers left, so
// it reached every reading this one would), and remembers it.
func (w *walker) firstExpansion(k valueKey, depth int) bool {
	if w.expanded == nil {
		w.expanded = make(map[valueKey]int)
	}
	if d, ok := w.expanded[k]; ok && d <= depth {
		return false
	}
	w.expanded[k] = depth
	return true
}

func (w *walker) decoded() []string {
	if len(w.chain) == 0 {
		return nil
	}
	code := w.chainCode()
	if s, ok := w.chains[code]; ok {
		return s
	}
	s := make([]string, len(w.chain))
	for i, e := range w.chain {
		s[i] = encNames[e]
	}
	s = s[:len(s):len(s)]
	w.chains[code] = s
	return s
}

// push records one more encoding removed. A chain already maxChain long
// is a LayerLimit: what lies under it is not decoded.
func (w *walker) push(e enc) bool {
	if len(w.chain) >= maxChain {
		w.issue(LayerLimit, "encoding-chain")
		return false
	}
	w.chain = append(w.chain, e)
	return true
}

func (w *walker) pop() { w.chain = w.chain[:len(w.chain)-1] }

// issue records an anomaly or a limit. The caps bound the bookkeeping,
// never the verdict: limits are kept apart from anomalies, so no number of
// cheap anomalies can push a limit out, one per kind and record is enough,
// and when even those overflow the last slot becomes a limit on the whole
// event (record -1), which is never weaker than what it replaces.
func (w *walker) issue(k IssueKind, loc string) {
	list := &w.issues
	if k.IsLimit() {
		list = &w.limits
		for _, is := range w.limits {
			if is.Kind == k && (is.Record == w.record || is.Record == -1) {
				return
			}
		}
	} else {
		for _, is := range w.issues {
			if is.Kind == k && is.Location == loc && is.Record == w.record {
				return
			}
		}
	}
	if len(*list) >= maxIssues {
		w.omitted++
		if k.IsLimit() {
			(*list)[maxIssues-1] = Issue{Kind: k, Location: "event", Record: -1}
		}
		return
	}
	*list = append(*list, Issue{Kind: k, Location: loc, Record: w.record})
}

// limit records a limit that ends the walk.
func (w *walker) limit(k IssueKind, loc string) {
	w.issue(k, loc)
	w.limited = true
	w.stop = true
}

// emit yields one value. It reports whether the walk goes on. A value
// longer than MaxValueBytes is yielded as overlapping windows that cover
// it whole (see Limits.MaxValueBytes).
func (w *walker) emit(loc, key, text string, isKey bool) bool {
	if w.stop {
		return false
	}
	if w.values >= w.lim.MaxValues {
		w.limit(ValueLimit, loc)
		return false
	}
	if w.bytes+len(text) > w.lim.MaxBytes {
		w.limit(ByteLimit, loc)
		return false
	}
	if w.values&63 == 0 && w.values > 0 && time.Since(w.start) > w.lim.TimeBudget {
		w.limit(TimeBudget, loc)
		return false
	}
	w.values++
	w.bytes += len(text)
	// A long value already yielded is not judged again: the detectors
	// would find what they found, and decisions count which signals
	// there are, not how often. It still counts towards the bounds above,
	// exactly as before, so no limit moves.
	if len(text) >= dedupMin && !w.firstYield(w.keyOf(loc, key, text, isKey)) {
		return true
	}
	v := event.Value{
		Part:     w.part,
		Location: loc,
		Key:      key,
		Text:     text,
		Record:   w.record,
		Decoded:  w.decoded(),
		IsKey:    isKey,
	}
	switch {
	case isKey && len(text) <= maxNameKey:
		if w.names == nil {
			w.names = make(map[nameKey]struct{})
		}
		w.names[nameKey{w.part, text}] = struct{}{}
	case !isKey && key != "" && len(key) <= maxNameKey:
		_, v.KeyJudged = w.names[nameKey{w.part, key}]
	}
	win := w.lim.MaxValueBytes
	if len(text) <= win {
		if !w.visit(v) {
			w.stop = true
			return false
		}
		return true
	}
	for off := 0; off < len(text); off += win - WindowOverlap {
		v.Text = text[off:min(off+win, len(text))]
		if !w.visit(v) {
			w.stop = true
			return false
		}
		if off+win >= len(text) {
			break
		}
	}
	return true
}

// bytesOf views a string as bytes without copying, for read-only scanners.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// stringOf views bytes as a string without copying. Only for bytes that are
// never modified afterwards (fresh decoder output, request bodies).
func stringOf(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (w *walker) walkRequest(req *event.Request) {
	if req.Trigger.IsHTTP() || len(req.Records) == 0 {
		w.walkHTTP(req)
	}
	for i := range req.Records {
		if w.stop {
			return
		}
		if i >= w.lim.MaxRecords {
			w.record = -1
			w.limit(RecordLimit, "records["+strconv.Itoa(i)+"]")
			return
		}
		w.walkRecord(&req.Records[i])
	}
	w.walkFields(req.Fields)
	w.part, w.record = event.PartUnknown, -1
}

// walkFields yields the event's other inputs (event.Request.Fields):
// names as keys, values expanded like header values.
func (w *walker) walkFields(fs []event.Field) {
	w.record = -1
	for i := range fs {
		if w.stop {
			return
		}
		f := &fs[i]
		w.part = f.Part
		if f.IsKey {
			w.emit(f.Location, f.Key, f.Text, true)
			continue
		}
		w.expand(f.Location, f.Key, f.Text, 0)
	}
}

func (w *walker) walkHTTP(req *event.Request) {
	w.record = -1
	if req.Path != "" {
		w.part = event.PartPath
		w.walkPath(req.Path)
	}
	w.part = event.PartQuery
	if req.RawQuery != "" {
		w.walkForm(req.RawQuery, "query")
	} else {
		for k, vs := range req.Query {
			if w.stop {
				return
			}
			loc := "query." + k
			if !w.emit(loc, k, k, true) {
				return
			}
			for _, v := range vs {
				w.expand(loc, k, v, 0)
			}
		}
	}
	w.part = event.PartHeader
	headers := 0
	for name, vs := range req.Headers {
		if w.stop {
			return
		}
		if headers += len(vs); headers > w.lim.MaxHeaders {
			w.limit(HeaderLimit, headerLocation(name))
			return
		}
		if name == "cookie" && len(req.Cookies) > 0 {
			continue // yielded per cookie below
		}
		loc := headerLocation(name)
		for _, v := range vs {
			w.expand(loc, name, v, 0)
		}
	}
	w.part = event.PartCookie
	for name, vs := range req.Cookies {
		if w.stop {
			return
		}
		loc := "cookie." + name
		if !w.emit(loc, name, name, true) {
			return
		}
		if d, changed := percentDecodeStd(name, true); changed && w.push(encURL) {
			// PHP decodes cookie names (urldecode); net/http, Python and
			// Node do not: both are judged
			ok := w.emit(loc, d, d, true)
			w.pop()
			if !ok {
				return
			}
		}
		for _, v := range vs {
			w.expand(loc, name, v, 0)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				// RFC 6265 quotes: net/http and others hand out the inside,
				// Python's http.cookies with its escapes read
				inner := v[1 : len(v)-1]
				w.expand(loc, name, inner, 0)
				if u, changed := cookieUnquote(inner); changed && u != inner {
					w.expand(loc, name, u, 0)
				}
			}
		}
	}
	if len(req.Body) > 0 && !w.stop {
		w.part = event.PartBody
		if len(req.Body) > w.lim.MaxBodyBytes {
			w.limit(BodyLimit, "body")
			return
		}
		w.walkBody(stringOf(req.Body), req.ContentType, req.ContentEncoding, "body", 0)
	}
}

func (w *walker) walkRecord(r *event.Record) {
	w.part = event.PartRecord
	w.record = r.Index
	prefix := "records[" + strconv.Itoa(r.Index) + "]"
	if len(r.Body) > w.lim.MaxBodyBytes {
		w.limit(BodyLimit, prefix+".body")
		return
	}
	if len(r.Body) > 0 {
		w.walkBody(stringOf(r.Body), "", "", prefix+".body", 0)
	}
	for name, v := range r.Attributes {
		if w.stop {
			return
		}
		key := name
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			key = name[i+1:]
		}
		w.expand(prefix+"."+name, key, v, 0)
	}
}

// walkPath yields the whole path, URL-decoded, and each segment as
// path[i] (a route parameter is what the handler reads) so detectors can
// judge a segment as a value of its own, and
// decodes the path without its leading slashes too: base64 in a path
// carries '/' of its own and is misaligned by the leading one.
func (w *walker) walkPath(p string) {
	w.expandURL("path", "", p, false, 0)
	if rest := strings.TrimLeft(p, "/"); rest != "" && rest != p {
		if d, _, changed := w.urlDecode(rest, false, "path"); changed {
			rest = d
		}
		w.resetReadings(rest)
		w.readings("path", "", rest, 0)
	}
	i := 0
	for seg := range strings.SplitSeq(strings.TrimPrefix(p, "/"), "/") {
		if w.stop {
			return
		}
		if seg != "" {
			w.expandURL("path["+strconv.Itoa(i)+"]", "", seg, false, 0)
		}
		i++
	}
}

// walkForm yields the pairs of a query string or form body: each name as a
// key value, each value URL-decoded ('+' is a space).
func (w *walker) walkForm(s, prefix string) {
	for len(s) > 0 && !w.stop {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		key, e, keyDecoded := w.urlDecode(name, true, prefix)
		loc := prefix + "." + key
		if keyDecoded {
			w.push(e)
		}
		ok := w.emit(loc, key, key, true)
		if ok && e == encURLUnicode {
			if std, changed := percentDecodeStd(name, true); changed && std != key {
				ok = w.emit(loc, std, std, true)
			}
		}
		for _, r := range w.charsets {
			if x, changed := charsetUnescape(name, true, r); ok && changed && x != key {
				ok = w.emit(loc, x, x, true)
			}
		}
		if ok && len(key) >= minBase64 {
			// a name is a value too for handlers that iterate the pairs
			w.resetReadings(key)
			w.readings(loc, key, key, 1)
		}
		if keyDecoded {
			w.pop()
		}
		if !ok || w.stop {
			return
		}
		w.expandURL(loc, key, value, true, 0)
	}
}

// expandURL URL-decodes a value whose transport is URL encoding (query,
// form, path), then expands the result speculatively.
func (w *walker) expandURL(loc, key, s string, plus bool, depth int) {
	if depth == 0 {
		w.resetReadings(s)
	}
	d, e, changed := w.urlDecode(s, plus, loc)
	if !changed {
		w.expand(loc, key, s, depth)
		return
	}
	if w.push(e) {
		w.expand(loc, key, d, depth+1)
		w.pop()
	}
	if e == encURLUnicode {
		// %uXXXX is IIS's; Python, Node and Go keep it as it is
		if std, changed := percentDecodeStd(s, plus); changed && std != d && w.push(encURL) {
			w.expand(loc, key, std, depth+1)
			w.pop()
		}
	}
	var seen []string // the pages of a family mostly agree: one reading each
	for _, r := range w.charsets {
		// the escapes as bytes of the charset the body names
		x, changed := charsetUnescape(s, plus, r)
		if !changed || x == d || slices.Contains(seen, x) {
			continue
		}
		seen = append(seen, x)
		if w.push(encCharset) {
			w.expand(loc, key, x, depth+1)
			w.pop()
		}
	}
}

// headerLocation avoids building "header.<name>" for the headers nearly
// every request carries.
func headerLocation(name string) string {
	if loc, ok := commonHeaderLocations[name]; ok {
		return loc
	}
	return "header." + name
}

var commonHeaderLocations = func() map[string]string {
	names := []string{"accept", "accept-encoding", "accept-language", "authorization", "cache-control",
		"cloudfront-forwarded-proto", "cloudfront-is-desktop-viewer", "cloudfront-is-mobile-viewer",
		"cloudfront-is-smarttv-viewer", "cloudfront-is-tablet-viewer", "cloudfront-viewer-country",
		"connection", "content-length", "content-type", "content-encoding", "cookie", "host", "origin", "pragma", "referer",
		"sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "sec-fetch-dest", "sec-fetch-mode",
		"sec-fetch-site", "sec-fetch-user", "upgrade-insecure-requests", "user-agent", "via",
		"x-amz-cf-id", "x-amzn-trace-id", "x-api-key", "x-forwarded-for", "x-forwarded-port",
		"x-forwarded-proto", "x-requested-with", "x-real-ip", "te", "dnt", "if-none-match", "if-modified-since"}
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = "header." + n
	}
	return m
}()
