package decode

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"strings"
)

// maxBoundaries bounds the boundaries a multipart body is split by.
const maxBoundaries = 4

// walkMultipart yields each part of a multipart body: the field name as a
// key value, the file name, and the part body decoded by its own content
// type (a JSON part is walked as JSON). When the Content-Type offers
// several boundaries (a duplicated or malformed parameter that parsers
// read differently), the body is split by each one it contains.
func (w *walker) walkMultipart(body string, boundaries []string, loc string, depth int) {
	var use []string
	for _, b := range boundaries {
		switch {
		case b == "":
			w.issue(LayerLimit, loc) // more boundary readings than kept
		case !strings.Contains(body, "--"+b):
		case len(use) < maxBoundaries:
			use = append(use, b)
		default:
			w.issue(LayerLimit, loc)
		}
	}
	if len(use) == 0 {
		w.issue(MalformedMultipart, loc)
		w.expand(loc, "", body, depth)
		return
	}
	for _, b := range use {
		if w.stop {
			return
		}
		w.walkParts(body, b, loc, depth)
	}
}

// walkParts walks a multipart body split by one boundary.
func (w *walker) walkParts(body, boundary, loc string, depth int) {
	mr := multipart.NewReader(strings.NewReader(body), boundary)
	parts := 0
	// the locations of the last part's name: a body of many parts under
	// one name does not build them again for every part
	var lastName, ploc, fnLoc string
	// the last part's Content-Disposition and its reading: a body of
	// many parts repeats one header, and reading it is a pure function
	// of its text (the readings are only read below, never changed)
	var lastCD string
	var cd headerParams
	// each small part is read into one reused buffer and kept as a
	// string of its exact length (io.ReadAll allocated 512 bytes for a
	// part of 6); a large one keeps the buffer it was read into
	var buf bytes.Buffer
	for !w.stop {
		p, err := mr.NextPart()
		if err != nil {
			// a complete body ends with the closing delimiter
			if !errors.Is(err, io.EOF) || parts == 0 || !strings.Contains(body, "--"+boundary+"--") {
				w.issue(MalformedMultipart, loc)
				if parts == 0 {
					w.expand(loc, "", body, depth)
				}
			}
			return
		}
		parts++
		if h := p.Header.Get("Content-Disposition"); parts == 1 || h != lastCD {
			lastCD, cd = h, parseHeaderParams(h)
		}
		name := cd.formName() // p.FormName(), without parsing the header again
		if parts == 1 || name != lastName {
			lastName, ploc, fnLoc = name, loc+"."+name, loc+"."+name+".filename"
		}
		if !w.emit(ploc, name, name, true) {
			return
		}
		for _, n := range cd.get("name") {
			if n != name && !w.emit(ploc, n, n, true) {
				return
			}
		}
		// every reading of the file name: as sent (mime/multipart's
		// FileName strips directories, ../ tricks live there), RFC 2231
		// decoded (filename*=UTF-8''..%2F..%2Fetc), duplicated
		for _, fn := range cd.get("filename") {
			w.expand(fnLoc, name, fn, depth)
			// and its base name, which most parsers hand out instead
			if i := strings.LastIndexAny(fn, `/\`); i >= 0 && i+1 < len(fn) {
				w.expand(fnLoc, name, fn[i+1:], depth)
			}
		}
		if ct := p.Header.Get("Content-Type"); ct != "" {
			w.expand(ploc+".content-type", name, ct, depth)
		}
		remaining := w.lim.MaxBytes - w.bytes
		buf.Reset()
		_, err = buf.ReadFrom(io.LimitReader(p, int64(remaining)+1))
		var data string
		if buf.Len() > 4<<10 {
			// a large part: keep the buffer itself, not a copy
			data, buf = stringOf(buf.Bytes()), bytes.Buffer{}
		} else {
			data = buf.String()
		}
		if err != nil {
			w.issue(MalformedMultipart, ploc)
		}
		if len(data) > remaining {
			w.limit(ByteLimit, ploc)
			return
		}
		switch pct := p.Header.Get("Content-Type"); {
		case len(data) == 0:
		case pct == "" && p.Header.Get("Content-Encoding") == "":
			// a plain form field
			w.expand(ploc, name, data, depth)
		default:
			w.walkBody(data, pct, p.Header.Get("Content-Encoding"), ploc, depth+1)
		}
	}
}

// walkXML yields element text at loc.<element path>, attributes at
// loc.<element path>@<name>, processing instructions (the prolog) at
// loc.#pi and the DOCTYPE, verbatim with its entity declarations, at
// loc.#doctype so XXE can be judged. Entity references are not expanded.
func (w *walker) walkXML(body, loc string, depth int) {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = xmlCharsetReader
	budget := w.lim.MaxDepth - w.nest - len(w.chain)
	pathBase := len(w.path)
	w.path = append(w.path, loc...)
	defer func() { w.path = w.path[:pathBase] }()
	var stack []int // path lengths of open elements
	var names []string
	// inElement is the location of the element being read and its name,
	// under which its text is judged
	inElement := func() (elemLoc, key string) {
		if len(names) > 0 {
			key = names[len(names)-1]
		}
		return w.location(w.path[pathBase:]), key
	}
	elements := 0
	for !w.stop {
		at := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				w.issue(MalformedXML, loc)
				if elements == 0 {
					at = 0
				}
				elemLoc, key := inElement()
				w.xmlRest(elemLoc, key, body[min(int(at), len(body)):], depth)
			}
			return
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			w.expand(loc+".#pi", t.Target, "<?"+t.Target+" "+string(t.Inst)+"?>", depth)
		case xml.Directive:
			w.expand(loc+".#doctype", "", "<!"+string(t)+">", depth)
		case xml.StartElement:
			elements++
			if len(stack) >= budget {
				w.issue(DepthLimit, loc)
				return
			}
			stack = append(stack, len(w.path))
			names = append(names, t.Name.Local)
			w.path = append(w.path, '.')
			w.path = append(w.path, t.Name.Local...)
			elemEnd := len(w.path)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				w.path = append(append(w.path[:elemEnd], '@'), a.Name.Local...)
				w.expand(w.location(w.path[pathBase:]), a.Name.Local, a.Value, depth)
			}
			w.path = w.path[:elemEnd]
		case xml.EndElement:
			if len(stack) > 0 {
				w.path = w.path[:stack[len(stack)-1]]
				stack = stack[:len(stack)-1]
				names = names[:len(names)-1]
			}
		case xml.CharData:
			// whitespace between elements is the common case: copy only text
			trimmed := bytes.TrimSpace(t)
			if len(trimmed) == 0 {
				continue
			}
			elemLoc, key := inElement()
			w.expand(elemLoc, key, string(trimmed), depth)
		}
	}
}

// xmlRest judges the rest of a document Go's decoder gave up on, from
// the token that failed (a NUL in an element's text, say), as text under
// the element it stands in: lenient parsers (lxml's recover mode, Node's
// sax and fast-xml-parser) read on where it stops. A CDATA section the
// decoder refused (a control byte in it) has its text judged as the
// element's, the markup around it being the document's own.
func (w *walker) xmlRest(loc, key, rest string, depth int) {
	if cdata, ok := strings.CutPrefix(rest, "<![CDATA["); ok {
		text, after, _ := strings.Cut(cdata, "]]>")
		w.expand(loc, key, text, depth)
		rest = strings.TrimSpace(after)
	}
	if rest != "" {
		w.expand(loc, key, rest, depth)
	}
}
