package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime/debug"
	"sync"
)

// safeFilter runs f on a buffered response; a panic becomes a PanicError.
func (p *Proxy) safeFilter(ctx context.Context, f ResponseFilter, payload []byte) (out []byte, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			out, err = nil, &PanicError{Value: rec, Stack: debug.Stack()}
		}
	}()
	return f.FilterResponse(ctx, payload)
}

// filterStream wraps a streamed response body in the filter's reader. The
// wrapper is read by the transport's own goroutine, where a panic would kill
// the process, so it is shielded: a panic ends the stream with an error.
func (p *Proxy) filterStream(ctx context.Context, id string, f ResponseFilter, r *http.Request) (body io.Reader) {
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			p.stats.inspectErrors.Add(1)
			p.log.Error().Err(&PanicError{Value: rec}).Str("request_id", id).
				Msg("stream filter panicked; streaming the response unfiltered")
			body = r.Body
		}
	}()
	fr := f.FilterStream(ctx, r.Header.Get("Content-Type"), r.Body)
	if fr == nil {
		return r.Body
	}
	return &panicSafeReader{r: fr, onPanic: func(v any) {
		p.stats.panics.Add(1)
		p.stats.inspectErrors.Add(1)
		p.log.Error().Err(&PanicError{Value: v}).Str("request_id", id).Msg("stream filter panicked mid-stream")
	}}
}

type panicSafeReader struct {
	r       io.Reader
	onPanic func(any)
}

func (s *panicSafeReader) Read(b []byte) (n int, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			s.onPanic(rec)
			n, err = 0, errors.New("response stream filter panicked")
		}
	}()
	return s.r.Read(b)
}

// filterTable holds the ResponseFilter of each invocation in flight.
type filterTable struct {
	mu sync.Mutex
	m  map[string]ResponseFilter
}

func (t *filterTable) put(id string, f ResponseFilter) {
	t.mu.Lock()
	t.m[id] = f
	t.mu.Unlock()
}

// take returns and forgets the filter for id.
func (t *filterTable) take(id string) ResponseFilter {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.m[id]
	delete(t.m, id)
	return f
}

func (t *filterTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
