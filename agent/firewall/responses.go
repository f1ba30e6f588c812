package firewall

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// watchResponse returns the filter that shows the function's response to
// the decision's Watch (login outcomes, response counters), or nil when
// the decision watches nothing. It never changes the response.
func (f *Firewall) watchResponse(d *Decision) proxy.ResponseFilter {
	w := d.Watch()
	if w == nil {
		return nil
	}
	return &responseWatch{w: w, now: f.opts.Now}
}

// responseWatch reads the status, headers and (when wanted) body of the
// response object a handler returns to an HTTP front door, or the prelude
// of a streamed one.
type responseWatch struct {
	w   *policy.Watch
	now func() time.Time
}

// FilterResponse implements proxy.ResponseFilter: it observes the payload
// and returns it unchanged.
func (r *responseWatch) FilterResponse(_ context.Context, payload []byte) ([]byte, error) {
	if resp, ok := readResponse(payload, r.w.WantsBody()); ok {
		r.w.Observe(resp, r.now())
	}
	return payload, nil
}

// FilterStream implements proxy.ResponseFilter: a streamed response in the
// HTTP integration format is observed from its prelude as it passes; the
// stream is never held.
func (r *responseWatch) FilterStream(_ context.Context, contentType string, body io.Reader) io.Reader {
	if mt, _, _ := mime.ParseMediaType(contentType); mt != contract.StreamingContentType {
		return body // a raw stream says nothing of its status
	}
	return &preludeReader{r: body, done: func(resp *policy.Response) { r.w.Observe(resp, r.now()) }}
}

// readResponse reads a handler's response object. A JSON document
// without statusCode is, for HTTP APIs and Function URLs, a 200 whose
// body is the document; anything else that is not an object is a 200
// with that body.
func readResponse(payload []byte, wantBody bool) (*policy.Response, bool) {
	p := bytes.TrimSpace(payload)
	if !wantBody {
		if st, ok := topLevelStatus(p); ok {
			return &policy.Response{Status: st}, true
		}
	}
	var obj struct {
		StatusCode        json.RawMessage     `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if len(p) == 0 || p[0] != '{' || json.Unmarshal(p, &obj) != nil || obj.StatusCode == nil {
		return &policy.Response{Status: 200, Body: p}, true
	}
	st, err := strconv.Atoi(strings.Trim(string(obj.StatusCode), `"`))
	if err != nil {
		return nil, false
	}
	resp := &policy.Response{Status: st, Headers: make(map[string]string, len(obj.Headers)+len(obj.MultiValueHeaders))}
	for k, vs := range obj.MultiValueHeaders {
		if len(vs) > 0 {
			resp.Headers[strings.ToLower(k)] = vs[0]
		}
	}
	for k, v := range obj.Headers {
		resp.Headers[strings.ToLower(k)] = v
	}
	if obj.Body != nil && wantBody {
		resp.Body = []byte(*obj.Body)
		if obj.IsBase64Encoded {
			if b, err := base64.StdEncoding.DecodeString(*obj.Body); err == nil {
				resp.Body = b
			}
		}
	}
	return resp, true
}

// topLevelStatus finds the statusCode member of a response object without
// decoding the rest (headers and body are skipped at the tokenizer's
// speed).
func topLevelStatus(p []byte) (int, bool) {
	if len(p) == 0 || p[0] != '{' {
		return 0, false
	}
	var s jsonscan.Scanner
	s.Reset(p, 64)
	for {
		t, err := s.Next()
		if err != nil || t.Kind == jsonscan.EOF {
			return 0, false
		}
		if t.Kind != jsonscan.Key || s.Depth() != 1 || string(p[t.Start:t.End]) != "statusCode" {
			continue
		}
		v, err := s.Next()
		if err != nil {
			return 0, false
		}
		raw := p[v.Start:v.End]
		if v.Kind != jsonscan.Number && v.Kind != jsonscan.String {
			return 0, false
		}
		st, err := strconv.Atoi(string(raw))
		return st, err == nil
	}
}

// maxPrelude bounds the prelude of a streamed response read for its status.
const maxPrelude = 64 << 10

// preludeReader passes a streamed HTTP integration response through,
// reading its JSON prelude (up to the eight NUL bytes) on the way.
type preludeReader struct {
	r    io.Reader
	buf  []byte
	over bool
	done func(*policy.Response)
}

func (p *preludeReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if !p.over && n > 0 {
		p.buf = append(p.buf, b[:n]...)
		if i := bytes.Index(p.buf, []byte("\x00\x00\x00\x00\x00\x00\x00\x00")); i >= 0 {
			p.over = true
			var pre struct {
				StatusCode int               `json:"statusCode"`
				Headers    map[string]string `json:"headers"`
			}
			if json.Unmarshal(p.buf[:i], &pre) == nil {
				if pre.StatusCode == 0 {
					pre.StatusCode = 200
				}
				h := make(map[string]string, len(pre.Headers))
				for k, v := range pre.Headers {
					h[strings.ToLower(k)] = v
				}
				p.done(&policy.Response{Status: pre.StatusCode, Headers: h})
			}
			p.buf = nil
		} else if len(p.buf) > maxPrelude {
			p.over, p.buf = true, nil
		}
	}
	return n, err
}
