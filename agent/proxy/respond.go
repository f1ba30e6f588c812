package proxy

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"
)

// serveResponse forwards a handler's response, through the invocation's
// ResponseFilter if its Verdict set one.
func (p *Proxy) serveResponse(w http.ResponseWriter, r *http.Request, id string) {
	defer p.answered(id)
	f := p.filters.take(id)
	if f == nil {
		p.forward(w, r, r.Body, r.ContentLength, r.Trailer)
		return
	}
	ctx := r.Context()
	if isStreamed(r) {
		body := p.filterStream(ctx, id, f, r)
		p.forward(w, r, body, -1, r.Trailer)
		return
	}

	buf, complete, err := readAtMost(r.Body, p.maxFiltered, r.ContentLength)
	if err != nil {
		p.badGateway(w, "read response "+id, err)
		return
	}
	if !complete {
		p.log.Warn().Str("request_id", id).Int64("limit_bytes", p.maxFiltered).
			Msg("response too large to filter; passing it through unfiltered")
		p.forward(w, r, io.MultiReader(bytes.NewReader(buf), r.Body), r.ContentLength, r.Trailer)
		return
	}
	out, err := p.safeFilter(ctx, f, buf)
	if err != nil {
		p.stats.inspectErrors.Add(1)
		if p.failClosed {
			p.log.Error().Err(err).Str("request_id", id).
				Msg("response filter failed; replacing the response (failure policy closed)")
			out = []byte(GenericBlockResponse)
		} else {
			p.log.Error().Err(err).Str("request_id", id).
				Msg("response filter failed; sending the response unchanged (failure policy open)")
			out = buf
		}
	}
	// The body was read to the end, so r.Trailer now holds the trailer
	// values. Only a chunked request can carry them; otherwise send a
	// plain Content-Length body.
	if hasTrailerValues(r.Trailer) {
		p.forward(w, r, bytes.NewReader(out), -1, r.Trailer)
		return
	}
	p.forward(w, r, bytes.NewReader(out), int64(len(out)), nil)
}

// isStreamed reports whether a runtime's response is a stream, to be
// filtered as it passes and never buffered. Runtimes do not all say so:
// Node.js and Rust send Lambda-Runtime-Function-Response-Mode: streaming,
// but aws-lambda-go streams without it, so the content types that only
// streamed responses carry count too: the Function URL / API Gateway
// streaming prelude, and the raw io.Reader body aws-lambda-go sends
// chunked as application/octet-stream.
func isStreamed(r *http.Request) bool {
	if strings.EqualFold(r.Header.Get(headerResponseMode), responseModeStream) {
		return true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case contentTypeStreamingPrelude:
		return true
	case "application/octet-stream":
		return r.ContentLength < 0
	}
	return false
}
