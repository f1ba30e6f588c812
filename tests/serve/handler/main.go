// Command handler is the function behind the serve end-to-end tests: an
// aws-lambda-go handler that answers every front door (HTTP API, REST API,
// ALB in both header modes, Function URL) in that front door's response
// format, so tests can check the event it received and every response
// feature the front doors translate:
//
//	/binary?n=N    N × 256 bytes 0x00..0xff, base64-encoded in the response
//	/cookies       two cookies (v2 "cookies", v1/ALB Set-Cookie headers)
//	/error         a handler error
//	/sleep?ms=N    sleeps N ms first (timeouts)
//	/size          the received body's length and SHA-256 (large bodies)
//	/huge          a 7 MB response (over Lambda's 6 MB limit)
//	/plain         (payload 2.0) a JSON object without statusCode
//	/status/NNN    status NNN
//	/stream        (Function URL streaming) three chunks 50 ms apart
//	anything else  200 with the event as the JSON body
//
// It starts with redirect.Start, as a protected Go function does, so its
// Runtime API calls go through the lambdawaf agent.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/lambdawaf/lambdawaf/agent/redirect"
)

type probe struct {
	Version        string              `json:"version"`
	RawPath        string              `json:"rawPath"`
	Path           string              `json:"path"`
	Query          map[string]string   `json:"queryStringParameters"`
	MultiQuery     map[string][]string `json:"multiValueQueryStringParameters"`
	MultiHeaders   map[string][]string `json:"multiValueHeaders"`
	RequestContext struct {
		ELB *struct{} `json:"elb"`
	} `json:"requestContext"`
}

type reply struct {
	status  int
	ctype   string
	body    []byte
	binary  bool
	cookies []string
}

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var p probe
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	path := p.RawPath
	if p.Version != "2.0" {
		path = p.Path
	}
	query := func(k string) string {
		if v, ok := p.Query[k]; ok {
			return v
		}
		if vs := p.MultiQuery[k]; len(vs) > 0 {
			return vs[len(vs)-1]
		}
		return ""
	}
	r := reply{status: http.StatusOK, ctype: "application/json", body: raw}
	switch {
	case path == "/binary":
		n, _ := strconv.Atoi(query("n"))
		var b bytes.Buffer
		for range max(n, 1) {
			for i := range 256 {
				b.WriteByte(byte(i))
			}
		}
		r = reply{status: http.StatusOK, ctype: "application/octet-stream", body: b.Bytes(), binary: true}
	case path == "/cookies":
		r.cookies = []string{"session=abc123; Path=/; HttpOnly", "theme=dark"}
		r.body = []byte(`{"cookies":2}`)
	case path == "/error":
		return nil, errors.New("handler failed on purpose")
	case path == "/sleep":
		// Deliberately deaf to ctx: a handler that gave up at its deadline
		// would answer with an error (502) before Lambda's timeout (504).
		ms, _ := strconv.Atoi(query("ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
		r.body = []byte(`{"slept":` + strconv.Itoa(ms) + `}`)
	case path == "/size":
		var b struct {
			Body            string `json:"body"`
			IsBase64Encoded bool   `json:"isBase64Encoded"`
		}
		_ = json.Unmarshal(raw, &b)
		data := []byte(b.Body)
		if b.IsBase64Encoded {
			var err error
			if data, err = base64.StdEncoding.DecodeString(b.Body); err != nil {
				return nil, fmt.Errorf("decode body: %w", err)
			}
		}
		r.body = fmt.Appendf(nil, `{"bytes":%d,"sha256":"%x"}`, len(data), sha256.Sum256(data))
	case path == "/huge":
		r.body = bytes.Repeat([]byte("x"), 7<<20)
	case path == "/plain" && p.Version == "2.0":
		return map[string]string{"hello": "world"}, nil
	case strings.HasPrefix(path, "/status/"):
		r.status, _ = strconv.Atoi(strings.TrimPrefix(path, "/status/"))
		r.body = nil
	case path == "/stream":
		pr, pw := io.Pipe()
		go func() {
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(pw, "chunk-%d\n", i)
				time.Sleep(50 * time.Millisecond)
			}
			pw.Close()
		}()
		return &events.LambdaFunctionURLStreamingResponse{
			StatusCode: http.StatusOK,
			Headers:    map[string]string{"Content-Type": "text/plain", "X-Streamed": "yes"},
			Cookies:    []string{"s=1"},
			Body:       pr,
		}, nil
	}
	return format(&p, r), nil
}

// format shapes the reply as the event's front door expects it.
func format(p *probe, r reply) any {
	body := string(r.body)
	if r.binary {
		body = base64.StdEncoding.EncodeToString(r.body)
	}
	headers := map[string]string{"Content-Type": r.ctype, "X-Handler": "serve-test"}
	switch {
	case p.Version == "2.0":
		return events.APIGatewayV2HTTPResponse{StatusCode: r.status, Headers: headers, Body: body, IsBase64Encoded: r.binary, Cookies: r.cookies}
	case p.RequestContext.ELB != nil:
		res := events.ALBTargetGroupResponse{StatusCode: r.status, StatusDescription: fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)), Body: body, IsBase64Encoded: r.binary}
		if p.MultiHeaders != nil {
			res.MultiValueHeaders = map[string][]string{}
			for k, v := range headers {
				res.MultiValueHeaders[k] = []string{v}
			}
			if len(r.cookies) > 0 {
				res.MultiValueHeaders["Set-Cookie"] = r.cookies
			}
		} else {
			res.Headers = headers
			if len(r.cookies) > 0 {
				res.Headers["Set-Cookie"] = r.cookies[len(r.cookies)-1] // single-value mode keeps one
			}
		}
		return res
	}
	res := events.APIGatewayProxyResponse{StatusCode: r.status, Headers: headers, Body: body, IsBase64Encoded: r.binary}
	if len(r.cookies) > 0 {
		res.MultiValueHeaders = map[string][]string{"Set-Cookie": r.cookies}
	}
	return res
}

func main() {
	redirect.Start(handle)
}
