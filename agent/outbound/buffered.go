package outbound

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
)

// genericErrorBody is the body of a withheld response. It says nothing
// about why: the caller learns nothing about the data or the firewall.
const genericErrorBody = `{"message":"Internal Server Error"}`

// FilterResponse inspects a buffered response payload and returns what to
// send upstream. It never returns an error: a response it cannot read is
// passed through and reported.
func (f *Filter) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	if f.trigger.IsHTTP() {
		if obj, ok := httpResponse(payload); ok {
			return f.filterHTTP(ctx, payload, obj), nil
		}
	}
	// A raw payload: the v2 shorthand (any JSON without statusCode is the
	// body of a 200 application/json response) or the result of a
	// non-HTTP invocation.
	if len(payload) > f.in.cfg.MaxBody {
		f.report(ctx, Pass, "body", nil, "response larger than the inspection bound")
		return payload, nil
	}
	out, counts := f.maskBody(payload, looksJSON(payload))
	if counts == nil {
		return payload, nil
	}
	return f.act(ctx, payload, out, counts), nil
}

// act applies the configured action to a response with findings.
func (f *Filter) act(ctx context.Context, original, masked []byte, counts map[leak.Kind]int) []byte {
	switch f.in.cfg.Action {
	case Log:
		f.report(ctx, Log, "body", counts, "")
		return original
	case Block:
		f.report(ctx, Block, "body", counts, "")
		return f.blockResponse()
	default:
		f.report(ctx, Mask, "body", counts, "")
		return masked
	}
}

// blockResponse is a generic 500 in the shape the trigger expects.
func (f *Filter) blockResponse() []byte {
	if f.trigger.IsHTTP() {
		req := &event.Request{Trigger: f.trigger, MultiValueHeaders: f.multiValue}
		if b, err := req.BlockResponse(500, "application/json", []byte(genericErrorBody)); err == nil {
			return b
		}
	}
	return []byte(`{"errorType":"ResponseWithheld","errorMessage":"the response was withheld"}`)
}

// httpResponse decodes an HTTP response object: a JSON object with a
// statusCode member.
func httpResponse(payload []byte) (map[string]json.RawMessage, bool) {
	p := bytes.TrimLeft(payload, " \t\r\n")
	if len(p) == 0 || p[0] != '{' {
		return nil, false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(p, &obj); err != nil {
		return nil, false
	}
	if _, ok := obj["statusCode"]; !ok {
		return nil, false
	}
	return obj, true
}

func (f *Filter) filterHTTP(ctx context.Context, payload []byte, obj map[string]json.RawMessage) []byte {
	var body string
	if raw, ok := obj["body"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &body); err != nil {
			f.report(ctx, Pass, "body", nil, "response body is not a string")
			return payload
		}
	}
	if body == "" {
		return payload
	}
	var isB64 bool
	if raw, ok := obj["isBase64Encoded"]; ok {
		json.Unmarshal(raw, &isB64)
	}
	var headers map[string]string
	var multi map[string][]string
	if raw, ok := obj["headers"]; ok {
		json.Unmarshal(raw, &headers)
	}
	if raw, ok := obj["multiValueHeaders"]; ok {
		json.Unmarshal(raw, &multi)
	}
	ctype := headerValue(headers, multi, "content-type")
	enc := strings.ToLower(strings.TrimSpace(headerValue(headers, multi, "content-encoding")))
	gzipped := enc == "gzip" || enc == "x-gzip"
	if enc != "" && enc != "identity" && !gzipped {
		f.report(ctx, Pass, "body", nil, "content-encoding "+enc+" is not inspected")
		return payload
	}
	data := []byte(body)
	if isB64 {
		d, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			f.report(ctx, Pass, "body", nil, "base64 body does not decode")
			return payload
		}
		data = d
	}
	if gzipped {
		d, err := gunzip(data, f.in.cfg.MaxBody)
		if err != nil {
			f.report(ctx, Pass, "body", nil, "gzip body: "+err.Error())
			return payload
		}
		data = d
	}
	if len(data) > f.in.cfg.MaxBody {
		f.report(ctx, Pass, "body", nil, "response larger than the inspection bound")
		return payload
	}
	if !isText(ctype, data) {
		return payload
	}
	masked, counts := f.maskBody(data, isJSONType(ctype) || (ctype == "" && looksJSON(data)))
	if counts == nil {
		return payload
	}
	if f.in.cfg.Action != Mask {
		return f.act(ctx, payload, nil, counts)
	}
	wire := masked
	if gzipped {
		wire = gzipBytes(masked)
	}
	newBody := string(wire)
	if isB64 || gzipped {
		newBody = base64.StdEncoding.EncodeToString(wire)
		obj["isBase64Encoded"] = json.RawMessage("true")
	}
	obj["body"], _ = marshalString(newBody)
	// Fix any Content-Length the handler set.
	length := strconv.Itoa(len(wire))
	if setHeader(headers, "content-length", length) {
		obj["headers"], _ = json.Marshal(headers)
	}
	if setMultiHeader(multi, "content-length", length) {
		obj["multiValueHeaders"], _ = json.Marshal(multi)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		f.report(ctx, Pass, "body", counts, "masked response could not be encoded")
		return payload
	}
	return f.act(ctx, payload, out, counts)
}

