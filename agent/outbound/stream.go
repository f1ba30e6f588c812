package outbound

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
)

// IntegrationResponseType is the content type of a Function URL streaming
// response: a JSON prelude (status, headers, cookies), eight NUL bytes, then
// the body.
const IntegrationResponseType = contract.StreamingContentType

// Streaming bounds.
const (
	// IdleFlush is how long held-back bytes (the overlap kept in case a
	// card number continues in the next chunk) wait for more data before
	// they are released: server-sent events and other interactive streams
	// must not stall. Only bytes that cannot belong to an incomplete card
	// number, id or key are released (leak.Release); a stack-trace or
	// database-error marker cut by a pause longer than this is missed.
	IdleFlush = 20 * time.Millisecond
	// maxCarry bounds the bytes held back at once.
	maxCarry   = 64 << 10
	chunkSize  = 32 << 10
	maxPrelude = DefaultMaxPrelude
)

var preludeDelimiter = []byte{0, 0, 0, 0, 0, 0, 0, 0}

// FilterStream wraps the body of a streamed response. It inspects the body
// on the fly with a bounded overlap window, so that data split across
// chunks is still found, without buffering the stream. Block cannot recall
// bytes already sent, so streams are masked when the action is Block (and
// the report says so); Log reports and passes the bytes unchanged.
func (f *Filter) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return &stream{
		f:       f,
		ctx:     ctx,
		src:     body,
		prelude: strings.HasPrefix(strings.ToLower(contentType), IntegrationResponseType),
	}
}

type chunk struct {
	data []byte
	err  error
}

type stream struct {
	f   *Filter
	ctx context.Context
	src io.Reader

	chunks  chan chunk
	out     []byte
	carry   []byte
	final   bool
	err     error
	counts  map[leak.Kind]int
	prelude bool // still reading the Function URL prelude
	seen    int  // prelude bytes seen
	zeros   int  // consecutive NUL bytes at the end of the prelude so far
	pass    bool // passing through uninspected
	reason  string
	head    []byte // the prelude so far
}

// preludeEncoding returns the content encoding a Function URL prelude
// declares, "" for none or identity.
func preludeEncoding(prelude []byte) string {
	var p struct {
		Headers map[string]string `json:"headers"`
	}
	if err := json.Unmarshal(bytes.TrimRight(prelude, "\x00"), &p); err != nil {
		return ""
	}
	for k, v := range p.Headers {
		if strings.EqualFold(k, "content-encoding") {
			if v = strings.ToLower(strings.TrimSpace(v)); v != "" && v != "identity" {
				return v
			}
		}
	}
	return ""
}

func (s *stream) Read(p []byte) (int, error) {
	if s.chunks == nil {
		s.chunks = make(chan chunk, 1)
		go s.pump()
	}
	for len(s.out) == 0 {
		if s.final {
			return 0, s.err
		}
		s.fill()
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

// pump reads the source in its own goroutine, so that Read can release
// held-back bytes when the source goes quiet.
func (s *stream) pump() {
	for {
		buf := make([]byte, chunkSize)
		n, err := s.src.Read(buf)
		if n > 0 || err != nil {
			select {
			case s.chunks <- chunk{buf[:n], err}:
			case <-s.ctx.Done():
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (s *stream) fill() {
	var idle <-chan time.Time
	if len(s.carry) > 0 {
		t := time.NewTimer(IdleFlush)
		defer t.Stop()
		idle = t.C
	}
	select {
	case c := <-s.chunks:
		if len(c.data) > 0 {
			s.process(c.data, false)
		}
		if c.err != nil {
			s.process(nil, true)
			s.final, s.err = true, c.err
			s.finish()
		}
	case <-idle:
		s.release()
	case <-s.ctx.Done():
		s.final, s.err = true, s.ctx.Err()
		s.finish()
	}
}

func (s *stream) emit(b []byte) { s.out = append(s.out, b...) }

func (s *stream) process(data []byte, flush bool) {
	if s.pass {
		s.emit(data)
		return
	}
	if s.prelude {
		data = s.consumePrelude(data)
		if s.prelude || s.pass {
			if s.pass {
				s.emit(data)
			}
			return
		}
	}
	buf := append(s.carry, data...)
	kinds := s.f.in.cfg.Kinds
	findings, safe := leak.Find(buf, kinds, flush)
	if !flush && len(buf)-safe > maxCarry {
		safe = len(buf) - leak.MaxToken
		findings, _ = leak.Find(buf[:safe], kinds, true)
	}
	s.counts = count(findings, s.counts)
	if s.f.in.cfg.Action == Log {
		s.emit(buf[:safe])
	} else {
		s.emit(leak.Mask(buf[:safe], findings))
	}
	s.carry = append(s.carry[:0:0], buf[safe:]...)
}

// release emits what a paused stream can give now: held-back bytes that
// cannot be part of an incomplete construct.
func (s *stream) release() {
	if s.pass || s.prelude || len(s.carry) == 0 {
		return
	}
	findings, safe := leak.Release(s.carry, s.f.in.cfg.Kinds)
	if safe == 0 {
		return
	}
	s.counts = count(findings, s.counts)
	if s.f.in.cfg.Action == Log {
		s.emit(s.carry[:safe])
	} else {
		s.emit(leak.Mask(s.carry[:safe], findings))
	}
	s.carry = append(s.carry[:0:0], s.carry[safe:]...)
}

// consumePrelude passes the prelude through unchanged up to and including
// its delimiter, and returns the body bytes that follow it.
func (s *stream) consumePrelude(data []byte) []byte {
	for i, c := range data {
		if c == 0 {
			s.zeros++
		} else {
			s.zeros = 0
		}
		if s.zeros == len(preludeDelimiter) {
			s.emit(data[:i+1])
			s.head = append(s.head, data[:i+1]...)
			s.prelude = false
			if enc := preludeEncoding(s.head); enc != "" {
				// Compressed bytes cannot be masked: pass, and say so.
				s.pass, s.reason = true, "streamed body with content-encoding "+enc+" is not inspected"
			}
			s.head = nil
			return data[i+1:]
		}
	}
	s.seen += len(data)
	s.head = append(s.head, data...)
	s.emit(data)
	if s.seen > maxPrelude {
		s.prelude, s.pass = false, true
		s.reason = "streaming prelude without delimiter within 64 KiB"
	}
	return nil
}

func (s *stream) finish() {
	ctx := context.WithoutCancel(s.ctx)
	switch {
	case s.counts != nil:
		action, reason := s.f.in.cfg.Action, ""
		if action == Block {
			action, reason = Mask, "a streamed response cannot be withheld once started; masked instead"
		}
		s.f.report(ctx, action, "stream", s.counts, reason)
	case s.pass:
		s.f.report(ctx, Pass, "stream", nil, s.reason)
	}
}
