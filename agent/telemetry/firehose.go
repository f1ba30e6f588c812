package telemetry

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Firehose limits (PutRecordBatch) and shipper defaults.
const (
	MaxBatchRecords = 500
	MaxBatchBytes   = 4 << 20
	MaxRecordBytes  = 1000 << 10

	DefaultQueueRecords  = 5000
	DefaultQueueBytes    = 8 << 20
	DefaultShipInterval  = time.Second
	DefaultCallTimeout   = 2 * time.Second
	dropLogInterval      = time.Minute
	firehoseAttemptLimit = 1 // no client retries: a throttled batch is dropped, not queued
)

// FirehoseAPI is the part of Firehose the shipper uses; *FirehoseClient
// implements it.
type FirehoseAPI interface {
	PutRecordBatch(ctx context.Context, in *PutRecordBatchInput) (*PutRecordBatchOutput, error)
}

// ShipperOptions configure a Shipper.
type ShipperOptions struct {
	// Stream is the delivery stream name.
	Stream string
	// Client sends batches; nil means NewFirehoseClient.
	Client FirehoseAPI
	// QueueRecords and QueueBytes bound the records waiting to be sent;
	// beyond them records are dropped and counted.
	QueueRecords int
	QueueBytes   int
	// Interval is how long records wait for a batch to fill.
	Interval time.Duration
	// CallTimeout bounds one PutRecordBatch call.
	CallTimeout time.Duration
	// Metrics, when set, counts dropped records (RecordsDropped).
	Metrics *Metrics
	// Logger receives drop reports (at most one a minute).
	Logger zerolog.Logger
}

// Shipper sends decision records to a Firehose stream in batches, from its
// own goroutine (Run). Ship never blocks: when the queue is full, or
// Firehose is unreachable or throttling, records are dropped and counted.
type Shipper struct {
	opts    ShipperOptions
	queue   chan []byte
	queued  atomic.Int64 // bytes in queue
	dropped atomic.Int64
	sent    atomic.Int64
	flushes chan flushRequest

	logMu   sync.Mutex
	lastLog time.Time
}

type flushRequest struct {
	ctx  context.Context
	done chan error
}

