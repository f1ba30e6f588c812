// Package decode removes transport encodings from an event.Request and
// yields every leaf value with the path that locates it, so that detectors
// judge what the application will eventually see, not what travelled over
// the wire.
//
// A Decoder is immutable and safe for concurrent use; each Walk keeps its
// own state. Work is linear in the size of the request: every decoder reads
// its input once, nesting is bounded by Limits.MaxDepth, speculative
// decoding (base64, URL, HTML entities, JSON inside strings) is bounded by
// Limits.MaxLayers, and the total text yielded is bounded by
// Limits.MaxBytes.
//
// # Locations
//
//	path                      the whole path, URL-decoded
//	path[i]                   the i-th path segment
//	query.<name>              a query parameter (and its name, IsKey)
//	header.<name>             every value of a header (names lower case)
//	cookie.<name>             a cookie (and its name, IsKey)
//	body                      a body judged whole (text, or a type that lies)
//	body.a.b[2].c             a JSON member / array element (keys: IsKey)
//	body.<field>              a form or multipart field (name: IsKey)
//	body.<field>.filename     a multipart file name, as sent (../ kept)
//	body.<field>.content-type a multipart part's declared type
//	body.<el>.<el>            XML element text; body.<el>@<attr> attributes
//	body.#pi, body.#doctype   the XML prolog and DOCTYPE, verbatim
//	body.query                an application/graphql body
//	body[i]...                line i of newline-delimited JSON
//	records[i].body...        a batch record's payload, decoded as above
//	records[i].<attribute>    a record attribute (see event.Record)
//
// A value found inside another (JSON in a string, base64 of JSON) extends
// the outer value's location: header.x-data.user.name. Locations longer
// than MaxLocation bytes are cut and end in "..."; Text is never cut.
//
// # Readings
//
// Where handlers' parsers disagree, every reading is yielded (Decoded
// names the encodings removed): a body in each charset its content type
// names and as sent (charset.go: EBCDIC, UTF-16, UTF-32, UTF-7), an XML
// document in the encoding its declaration names (xmlcharset.go), gzip,
// deflate and Brotli bodies, base64 of gzip in any value, quoted cookies
// as net/http and as Python's http.cookies unquote them, fullwidth forms
// folded to ASCII, and the speculative decodings of every value (URL,
// HTML references, script escapes, base64, hex, JSON Web Tokens).
//
// # What the visitor gets
//
// Every string in a Value (Location, Key, Text, Decoded) may be kept after
// the visitor returns: none of them aliases a buffer that Walk reuses. Text
// of a value that needed no decoding shares memory with the request (no
// copy); do not modify Request.Body while values are in use. Decoded slices
// may be shared between values: treat them as read-only.
//
// # Limits and anomalies
//
// Walk returns nil, or an *Error listing Issues: limits that were hit
// (every bound of Bounds: body size, bytes, decompression, depth, values,
// headers, records, decoding layers, time) and malformed or evasive input
// (invalid JSON where the content type promised JSON, truncated gzip or
// multipart, invalid percent-encoding). No limit is ever lost to a cap
// (Error.Limited). The firewall turns limits into limit signals, decided by
// the policy's onLimit, and anomalies into protocol signals. When a limit
// stops the walk, Error.Stopped is true and the values yielded so far are
// all there is.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package decode

import (
	"fmt"
	"strings"
	"sync"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Issue is one anomaly, located like a Value.
type Issue struct {
	Kind     IssueKind
	Location string
	Record   int // batch record index, or -1
}

// maxIssues bounds the issues of each sort kept per Walk: anomalies, and
// limits. Bookkeeping is capped, never the verdict: a limit is always
// reported (Error.Limited), and what the caps leave out is counted in
// Error.Omitted.
const maxIssues = 64

// Error reports the issues of one Walk.
type Error struct {
	// Issues lists the limits reached first, then the anomalies.
	Issues []Issue
	// Omitted counts issues left out of Issues by the caps.
	Omitted int
	// Stopped is true when a limit ended the walk early.
	Stopped bool
}

// Limited reports whether the walk reached a limit: some input was left
// uninspected. It holds even when every issue was omitted.
func (e *Error) Limited() bool {
	return len(e.Issues) > 0 && e.Issues[0].Kind.IsLimit()
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("decode: ")
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteString("; ")
		}
		if i == 8 {
			fmt.Fprintf(&b, "and %d more", len(e.Issues)-i)
			break
		}
		fmt.Fprintf(&b, "%s at %s", is.Kind, is.Location)
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, " (%d more omitted)", e.Omitted)
	}
	if e.Stopped {
		b.WriteString(" (walk stopped)")
	}
	return b.String()
}

// Decoder walks requests within fixed limits.
type Decoder struct {
	lim  Limits
	pool sync.Pool // *walker
}

// New returns a Decoder with the given limits (zero fields take defaults).
func New(l Limits) *Decoder {
	return &Decoder{lim: l.withDefaults()}
}

// Limits returns the decoder's effective limits.
func (d *Decoder) Limits() Limits { return d.lim }

// Walk yields every leaf value of req to visit, in this order: path, query,
// headers, cookies, body, records. visit returns false to stop the walk
// (Walk then returns the issues found so far, or nil).
func (d *Decoder) Walk(req *event.Request, visit func(event.Value) bool) error {
	w, _ := d.pool.Get().(*walker)
	if w == nil {
		w = &walker{chains: make(map[uint64][]string)}
	}
	w.reset(d, visit)
	w.walkRequest(req)
	var err error
	if len(w.issues)+len(w.limits) > 0 {
		issues := make([]Issue, 0, len(w.limits)+len(w.issues))
		issues = append(append(issues, w.limits...), w.issues...)
		err = &Error{Issues: issues, Omitted: w.omitted, Stopped: w.limited}
	}
	w.visit = nil
	d.pool.Put(w)
	return err
}
