package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// forward sends r upstream with the given body and relays the answer.
// trailer, when non-nil, is the map the transport reads trailer values from
// after the body's EOF: passing the incoming request's map forwards the
// values the runtime sent, which the server fills in as the body ends.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, body io.Reader, contentLength int64, trailer http.Header) {
	if p.conns != nil && contentLength <= maxBufferedForward && !isStreamed(r) {
		// A small body is read whole and sent on the proxy's own
		// connections (upstreamConns); a larger one streams below.
		buf, complete, err := readAtMost(body, maxBufferedForward, contentLength)
		if err != nil {
			p.badGateway(w, "read "+r.Method+" "+r.URL.Path, err)
			return
		}
		if complete {
			p.forwardBuffered(w, r, buf, trailer)
			return
		}
		body, contentLength = io.MultiReader(bytes.NewReader(buf), body), -1
	}
	// The upstream may answer before the runtime has finished sending (an
	// error status, say); full duplex keeps the request body readable.
	_ = http.NewResponseController(w).EnableFullDuplex()
	out := p.upstreamRequest(r.Context(), r, body, contentLength)
	out.Trailer = trailer
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		p.badGateway(w, r.Method+" "+r.URL.Path, err)
		return
	}
	p.copyResponse(w, resp)
}

// forwardBuffered sends the runtime's request r upstream with its whole
// body in hand (read to its end, so trailer holds the trailer values the
// runtime sent, if any), and relays the answer.
func (p *Proxy) forwardBuffered(w http.ResponseWriter, r *http.Request, buf []byte, trailer http.Header) {
	n := int64(len(buf))
	if hasTrailerValues(trailer) {
		n = -1 // chunked: trailers need it
	} else {
		trailer = nil
	}
	out := p.upstreamRequest(r.Context(), r, bytes.NewReader(buf), n)
	if len(buf) == 0 && n == 0 {
		out.Body = nil
	}
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	out.Trailer = trailer
	resp, err := p.quick(out)
	if err != nil {
		p.badGateway(w, r.Method+" "+r.URL.Path, err)
		return
	}
	p.copyResponse(w, resp)
}

// quick sends a request whose body is in hand (or absent) upstream, on the
// proxy's own connections unless WithTransport replaced them.
func (p *Proxy) quick(req *http.Request) (*http.Response, error) {
	if p.conns == nil {
		return p.transport.RoundTrip(req)
	}
	return p.conns.RoundTrip(req)
}

// upstreamRequest builds the request sent upstream for the runtime's r.
func (p *Proxy) upstreamRequest(ctx context.Context, r *http.Request, body io.Reader, contentLength int64) *http.Request {
	u := &url.URL{Scheme: "http", Host: p.upstream, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery, ForceQuery: r.URL.ForceQuery}
	out := &http.Request{
		Method:        r.Method,
		URL:           u,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, len(r.Header)),
		Host:          p.upstream,
		ContentLength: contentLength,
	}
	if body != nil && contentLength != 0 {
		out.Body = io.NopCloser(body)
		if rc, ok := body.(io.ReadCloser); ok {
			out.Body = rc
		}
	}
	copyHeader(out.Header, r.Header)
	removeHopHeaders(out.Header)
	if _, ok := out.Header["User-Agent"]; !ok {
		// Keep the transport from inventing one: the runtime sent none.
		out.Header.Set("User-Agent", "")
	}
	return out.WithContext(ctx)
}

// copyResponse relays an upstream response to the runtime, flushing as data
// arrives and passing trailers with their values.
func (p *Proxy) copyResponse(w http.ResponseWriter, resp *http.Response) {
	defer resp.Body.Close()
	h := w.Header()
	copyHeader(h, resp.Header)
	removeHopHeaders(h)
	if len(resp.Trailer) > 0 {
		names := make([]string, 0, len(resp.Trailer))
		for k := range resp.Trailer {
			names = append(names, k)
		}
		h.Set("Trailer", strings.Join(names, ", "))
	}
	w.WriteHeader(resp.StatusCode)
	bp, _ := p.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, 32<<10)
		bp = &b
	}
	err := copyFlushing(w, resp.Body, *bp)
	p.bufs.Put(bp)
	if err != nil {
		p.log.Warn().Err(err).Msg("relaying upstream response")
	}
	for k, vv := range resp.Trailer {
		for _, v := range vv {
			h.Add(http.TrailerPrefix+k, v)
		}
	}
}

func copyFlushing(w http.ResponseWriter, r io.Reader, buf []byte) error {
	rc := http.NewResponseController(w)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return fmt.Errorf("write to runtime: %w", werr)
			}
			_ = rc.Flush()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read from upstream: %w", err)
		}
	}
}

// closing answers a runtime next the proxy gave up on because it is
// shutting down (if the runtime is still there to read it): never a 200,
// which the runtime would take for an event.
func (p *Proxy) closing(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, `{"errorMessage":"lambdawaf: shutting down","errorType":"LambdaWAF.ShuttingDown"}`)
}

func (p *Proxy) badGateway(w http.ResponseWriter, what string, err error) {
	p.stats.upstreamErrors.Add(1)
	p.log.Error().Err(err).Str("upstream", p.upstream).Msg(what + ": upstream runtime API failed")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, `{"errorMessage":"lambdawaf: upstream runtime API unavailable","errorType":"LambdaWAF.UpstreamError"}`)
}
