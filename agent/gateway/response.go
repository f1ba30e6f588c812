package gateway

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Failure names the ways an invocation can fail before the function's own
// response reaches the client; each front door answers them with its own
// status and body.
type Failure int

// The failures a front door reports itself.
const (
	FailFunction  Failure = iota // the function returned an error or a malformed response
	FailTimeout                  // the function did not answer in time
	FailThrottled                // no environment free: Lambda throttling
	FailTooLarge                 // request entity over the payload limit
)

// WriteFailure writes the response the shape's front door sends for f. The
// body is fixed text: it never reflects anything from the request.
func (t *Translator) WriteFailure(w http.ResponseWriter, f Failure) {
	status, body, ctype := t.failureResponse(f)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if !t.shape().isALB() {
		h.Set("X-Amzn-Errortype", errorType(f))
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func errorType(f Failure) string {
	switch f {
	case FailTimeout:
		return "IntegrationTimeout"
	case FailThrottled:
		return "TooManyRequestsException"
	case FailTooLarge:
		return "RequestEntityTooLargeException"
	}
	return "InternalServerErrorException"
}

func (t *Translator) failureResponse(f Failure) (status int, body, contentType string) {
	if t.shape().isALB() {
		switch f {
		case FailTimeout:
			return http.StatusGatewayTimeout, albErrorPage("504 Gateway Time-out"), "text/html"
		case FailThrottled:
			return http.StatusTooManyRequests, albErrorPage("429 Too Many Requests"), "text/html"
		case FailTooLarge:
			return http.StatusRequestEntityTooLarge, albErrorPage("413 Request Entity Too Large"), "text/html"
		}
		return http.StatusBadGateway, albErrorPage("502 Bad Gateway"), "text/html"
	}
	const ctype = "application/json"
	switch f {
	case FailTimeout:
		if t.shape() == REST {
			return http.StatusGatewayTimeout, `{"message": "Endpoint request timed out"}`, ctype
		}
		return http.StatusGatewayTimeout, `{"message":"Endpoint request timed out"}`, ctype
	case FailThrottled:
		return http.StatusTooManyRequests, `{"message":"Too Many Requests"}`, ctype
	case FailTooLarge:
		return http.StatusRequestEntityTooLarge, `{"message":"Request Entity Too Large"}`, ctype
	}
	if t.shape() == REST {
		return http.StatusBadGateway, `{"message": "Internal server error"}`, ctype
	}
	return http.StatusBadGateway, `{"message":"Internal Server Error"}`, ctype
}

func albErrorPage(title string) string {
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
}

// FailureFor classifies an Invoker error.
func FailureFor(err error) Failure {
	switch {
	case errors.Is(err, ErrTimeout):
		return FailTimeout
	case errors.Is(err, ErrThrottled):
		return FailThrottled
	case errors.Is(err, ErrPayloadTooLarge):
		return FailFunction // an oversized response is the function's fault
	}
	return FailFunction
}

// Response is a function's answer translated into HTTP terms.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// ErrMalformedResponse is wrapped by Response when the function's answer
// is not something the front door accepts; the client then gets
// FailFunction's response, as from the platform.
var ErrMalformedResponse = errors.New("malformed Lambda proxy response")

// proxyResponse is the union of the response objects of every shape.
type proxyResponse struct {
	StatusCode        *json.Number        `json:"statusCode"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              *string             `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	Cookies           []string            `json:"cookies"`
}

// Response translates a buffered function response (not a function error)
// into the HTTP response the shape's front door produces. accept is the
// request's Accept header: a REST API returns a base64-encoded body as
// binary only when it matches one of the API's binary media types, and as
// the base64 text otherwise.
func (t *Translator) Response(payload []byte, accept string) (*Response, error) {
	if len(payload) > MaxPayload {
		return nil, fmt.Errorf("%w: response of %d bytes exceeds %d", ErrMalformedResponse, len(payload), MaxPayload)
	}
	trimmed := bytes.TrimSpace(payload)
	if !json.Valid(trimmed) {
		return nil, fmt.Errorf("%w: not JSON", ErrMalformedResponse)
	}
	var pr proxyResponse
	isObject := len(trimmed) > 0 && trimmed[0] == '{'
	if isObject {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if err := dec.Decode(&pr); err != nil {
			if !t.shape().isV2() {
				return nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
			}
			pr = proxyResponse{} // payload 2.0 treats it as a plain JSON body
		}
	}
	if pr.StatusCode == nil {
		if t.shape().isV2() {
			// Payload format 2.0 without statusCode: the whole JSON document is
			// the body of a 200 application/json response.
			return &Response{
				StatusCode: http.StatusOK,
				Header:     http.Header{"Content-Type": {"application/json"}},
				Body:       payload,
			}, nil
		}
		return nil, fmt.Errorf("%w: no statusCode", ErrMalformedResponse)
	}
	status, err := strconv.Atoi(pr.StatusCode.String())
	if err != nil || status < 100 || status > 599 {
		return nil, fmt.Errorf("%w: statusCode %s", ErrMalformedResponse, pr.StatusCode)
	}
	res := &Response{StatusCode: status, Header: http.Header{}}
	if err := t.responseHeaders(res.Header, &pr); err != nil {
		return nil, err
	}
	if pr.Body != nil {
		if pr.IsBase64Encoded && !t.decodesBinary(accept) {
			res.Body = []byte(*pr.Body)
		} else if pr.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*pr.Body)
			if err != nil {
				return nil, fmt.Errorf("%w: body is not valid base64: %v", ErrMalformedResponse, err)
			}
			res.Body = b
		} else {
			res.Body = []byte(*pr.Body)
		}
	}
	if res.Header.Get("Content-Type") == "" && !t.shape().isALB() {
		res.Header.Set("Content-Type", "application/json")
	}
	return res, nil
}