// NewShipper returns a Shipper; start it with Run.
func NewShipper(opts ShipperOptions) *Shipper {
	if opts.QueueRecords <= 0 {
		opts.QueueRecords = DefaultQueueRecords
	}
	if opts.QueueBytes <= 0 {
		opts.QueueBytes = DefaultQueueBytes
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultShipInterval
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	return &Shipper{
		opts:    opts,
		queue:   make(chan []byte, opts.QueueRecords),
		flushes: make(chan flushRequest),
	}
}

// Ship queues a copy of one record line. It never blocks.
func (s *Shipper) Ship(line []byte) {
	if len(line) > MaxRecordBytes || s.queued.Load()+int64(len(line)) > int64(s.opts.QueueBytes) {
		s.drop(1, "queue full")
		return
	}
	b := append([]byte(nil), line...)
	select {
	case s.queue <- b:
		s.queued.Add(int64(len(b)))
	default:
		s.drop(1, "queue full")
	}
}

// Dropped returns the number of records dropped so far; Sent the number
// Firehose accepted.
func (s *Shipper) Dropped() int64 { return s.dropped.Load() }

// Sent returns the number of records Firehose accepted.
func (s *Shipper) Sent() int64 { return s.sent.Load() }

func (s *Shipper) drop(n int, why string) {
	total := s.dropped.Add(int64(n))
	if s.opts.Metrics != nil {
		s.opts.Metrics.AddDropped(n)
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if now := time.Now(); now.Sub(s.lastLog) >= dropLogInterval {
		s.lastLog = now
		s.opts.Logger.Warn().Str("stream", s.opts.Stream).Str("reason", why).Int64("dropped_total", total).
			Msg("firehose: decision records dropped")
	}
}

// Run batches queued records and sends them until ctx is done.
func (s *Shipper) Run(ctx context.Context) {
	if s.opts.Client == nil {
		c, err := NewFirehoseClient(ctx)
		if err != nil {
			s.opts.Logger.Error().Err(err).Str("stream", s.opts.Stream).Msg("firehose: no client; decision records will not be shipped")
			s.opts.Client = failingClient{err}
		} else {
			s.opts.Client = c
		}
	}
	var batch [][]byte
	size := 0
	ticker := time.NewTicker(s.opts.Interval)
	defer ticker.Stop()
	send := func(ctx context.Context) {
		if len(batch) > 0 {
			s.send(ctx, batch)
			batch, size = nil, 0
		}
	}
	add := func(ctx context.Context, b []byte) {
		s.queued.Add(-int64(len(b)))
		if len(batch) == MaxBatchRecords || size+len(b) > MaxBatchBytes {
			send(ctx)
		}
		batch = append(batch, b)
		size += len(b)
	}
	for {
		select {
		case b := <-s.queue:
			add(ctx, b)
			if len(batch) == MaxBatchRecords {
				send(ctx)
			}
		case <-ticker.C:
			send(ctx)
		case req := <-s.flushes:
			// Drain what is queued now, within the caller's deadline.
		drain:
			for {
				select {
				case b := <-s.queue:
					add(req.ctx, b)
				default:
					break drain
				}
			}
			send(req.ctx)
			req.done <- req.ctx.Err()
		case <-ctx.Done():
			return
		}
	}
}

// Flush sends every queued record, within ctx's deadline (the agent calls
// it on SHUTDOWN with what is left of its budget). Records that cannot be
// sent in time are dropped and counted.
func (s *Shipper) Flush(ctx context.Context) error {
	req := flushRequest{ctx: ctx, done: make(chan error, 1)}
	select {
	case s.flushes <- req:
	case <-ctx.Done():
		return fmt.Errorf("firehose flush: %w", ctx.Err())
	}
	select {
	case err := <-req.done:
		if err != nil {
			return fmt.Errorf("firehose flush: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("firehose flush: %w", ctx.Err())
	}
}

// send puts one batch, retrying the records that failed once.
func (s *Shipper) send(ctx context.Context, batch [][]byte) {
	for attempt := 0; attempt < 2 && len(batch) > 0; attempt++ {
		if ctx.Err() != nil {
			s.drop(len(batch), "deadline")
			return
		}
		records := make([]FirehoseRecord, len(batch))
		for i, b := range batch {
			records[i] = FirehoseRecord{Data: b}
		}
		cctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
		out, err := s.opts.Client.PutRecordBatch(cctx, &PutRecordBatchInput{
			DeliveryStreamName: s.opts.Stream,
			Records:            records,
		})
		cancel()
		if err != nil {
			// Unreachable, throttled (ServiceUnavailableException) or
			// denied: drop rather than pile up behind a failing endpoint.
			s.drop(len(batch), err.Error())
			return
		}
		failed := out.FailedPutCount
		if failed == 0 {
			s.sent.Add(int64(len(batch)))
			return
		}
		var retry [][]byte
		for i, r := range out.RequestResponses {
			if i < len(batch) && r.ErrorCode != "" {
				retry = append(retry, batch[i])
			}
		}
		if len(out.RequestResponses) != len(batch) {
			retry = batch // a malformed answer: retry all once
		}
		s.sent.Add(int64(len(batch) - len(retry)))
		batch = retry
	}
	if len(batch) > 0 {
		s.drop(len(batch), "partial failure persisted after one retry")
	}
}

// failingClient stands in when no client could be made, so that records
// are dropped and counted like any other failure.
type failingClient struct{ err error }

func (f failingClient) PutRecordBatch(context.Context, *PutRecordBatchInput) (*PutRecordBatchOutput, error) {
	return nil, f.err
}
