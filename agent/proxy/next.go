package proxy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"time"
)

// serveNext answers the runtime's long poll. It fetches events from upstream
// until one is allowed, answering blocked ones itself, so the runtime only
// ever sees events that passed inspection.
func (p *Proxy) serveNext(w http.ResponseWriter, r *http.Request) {
	p.stats.runtimeNexts.Add(1)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(p.ctx, cancel)
	defer stop()

	for {
		resp, err := p.quick(p.upstreamRequest(ctx, r, nil, 0))
		if err != nil {
			if ctx.Err() != nil {
				// The runtime went away or the proxy is closing: no
				// event was taken, nothing is lost.
				p.log.Debug().Err(err).Msg("runtime next abandoned")
				p.closing(w)
				return
			}
			p.badGateway(w, "fetch next event", err)
			return
		}
		id := resp.Header.Get(headerRequestID)
		if resp.StatusCode != http.StatusOK || id == "" {
			// Not an event (an error status, or a malformed answer): the
			// runtime decides what to do with it.
			p.copyResponse(w, resp)
			return
		}
		payload, err := readBody(resp)
		resp.Body.Close()
		if err != nil {
			// Upstream handed the invocation out; fail it rather than
			// leave it to time out, and tell the runtime.
			p.undeliverable(r.Context(), id, fmt.Errorf("read event: %w", err))
			p.badGateway(w, "read event "+id, err)
			return
		}
		p.seen.add(id)
		p.stats.fetched.Add(1)

		inv := &Invocation{RequestID: id, Header: resp.Header, Event: payload}
		v := p.inspect(r.Context(), inv)
		if v.Block {
			p.block(r.Context(), id, v)
			if ctx.Err() != nil {
				p.closing(w)
				return
			}
			continue
		}
		payload = p.admit(id, v, payload)
		if err := r.Context().Err(); err != nil {
			p.undeliverable(r.Context(), id, err)
			return
		}
		h := w.Header()
		copyHeader(h, resp.Header)
		removeHopHeaders(h)
		h.Set("Content-Length", strconv.Itoa(len(payload)))
		w.WriteHeader(http.StatusOK)
		_, err = w.Write(payload)
		if err == nil {
			err = http.NewResponseController(w).Flush()
		}
		if err != nil {
			p.undeliverable(r.Context(), id, err)
		}
		return
	}
}

// undeliverable fails an invocation whose event was handed out by upstream
// but could not be handed to the runtime (the runtime went away, or the
// event could not be read): the caller gets an error now instead of a
// timeout later.
func (p *Proxy) undeliverable(parent context.Context, id string, cause error) {
	defer p.answered(id)
	p.filters.take(id)
	p.stats.undelivered.Add(1)
	p.log.Error().Err(cause).Str("request_id", id).Msg("event could not be delivered to the runtime; failing the invocation")
	const body = `{"errorMessage":"The event could not be delivered to the runtime","errorType":"LambdaWAF.Undeliverable"}`
	status, err := p.post(context.WithoutCancel(parent), pathPrefix+url.PathEscape(id)+suffixError, []byte(body))
	if err != nil || status != http.StatusAccepted {
		p.log.Error().Err(err).Int("status", status).Str("request_id", id).Msg("upstream did not accept the invocation error")
	}
}

// inspect runs the Inspector on one invocation, timed, shielded from its
// panics, and turns its failures into the configured failure policy.
func (p *Proxy) inspect(parent context.Context, inv *Invocation) Verdict {
	if p.inspector == nil {
		return Verdict{}
	}
	ctx := context.WithoutCancel(parent)
	if ms, err := strconv.ParseInt(inv.Header.Get(headerDeadline), 10, 64); err == nil && ms > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, time.UnixMilli(ms))
		defer cancel()
	}
	start := time.Now()
	v, err := p.safeInspect(ctx, inv)
	elapsed := time.Since(start)
	p.stats.observeInspection(elapsed)

	if err != nil {
		p.stats.inspectErrors.Add(1)
		if p.failClosed {
			p.log.Error().Err(err).Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).
				Msg("inspection failed; blocking the invocation (failure policy closed)")
			return Verdict{Block: true, BlockStreaming: p.isStreamed(inv)}
		}
		p.log.Error().Err(err).Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).
			Msg("inspection failed; letting the event through unchanged (failure policy open)")
		return Verdict{}
	}
	p.log.Debug().Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).Bool("block", v.Block).
		Msg("event inspected")
	return v
}

// isStreamed asks the WithStreamedBlocks function, shielded from its panics.
func (p *Proxy) isStreamed(inv *Invocation) (streamed bool) {
	if p.streamed == nil {
		return false
	}
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			p.log.Error().Err(&PanicError{Value: rec}).Str("request_id", inv.RequestID).
				Msg("streamed-invocation check panicked; blocking with a buffered response")
			streamed = false
		}
	}()
	return p.streamed(inv)
}

func (p *Proxy) safeInspect(ctx context.Context, inv *Invocation) (v Verdict, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			err = &PanicError{Value: rec, Stack: debug.Stack()}
		}
	}()
	return p.inspector.InspectEvent(ctx, inv)
}

// PanicError is the error an Inspector or ResponseFilter panic turns into.
type PanicError struct {
	Value any
	Stack []byte
}

// Error describes the panic, cut short: a panic value can quote the data
// being inspected, and logs must not carry event contents.
func (e *PanicError) Error() string {
	msg := fmt.Sprint(e.Value)
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return "panic: " + msg
}

// admit takes what an allowing verdict carries for invocation id: the
// event that replaces payload (returned in its place) and the response
// filter the invocation's answer goes through.
func (p *Proxy) admit(id string, v Verdict, payload []byte) []byte {
	if v.Event != nil {
		payload = v.Event
		p.stats.replaced.Add(1)
	}
	if v.Response != nil {
		p.filters.put(id, v.Response)
	}
	return payload
}