// decodesBinary reports whether the front door turns a base64 response
// body back into bytes for a request with this Accept header.
func (t *Translator) decodesBinary(accept string) bool {
	if t.shape() != REST {
		return true
	}
	for part := range strings.SplitSeq(accept, ",") {
		if matchesMediaType(t.BinaryMediaTypes, part) {
			return true
		}
	}
	return false
}

// responseHeaders merges the header fields of a response object as the
// shape's front door does.
func (t *Translator) responseHeaders(h http.Header, pr *proxyResponse) error {
	for name := range pr.Headers {
		if !validHeaderName(name) {
			return fmt.Errorf("%w: invalid header name %q", ErrMalformedResponse, name)
		}
	}
	for name := range pr.MultiValueHeaders {
		if !validHeaderName(name) {
			return fmt.Errorf("%w: invalid header name %q", ErrMalformedResponse, name)
		}
	}
	switch t.shape() {
	case ALB:
		// Single-value mode reads "headers" only.
		for name, v := range pr.Headers {
			h.Set(name, v)
		}
	case ALBMultiValue:
		// Multi-value mode reads "multiValueHeaders" only.
		for name, vs := range pr.MultiValueHeaders {
			for _, v := range vs {
				h.Add(name, v)
			}
		}
	default:
		// API Gateway merges both; a name present in multiValueHeaders takes
		// its values from there.
		for name, vs := range pr.MultiValueHeaders {
			for _, v := range vs {
				h.Add(name, v)
			}
		}
		for name, v := range pr.Headers {
			if _, ok := h[http.CanonicalHeaderKey(name)]; !ok {
				h.Set(name, v)
			}
		}
	}
	if t.shape().isV2() {
		for _, c := range pr.Cookies {
			h.Add("Set-Cookie", c)
		}
	}
	for _, vs := range h {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return fmt.Errorf("%w: header value with a line break", ErrMalformedResponse)
			}
		}
	}
	return nil
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// Write sends res to w.
func (res *Response) Write(w http.ResponseWriter) {
	h := w.Header()
	for name, vs := range res.Header {
		h[name] = vs
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // no sniffing: the platforms send none either
	}
	h.Set("Content-Length", strconv.Itoa(len(res.Body)))
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(res.Body)
}

// maxPrelude bounds the JSON prelude of a streaming response.
const maxPrelude = 64 * 1024

// streamPrelude is the JSON head of a Function URL streaming response.
type streamPrelude struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Cookies    []string          `json:"cookies"`
}

// WriteStream copies a streamed function response to w as it arrives,
// flushing after every chunk, so clients see the first bytes before the
// function has finished. With the http-integration-response content type
// the JSON prelude sets status, headers and cookies. When the function
// fails mid-stream the connection is aborted, as Function URLs do: the
// client sees a truncated body, never a success.
func (t *Translator) WriteStream(w http.ResponseWriter, contentType string, body io.Reader) error {
	br := bufio.NewReaderSize(body, 32*1024)
	status := http.StatusOK
	h := w.Header()
	if contentType == StreamingContentType {
		raw, err := readPrelude(br)
		if err != nil {
			t.WriteFailure(w, FailFunction)
			return fmt.Errorf("read streaming prelude: %w", err)
		}
		var p streamPrelude
		if err := json.Unmarshal(raw, &p); err != nil {
			t.WriteFailure(w, FailFunction)
			return fmt.Errorf("%w: streaming prelude: %v", ErrMalformedResponse, err)
		}
		if p.StatusCode != 0 {
			status = p.StatusCode
		}
		pr := proxyResponse{Headers: p.Headers, Cookies: p.Cookies}
		hdr := http.Header{}
		if err := t.responseHeaders(hdr, &pr); err != nil {
			t.WriteFailure(w, FailFunction)
			return err
		}
		for name, vs := range hdr {
			h[name] = vs
		}
		if hdr.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/octet-stream")
		}
	} else if contentType != "" {
		h.Set("Content-Type", contentType)
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	buf := make([]byte, 32*1024)
	for {
		n, err := br.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return fmt.Errorf("write stream to client: %w", werr)
			}
			_ = rc.Flush()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// Abort the connection so the client cannot mistake the
			// truncated body for a complete one.
			panic(http.ErrAbortHandler)
		}
	}
}

// readPrelude reads up to the eight NUL bytes that end the prelude.
func readPrelude(br *bufio.Reader) ([]byte, error) {
	var prelude []byte
	zeros := 0
	for len(prelude) < maxPrelude+8 {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("%w: stream ended inside the prelude", ErrMalformedResponse)
			}
			return nil, err
		}
		prelude = append(prelude, c)
		if c == 0 {
			zeros++
			if zeros == 8 {
				return prelude[:len(prelude)-8], nil
			}
		} else {
			zeros = 0
		}
	}
	return nil, fmt.Errorf("%w: prelude longer than %d bytes", ErrMalformedResponse, maxPrelude)
}