// maskBody finds and masks sensitive data in a body; counts is nil when
// there is nothing.
func (f *Filter) maskBody(data []byte, isJSON bool) ([]byte, map[leak.Kind]int) {
	findings, _ := leak.Find(data, f.in.cfg.Kinds, true)
	if isJSON && (len(findings) > 0 || bytes.Contains(data, []byte(`\u`))) && json.Valid(data) {
		return maskJSONFound(data, f.in.cfg.Kinds, findings)
	}
	if len(findings) == 0 {
		return data, nil
	}
	return leak.Mask(data, findings), count(findings, nil)
}

// maskJSON masks sensitive data in a valid JSON document, keeping it valid.
// The whole document is scanned once; then findings confined to one token
// (cards, ids, keys, secrets) are masked in place, numbers holding a card
// number become masked strings, and strings touched by a line-oriented
// finding (stack traces, database errors) or holding \u escapes that could
// hide data are decoded, scanned on their own and re-encoded.
func maskJSON(doc []byte, kinds leak.Kind) ([]byte, map[leak.Kind]int) {
	raw, _ := leak.Find(doc, kinds, true)
	return maskJSONFound(doc, kinds, raw)
}

// maskJSONFound is maskJSON with the document already scanned.
func maskJSONFound(doc []byte, kinds leak.Kind, raw []leak.Finding) ([]byte, map[leak.Kind]int) {
	if len(raw) == 0 && !bytes.Contains(doc, []byte(`\u`)) {
		return doc, nil
	}
	var toks []jsonscan.Token
	s := jsonscan.New(doc, 0)
	for {
		t, err := s.Next()
		if err != nil || t.Kind == jsonscan.EOF {
			break
		}
		switch t.Kind {
		case jsonscan.String, jsonscan.Key, jsonscan.Number:
			toks = append(toks, t)
		}
	}
	type edit struct {
		start, end int
		repl       string
	}
	var edits []edit
	var counts map[leak.Kind]int
	// tokenIndex returns the index of the first token ending after pos.
	tokenIndex := func(pos int) int {
		return sort.Search(len(toks), func(i int) bool { return toks[i].End > pos })
	}
	rescan := make(map[int]bool) // string tokens to decode and scan alone
	for _, x := range raw {
		i := tokenIndex(x.Start)
		if i < len(toks) && toks[i].Start <= x.Start && x.End <= toks[i].End && x.Kind&(leak.StackTrace|leak.DBError) == 0 {
			t := toks[i]
			counts = count([]leak.Finding{x}, counts)
			if t.Kind == jsonscan.Number {
				edits = append(edits, edit{t.Start, t.End, `"` + leak.MaskOf(x.Kind, doc[t.Start:t.End]) + `"`})
				continue
			}
			end := x.End
			for end > x.Start && oddBackslashes(doc[t.Start:end]) {
				end-- // never cut an escape sequence in two
			}
			edits = append(edits, edit{x.Start, end, leak.MaskOf(x.Kind, doc[x.Start:end])})
			continue
		}
		for j := i; j < len(toks) && toks[j].Start < x.End; j++ {
			if toks[j].Kind == jsonscan.String {
				rescan[j] = true
			}
		}
	}
	for i, t := range toks {
		if t.Kind == jsonscan.String && t.Escaped && bytes.Contains(doc[t.Start:t.End], []byte(`\u`)) {
			rescan[i] = true
		}
	}
	for i := range toks {
		if !rescan[i] {
			continue
		}
		t := toks[i]
		val := jsonscan.AppendUnquote(nil, doc[t.Start:t.End])
		fs, _ := leak.Find(val, kinds, true)
		if len(fs) == 0 {
			continue
		}
		counts = count(fs, counts)
		q, _ := marshalString(string(leak.Mask(val, fs)))
		edits = append(edits, edit{t.Start - 1, t.End + 1, string(q)})
	}
	if len(edits) == 0 {
		return doc, nil
	}
	// Whole-string replacements start before the in-place edits inside
	// them, and win.
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b bytes.Buffer
	b.Grow(len(doc))
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue
		}
		b.Write(doc[last:e.start])
		b.WriteString(e.repl)
		last = e.end
	}
	b.Write(doc[last:])
	out := b.Bytes()
	if !json.Valid(out) {
		// Should not happen; never return broken JSON: redact every string
		// that held a finding instead.
		out = redactStrings(doc, toks, raw)
	}
	return out, counts
}

