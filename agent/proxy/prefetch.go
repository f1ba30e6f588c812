package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// WithPrefetch makes the proxy keep upstream next calls waiting on behalf
// of the runtime's workers, for Lambda Managed Instances, where the
// platform runs up to workers invocations at once in one environment and
// answers Runtime.Unavailable, rather than queueing, when no worker waits
// in next. Without it, a worker is absent from upstream for its whole
// cycle through the proxy: the relay of its response, its own next, and
// that next's relay. With it, the proxy calls next upstream the moment it
// has relayed a worker's response, so the worker's slot is open upstream
// while the worker is still on its way back; the event waits for the
// worker's next in the proxy.
//
// The proxy never holds more than workers invocations at once (fetching,
// waiting for a worker, or in a handler), so the platform's concurrency
// bound still holds. workers ≤ 0 turns prefetching off: each runtime next
// is relayed upstream as it comes.
func WithPrefetch(workers int) Option {
	return func(p *Proxy) {
		if workers > 0 {
			p.prefetch = &prefetcher{max: workers, ready: make(chan delivery, workers), delivered: map[string]struct{}{}}
		}
	}
}

// prefetcher is the bookkeeping of WithPrefetch. Every count is under mu.
type prefetcher struct {
	max   int
	ready chan delivery // fetched, judged, waiting for a worker; cap max

	mu          sync.Mutex
	template    *http.Request // the first runtime next, whose headers upstream nexts copy
	outstanding int           // upstream nexts in flight (with their inspections)
	queued      int           // deliveries in ready
	waiting     int           // runtime nexts waiting for a delivery
	inHandler   int           // delivered, response not yet relayed
	delivered   map[string]struct{}
}

// delivery is what a runtime next gets: an allowed event, or an upstream
// answer that is not an event (relayed as is), or an upstream failure.
type delivery struct {
	id      string // empty unless an event
	status  int
	header  http.Header
	payload []byte
	err     error
}

// held is how many invocations the proxy holds; call with mu held.
func (f *prefetcher) held() int { return f.outstanding + f.queued + f.inHandler }

// serveNextPrefetched answers a runtime next from the deliveries, starting
// an upstream next when no delivery is coming for this worker.
func (p *Proxy) serveNextPrefetched(w http.ResponseWriter, r *http.Request) {
	p.stats.runtimeNexts.Add(1)
	f := p.prefetch
	f.mu.Lock()
	if f.template == nil {
		f.template = &http.Request{Method: r.Method, URL: r.URL, Header: r.Header.Clone()}
	}
	f.waiting++
	start := f.outstanding+f.queued < f.waiting && f.held() < f.max
	if start {
		f.outstanding++
	}
	f.mu.Unlock()
	if start {
		go p.fetchAhead()
	}
	select {
	case d := <-f.ready:
		f.mu.Lock()
		f.waiting--
		f.queued--
		if d.id != "" {
			f.inHandler++
			f.delivered[d.id] = struct{}{}
		}
		f.mu.Unlock()
		p.deliver(w, r, d)
	case <-r.Context().Done():
		f.mu.Lock()
		f.waiting--
		f.mu.Unlock()
	case <-p.ctx.Done():
		f.mu.Lock()
		f.waiting--
		f.mu.Unlock()
		p.closing(w)
	}
}

// responded is called once a runtime's response or error for id has been
// relayed: the worker is on its way back to next, so its slot is opened
// upstream now.
func (p *Proxy) responded(id string) {
	f := p.prefetch
	if f == nil {
		return
	}
	f.mu.Lock()
	if _, ok := f.delivered[id]; !ok {
		f.mu.Unlock()
		return
	}
	delete(f.delivered, id)
	f.inHandler--
	start := f.template != nil && f.held() < f.max && p.ctx.Err() == nil
	if start {
		f.outstanding++
	}
	f.mu.Unlock()
	if start {
		go p.fetchAhead()
	}
}

// fetchAhead calls next upstream until it has an event to hand a worker
// (answering blocked ones itself), or an answer that is not an event.
func (p *Proxy) fetchAhead() {
	f := p.prefetch
	f.mu.Lock()
	tmpl := f.template
	f.mu.Unlock()
	push := func(d delivery) {
		f.mu.Lock()
		f.outstanding--
		f.queued++
		f.mu.Unlock()
		f.ready <- d // never blocks: held() ≤ max = cap(ready)
	}
	for {
		resp, err := p.quick(p.upstreamRequest(p.ctx, tmpl, nil, 0))
		if err != nil {
			if p.ctx.Err() != nil {
				f.mu.Lock()
				f.outstanding--
				f.mu.Unlock()
				return
			}
			push(delivery{err: fmt.Errorf("fetch next event: %w", err)})
			return
		}
		id := resp.Header.Get(headerRequestID)
		if resp.StatusCode != http.StatusOK || id == "" {
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			push(delivery{status: resp.StatusCode, header: resp.Header, payload: body, err: err})
			return
		}
		payload, err := readBody(resp)
		resp.Body.Close()
		if err != nil {
			p.undeliverable(p.ctx, id, fmt.Errorf("read event: %w", err))
			push(delivery{err: fmt.Errorf("read event %s: %w", id, err)})
			return
		}
		p.seen.add(id)
		p.stats.fetched.Add(1)
		inv := &Invocation{RequestID: id, Header: resp.Header, Event: payload}
		v := p.inspect(p.ctx, inv)
		if v.Block {
			p.block(p.ctx, id, v)
			if p.ctx.Err() != nil {
				f.mu.Lock()
				f.outstanding--
				f.mu.Unlock()
				return
			}
			continue
		}
		if v.Event != nil {
			payload = v.Event
			p.stats.replaced.Add(1)
		}
		if v.Response != nil {
			p.filters.put(id, v.Response)
		}
		if p.ctx.Err() != nil {
			// Closing: no worker will come for it.
			f.mu.Lock()
			f.outstanding--
			f.mu.Unlock()
			p.undeliverable(context.Background(), id, errors.New("agent shutting down"))
			return
		}
		push(delivery{id: id, status: http.StatusOK, header: resp.Header, payload: payload})
		return
	}
}

// deliver writes a delivery to a runtime's next.
func (p *Proxy) deliver(w http.ResponseWriter, r *http.Request, d delivery) {
	if d.err != nil && d.id == "" && d.status == 0 {
		p.badGateway(w, "fetch next event", d.err)
		return
	}
	err := r.Context().Err()
	if err == nil {
		h := w.Header()
		copyHeader(h, d.header)
		removeHopHeaders(h)
		h.Set("Content-Length", strconv.Itoa(len(d.payload)))
		w.WriteHeader(d.status)
		_, err = w.Write(d.payload)
		if err == nil {
			err = http.NewResponseController(w).Flush()
		}
	}
	if err != nil && d.id != "" {
		p.prefetch.mu.Lock()
		delete(p.prefetch.delivered, d.id)
		p.prefetch.inHandler--
		p.prefetch.mu.Unlock()
		p.undeliverable(r.Context(), d.id, err)
	}
}

// failQueued fails the events fetched ahead that no worker took, at
// Close: nobody would answer them otherwise.
func (p *Proxy) failQueued() {
	f := p.prefetch
	if f == nil {
		return
	}
	for {
		select {
		case d := <-f.ready:
			f.mu.Lock()
			f.queued--
			f.mu.Unlock()
			if d.id != "" {
				p.undeliverable(context.Background(), d.id, errors.New("agent shutting down"))
			}
		default:
			return
		}
	}
}
