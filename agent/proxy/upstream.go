package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// upstreamConns is the proxy's own HTTP/1.1 client for the exchanges it
// makes on every invocation: invocation/next, and posts whose whole body
// is in hand (a handler's buffered response, a block response, an error).
// It writes the request and reads the answer on the caller's goroutine,
// over kept-alive connections to the one upstream. net/http's Transport
// hands each exchange to a writer and a reader goroutine per connection
// and back again: on a loaded machine every such wake-up costs as much as
// the exchange itself, twice per exchange, four exchanges per invocation.
//
// Bodies of unknown or large size, and streamed ones, still go through the
// Transport, which reads the answer while the body is still being sent: a
// body in hand here is at most maxBufferedForward bytes, which the kernel's
// loopback buffers take whole even if upstream answers early.
//
// It is safe for concurrent use.
type upstreamConns struct {
	addr    string
	dialer  net.Dialer
	maxIdle int

	mu   sync.Mutex
	idle []*upstreamConn
}

// upstreamConn is one kept-alive connection with its buffers.
type upstreamConn struct {
	net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

// maxBufferedForward is the largest runtime request body the proxy reads
// whole before forwarding it through upstreamConns; larger ones stream
// through the Transport.
const maxBufferedForward = 64 << 10

func newUpstreamConns(addr string) *upstreamConns {
	return &upstreamConns{
		addr:    addr,
		dialer:  net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
		maxIdle: 256,
	}
}

// RoundTrip sends req, whose body must be nil or replayable (GetBody set),
// and returns the answer. The response body must be read to its end or
// closed; only then does the connection go back to the pool. A request
// sent on a kept-alive connection that turns out to have been closed by
// upstream is sent again once on a new connection when nothing of the
// answer arrived and the request is safe to repeat (a GET, or a body that
// upstream cannot have read: the write itself failed).
func (u *upstreamConns) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		c, reused, err := u.get(req.Context())
		if err != nil {
			return nil, err
		}
		resp, retry, err := u.exchange(c, req, reused && attempt == 0)
		if err == nil {
			return resp, nil
		}
		c.Close()
		if !retry {
			return nil, err
		}
		if req.Body != nil {
			if req.GetBody == nil {
				return nil, err
			}
			body, gerr := req.GetBody()
			if gerr != nil {
				return nil, errors.Join(err, gerr)
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

// exchange writes req on c and reads the answer's head. retry reports
// whether a failure may be retried on a new connection (only for a reused
// one, which upstream may have closed while it was idle).
func (u *upstreamConns) exchange(c *upstreamConn, req *http.Request, reused bool) (resp *http.Response, retry bool, err error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	// A cancelled request (the runtime went away from its next, the proxy
	// is closing) stops waiting at once: the connection's deadline is put
	// in the past, and the connection is then dropped.
	var cancelled bool
	var cmu sync.Mutex
	stop := context.AfterFunc(ctx, func() {
		cmu.Lock()
		cancelled = true
		cmu.Unlock()
		c.SetDeadline(time.Unix(1, 0))
	})
	fail := func(err error, retry bool) (*http.Response, bool, error) {
		stop()
		cmu.Lock()
		defer cmu.Unlock()
		if cancelled {
			return nil, false, fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, retry, err
	}
	if err := req.Write(c.bw); err != nil {
		return fail(fmt.Errorf("write request: %w", err), reused)
	}
	if err := c.bw.Flush(); err != nil {
		return fail(fmt.Errorf("write request: %w", err), reused)
	}
	resp, err = http.ReadResponse(c.br, req)
	if err != nil {
		// Nothing of an answer: upstream closed a kept-alive connection
		// before reading the request. A GET is safe to send again; a post
		// might have been acted on.
		nothing := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		return fail(fmt.Errorf("read response: %w", err), reused && nothing && req.Method == http.MethodGet)
	}
	keep := !resp.Close && !req.Close && (resp.ContentLength >= 0 || len(resp.TransferEncoding) > 0)
	resp.Body = &upstreamBody{rc: resp.Body, conn: c, pool: u, keep: keep, stop: stop}
	return resp, false, nil
}

// get returns an idle connection that upstream has not closed, or a new
// one.
func (u *upstreamConns) get(ctx context.Context) (c *upstreamConn, reused bool, err error) {
	for {
		u.mu.Lock()
		n := len(u.idle)
		if n > 0 {
			c = u.idle[n-1]
			u.idle[n-1] = nil
			u.idle = u.idle[:n-1]
		}
		u.mu.Unlock()
		if c == nil {
			break
		}
		if connAlive(c.Conn) {
			return c, true, nil
		}
		c.Close()
		c = nil
	}
	nc, err := u.dialer.DialContext(ctx, "tcp", u.addr)
	if err != nil {
		return nil, false, err
	}
	return &upstreamConn{Conn: nc, br: bufio.NewReaderSize(nc, 16<<10), bw: bufio.NewWriterSize(nc, 16<<10)}, false, nil
}

// put returns a connection whose exchange is complete to the pool.
func (u *upstreamConns) put(c *upstreamConn) {
	u.mu.Lock()
	if len(u.idle) < u.maxIdle {
		u.idle = append(u.idle, c)
		c = nil
	}
	u.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// closeIdle closes every idle connection.
func (u *upstreamConns) closeIdle() {
	u.mu.Lock()
	idle := u.idle
	u.idle = nil
	u.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
}

// upstreamBody is a response body that gives its connection back to the
// pool once read to the end, or closes it when abandoned early.
type upstreamBody struct {
	rc   io.ReadCloser
	conn *upstreamConn
	pool *upstreamConns
	keep bool
	stop func() bool // releases the cancellation hook
	done bool
}

func (b *upstreamBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.finish(true)
	} else if err != nil {
		b.finish(false)
	}
	return n, err
}

func (b *upstreamBody) Close() error {
	if !b.done {
		b.finish(false)
	}
	return nil
}

// finish ends the exchange: the connection is reused only if the body was
// read to its end, the answer allows it, and no cancellation touched it.
func (b *upstreamBody) finish(complete bool) {
	b.done = true
	cancelled := !b.stop()
	if complete && b.keep && !cancelled {
		b.pool.put(b.conn)
		return
	}
	b.conn.Close()
}