// gunzip decompresses a gzip body, refusing more than limit bytes of
// output (a decompression bomb is passed, not inflated).
func gunzip(b []byte, limit int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
		return nil, errors.New("decompressed body larger than the inspection bound")
	}
	return out, nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func oddBackslashes(b []byte) bool {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func redactStrings(doc []byte, toks []jsonscan.Token, findings []leak.Finding) []byte {
	var b bytes.Buffer
	last := 0
	for _, t := range toks {
		hit := false
		for _, x := range findings {
			if x.Start < t.End && x.End > t.Start {
				hit = true
				break
			}
		}
		if !hit || t.Start < last {
			continue
		}
		if t.Kind == jsonscan.Number {
			b.Write(doc[last:t.Start])
			b.WriteString(`"[redacted]"`)
		} else {
			b.Write(doc[last:t.Start])
			b.WriteString("[redacted]")
		}
		last = t.End
	}
	b.Write(doc[last:])
	return b.Bytes()
}

func marshalString(s string) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func headerValue(h map[string]string, mh map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	for k, v := range mh {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func setHeader(h map[string]string, name, value string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			h[k] = value
			return true
		}
	}
	return false
}

func setMultiHeader(h map[string][]string, name, value string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			h[k] = []string{value}
			return true
		}
	}
	return false
}

func looksJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == '"')
}

func isJSONType(ctype string) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// isText reports whether a body is worth scanning: textual media types, or
// an unknown type whose bytes are UTF-8. Images and archives are not.
func isText(ctype string, data []byte) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case mt == "":
		return utf8.Valid(data)
	case strings.HasPrefix(mt, "text/"), isJSONType(ctype), strings.HasSuffix(mt, "+xml"),
		mt == "application/xml", mt == "application/javascript", mt == "application/x-www-form-urlencoded",
		mt == "application/graphql-response+json", mt == "application/problem+json", mt == "application/x-ndjson":
		return true
	case mt == "application/octet-stream":
		return utf8.Valid(data)
	}
	return false
}
