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
// that next's relay. With it, the proxy calls next upstream for a worker
// as soon as the worker's response (or error) starts to arrive, in
// parallel with the relay: the platform then has a next waiting by the
// time it has the response, where a runtime calling it directly is still
// reading the answer to its post; the event waits for the worker's next
// in the proxy. The proxy never holds more than workers invocations at
// once (fetching, waiting for a worker, or in a handler) beyond those
// whose response is on its way upstream, so the platform's concurrency
// bound holds for the handler. workers ≤ 0 turns prefetching off: each
// runtime next is relayed upstream as it comes.
func WithPrefetch(workers int) Option {
	return func(p *Proxy) {
		if workers > 0 {
			p.prefetch = &prefetcher{max: workers, ready: make(chan delivery, 2*workers), starts: make(chan struct{}, workers), delivered: map[string]bool{}}
		}
	}
}

// prefetcher is the bookkeeping of WithPrefetch. Every count is under mu.
type prefetcher struct {
	max   int
	ready chan delivery // fetched, judged, waiting for a worker; cap 2 max
	// starts hands each upstream next to be made to a fetcher goroutine;
	// cap max, which outstanding never exceeds.
	starts chan struct{}

	mu          sync.Mutex
	template    *http.Request   // the first runtime next, whose headers upstream nexts copy
	outstanding int             // upstream nexts in flight (with their inspections)
	fetchers    int             // fetcher goroutines running; never more than outstanding has been
	queued      int             // deliveries in ready
	waiting     int             // runtime nexts waiting for a delivery
	inHandler   int             // delivered, response not yet relayed
	reopened    int             // of inHandler, those whose slot is open again (their response arriving)
	delivered   map[string]bool // in a handler; true once its slot is reopened
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

// held is how many invocations the proxy holds, not counting those whose
// response is on its way upstream; call with mu held. It never exceeds
// max; with those, the total never exceeds 2 max = cap(ready).
func (f *prefetcher) held() int { return f.outstanding + f.queued + f.inHandler - f.reopened }

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
	spawn := false
	if start {
		spawn = f.startLocked()
	}
	f.mu.Unlock()
	if start {
		p.startFetch(spawn)
	}
	select {
	case d := <-f.ready:
		f.mu.Lock()
		f.waiting--
		f.queued--
		if d.id != "" {
			f.inHandler++
			f.delivered[d.id] = false
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

// responding is called when a runtime's response or error for id starts
// to arrive: the worker will be back for next once it is relayed, so its
// slot is opened upstream now, while the relay goes on.
func (p *Proxy) responding(id string) {
	f := p.prefetch
	if f == nil {
		return
	}
	f.mu.Lock()
	reopened, ok := f.delivered[id]
	start := ok && !reopened && f.template != nil && p.ctx.Err() == nil // held() stays as it was
	spawn := false
	if start {
		f.delivered[id] = true
		f.reopened++
		spawn = f.startLocked()
	}
	f.mu.Unlock()
	if start {
		p.startFetch(spawn)
	}
}

// responded is called once a runtime's response or error for id has been
// relayed: the worker is on its way back to next, so its slot is opened
// upstream now, unless responding already did.
func (p *Proxy) responded(id string) {
	f := p.prefetch
	if f == nil {
		return
	}
	f.mu.Lock()
	reopened, ok := f.delivered[id]
	if !ok {
		f.mu.Unlock()
		return
	}
	f.forget(id, reopened)
	start := !reopened && f.template != nil && f.held() < f.max && p.ctx.Err() == nil
	spawn := false
	if start {
		spawn = f.startLocked()
	}
	f.mu.Unlock()
	if start {
		p.startFetch(spawn)
	}
}

// startLocked counts one more upstream next in flight and reports whether
// a fetcher goroutine must be started for it (one per next in flight at
// most); call with mu held, then startFetch with the answer.
func (f *prefetcher) startLocked() (spawn bool) {
	f.outstanding++
	if f.fetchers < f.outstanding {
		f.fetchers++
		return true
	}
	return false
}

// startFetch hands one upstream next to the fetchers, starting one more
// first if startLocked said so. It never blocks: starts has room for max,
// and outstanding never exceeds max.
func (p *Proxy) startFetch(spawn bool) {
	if spawn {
		go p.fetcher()
	}
	p.prefetch.starts <- struct{}{}
}

// fetcher makes the upstream nexts handed to it, one after the other,
// until the proxy is closed. The fetchers live as long as the proxy, at
// most max of them, rather than a goroutine per next: an inspection grows
// its goroutine's stack (the decoders and detectors run deep), and a new
// goroutine per event grew a new stack from its first few kilobytes, by
// copying, every time (about 4 % of the agent's CPU under Managed
// Instances load). A fetcher keeps its stack from one event to the next;
// the collector shrinks it only while it is idle.
func (p *Proxy) fetcher() {
	f := p.prefetch
	for {
		select {
		case <-f.starts:
			p.fetchAhead()
		case <-p.ctx.Done():
			// Nexts handed over before the close give up in fetchAhead,
			// as they would have on a goroutine of their own.
			for {
				select {
				case <-f.starts:
					p.fetchAhead()
				default:
					return
				}
			}
		}
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
		f.ready <- d // never blocks: all held ≤ 2 max = cap(ready)
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
		payload = p.admit(id, v, payload)
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

// forget drops id from the invocations in a handler; call with mu held.
func (f *prefetcher) forget(id string, reopened bool) {
	delete(f.delivered, id)
	f.inHandler--
	if reopened {
		f.reopened--
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
		f := p.prefetch
		f.mu.Lock()
		f.forget(d.id, f.delivered[d.id])
		f.mu.Unlock()
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
