package telemetry

import (
	"context"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Defaults for Config.
const (
	DefaultKeyWait    = 2 * time.Second
	DefaultMaxPending = 1024
)

// Config configures a Recorder.
type Config struct {
	FunctionName    string
	FunctionVersion string
	AgentVersion    string
	// Level is the minimum level of the records written. Allowed events are
	// recorded at info, so a level above info records only blocked and
	// logged events, which are always recorded.
	Level zerolog.Level
	// SampleAllowed is the fraction (0 to 1) of allowed events recorded;
	// the choice is a hash of the request id, so it is stable. Blocked and
	// logged events are always recorded.
	SampleAllowed float64
	// Headers is the header allowlist; nil means DefaultHeaders.
	// Credential headers are never logged, whatever this says.
	Headers []string
	// SensitiveNames are name fragments whose values never appear in a
	// record, added to DefaultSensitiveNames.
	SensitiveNames []string
	// KeyWait is how long records wait for the agent key before they are
	// written with the per-environment fallback key.
	KeyWait time.Duration
	// MaxPending bounds the records waiting for the key; beyond it the
	// oldest is written at once with the fallback key.
	MaxPending int
	// Metrics, when set, counts every observed event.
	Metrics *Metrics
	// Sink, when set, receives a copy of every record line (Firehose).
	Sink Sink
	// Deferred takes the building and writing of allowed events' records
	// off the invocation's path: they are held in memory (a copy of the
	// decision and the request, built into a record at write time, when
	// the key is known and the event is small) and written together,
	// in one write, once DeferredBatch are held (WriteDue, which the
	// agent calls after each response) or DeferredDelay after the first
	// was held, whichever comes first. Every write to stdout costs a
	// system call and, on the platform's side, a wake-up of whatever
	// reads the pipe: one per batch instead of one per invocation.
	// The record of anything else (a block, a would-block in log mode, an
	// inspection error, a response report) is written at once, after the
	// records held before it, on the invocation's path: Lambda may
	// freeze the environment as soon as a response is out, and such a
	// record must not wait in memory for a thaw that may never come.
	// At most MaxDeferred are held; the next one writes them all at once.
	Deferred bool
	// DeferredDelay bounds how long an allowed record is held; 0 means
	// DefaultDeferredDelay. A frozen environment runs no timer: what is
	// held then is written when it thaws, or at SHUTDOWN (Flush).
	DeferredDelay time.Duration
}

// MaxDeferred bounds the records a Deferred recorder holds.
const MaxDeferred = 256

// DeferredBatch is how many held records WriteDue writes together. Each
// write saves a system call per record but encodes the whole batch in
// one burst (about 10 µs a record on a loaded machine), which lands on
// whatever invocation runs next: larger batches save little more and
// cost the tail.
const DeferredBatch = 16

// DefaultDeferredDelay is how long a Deferred recorder holds an allowed
// event's record at most while the environment runs.
const DefaultDeferredDelay = 100 * time.Millisecond

// Sink receives encoded record lines. Ship must not block and must copy
// line if it keeps it.
type Sink interface {
	Ship(line []byte)
}

// Recorder writes one decision record per observed event. It is safe for
// concurrent use, and never waits on the network: records that need the
// agent key before it has arrived wait in a bounded buffer.
type Recorder struct {
	cfg     Config
	key     *agentkey.Key
	redact  *Redactor
	lines   *lineWriter
	done    chan struct{}
	closeMu sync.Once

	flushMu      sync.Mutex // serialises flushPending
	writeMu      sync.Mutex // serialises WriteDeferred
	batch        lineBatch  // WriteDeferred's encoding buffer, under writeMu
	deferMu      sync.Mutex
	deferred     []heldRecord // Config.Deferred: built, encoded and written by WriteDeferred
	spare        []heldRecord // the emptied slice of the last batch written, for the next
	deferTimer   *time.Timer  // writes what is held DeferredDelay after the first
	deferWriting bool         // WriteDue's goroutine is on its way
	mu           sync.Mutex
	pending      []pendingRecord
	waiting      bool // a goroutine waits for the key
	keyDeadline  bool // KeyWait passed: use the fallback until the key arrives
}

type pendingRecord struct {
	rec          Record
	source, user string // raw, in memory only until pseudonymised
}

// NewRecorder returns a Recorder writing to w (the agent's stdout).
func NewRecorder(w io.Writer, key *agentkey.Key, cfg Config) *Recorder {
	if cfg.KeyWait <= 0 {
		cfg.KeyWait = DefaultKeyWait
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.DeferredDelay <= 0 {
		cfg.DeferredDelay = DefaultDeferredDelay
	}
	if key == nil {
		key = agentkey.Ephemeral()
	}
	return &Recorder{
		cfg:    cfg,
		key:    key,
		redact: NewRedactor(cfg.Headers, cfg.SensitiveNames...),
		lines:  &lineWriter{w: w, sink: cfg.Sink},
		done:   make(chan struct{}),
	}
}

// lineWriter serialises whole lines to w and copies them to the sink.
type lineWriter struct {
	mu   sync.Mutex
	w    io.Writer
	sink Sink
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	n, err := l.w.Write(p)
	l.mu.Unlock()
	if l.sink != nil {
		l.sink.Ship(p)
	}
	return n, err
}

// writeBatch writes the lines of b to w in one write, and each to the sink.
func (l *lineWriter) writeBatch(b *lineBatch) error {
	l.mu.Lock()
	_, err := l.w.Write(b.buf)
	l.mu.Unlock()
	if l.sink != nil {
		start := 0
		for _, end := range b.ends {
			l.sink.Ship(b.buf[start:end])
			start = end
		}
	}
	return err
}

// lineBatch collects encoded lines (zerolog writes each event in one
// Write) for lineWriter.writeBatch.
type lineBatch struct {
	buf  []byte
	ends []int // where each line ends in buf
}

func (b *lineBatch) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	b.ends = append(b.ends, len(b.buf))
	return len(p), nil
}

// reset empties b for the next batch, keeping its buffer unless it grew
// past keep bytes.
func (b *lineBatch) reset(keep int) {
	if cap(b.buf) > keep {
		b.buf, b.ends = nil, nil
		return
	}
	b.buf, b.ends = b.buf[:0], b.ends[:0]
}

// Observe records the decision about one event; it implements
// firewall.Observer. The decision alone carries no source address, user or
// headers: callers that have the parsed request use ObserveRequest.
func (r *Recorder) Observe(ctx context.Context, d *policy.Decision) {
	r.ObserveRequest(ctx, d, nil)
}

// ObserveRequest records the decision about one event. req is the
// normalised event (nil when it could not be parsed); it supplies the
// source address, the user and the headers.
func (r *Recorder) ObserveRequest(ctx context.Context, d *policy.Decision, req *event.Request) {
	if d == nil {
		return
	}
	observed := time.Now()
	trigger, decision := recordTrigger(d, req), recordDecision(d)
	if m := r.cfg.Metrics; m != nil {
		classes := make([]string, 0, len(d.Signals))
		for _, s := range d.Signals {
			classes = append(classes, string(s.Class))
		}
		m.AddDecision(trigger, decision, classes, d.Duration)
		var counted []policy.ReasonKind
		for _, rs := range d.Reasons {
			if !rs.Kind.AbuseControl() || slices.Contains(counted, rs.Kind) {
				continue
			}
			counted = append(counted, rs.Kind)
			// What the control asked for, as the event was decided: a
			// block in log mode is logged only.
			action := string(rs.Action)
			if action == DecisionBlock && decision != DecisionBlock {
				action = decision
			}
			m.AddControl(string(rs.Kind), action)
		}
		if d.ShadowOutcome != "" && len(d.ShadowDiff) > 0 {
			m.Count(MetricShadowDiffers)
		}
	}
	if !r.wanted(decision, d.Error != "", d.RequestID) {
		return
	}
	if r.cfg.Deferred && decision == DecisionAllow && d.Error == "" && small(req) {
		// An allowed event's record is built when it is written, off
		// the invocation's path (scrubbing headers and query is most of
		// a record's cost), from a copy of the decision: its slices are
		// the caller's once this returns. The request is not changed
		// after inspection. The key must be known now, else the record
		// takes the path that waits for it.
		if key, src, ok := r.key.Get(); ok {
			r.hold(heldRecord{d: copyDecision(d), req: req, at: observed, key: key, keySource: src}, false)
			return
		}
	}
	rec := r.build(d, req, observed)
	var source, user string
	if req != nil {
		source, user = req.SourceIP, userID(req.Claims)
	}
	r.emit(pendingRecord{rec: rec, source: source, user: user})
}

// maxHeldRequest bounds the body of a request held until its record is
// built: a held request keeps its event's body alive, and a batch of 6 MB
// events must not hold a function's memory. Larger events' records are
// built at once (their inspection costs far more anyway).
const maxHeldRequest = 64 << 10

// small reports whether req may be held until its record is built.
func small(req *event.Request) bool {
	return req == nil || (len(req.Body) <= maxHeldRequest && len(req.Records) == 0 && len(req.RawQuery)+len(req.Path) <= maxHeldRequest)
}

// recordTrigger is the trigger a record names: the decision's, else the
// request's.
func recordTrigger(d *policy.Decision, req *event.Request) string {
	if d.Trigger == "" && req != nil {
		return string(req.Trigger)
	}
	return string(d.Trigger)
}

// recordDecision is the decision a record names.
func recordDecision(d *policy.Decision) string {
	if d.Outcome == "" {
		return DecisionAllow
	}
	return string(d.Outcome)
}

// copyDecision copies what build reads of d, so that the copy shares no
// slice with it.
func copyDecision(d *policy.Decision) *policy.Decision {
	c := *d
	c.Body = nil
	c.Reasons = slices.Clone(d.Reasons)
	c.Shadow = slices.Clone(d.Shadow)
	c.Signals = slices.Clone(d.Signals)
	c.RuleIDs = slices.Clone(d.RuleIDs)
	c.Labels = slices.Clone(d.Labels)
	c.DropRecords = slices.Clone(d.DropRecords)
	c.EventKeys = slices.Clone(d.EventKeys)
	c.ShadowDiff = slices.Clone(d.ShadowDiff)
	return &c
}

// wanted applies the level and the sampling of allowed events.
func (r *Recorder) wanted(decision string, failed bool, requestID string) bool {
	if decision != DecisionAllow || failed {
		return true
	}
	if r.cfg.Level > zerolog.InfoLevel {
		return false
	}
	rate := r.cfg.SampleAllowed
	if rate >= 1 {
		return true
	}
	if rate <= 0 {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(requestID))
	return float64(h.Sum32()%1_000_000) < rate*1_000_000
}

// build makes the record of d, observed at observed.
func (r *Recorder) build(d *policy.Decision, req *event.Request, observed time.Time) Record {
	start := observed.Add(-d.Duration)
	sc := r.redact.ForRequest(req)
	rec := Record{
		Message:          "lambdawaf decision",
		Kind:             KindDecision,
		SchemaVersion:    SchemaVersion,
		Time:             start.UTC(),
		RequestID:        d.RequestID,
		FunctionName:     r.cfg.FunctionName,
		FunctionVersion:  r.cfg.FunctionVersion,
		AgentVersion:     r.cfg.AgentVersion,
		Trigger:          recordTrigger(d, req),
		Method:           d.Method,
		Route:            sc.Text(d.Route, maxHeaderValue),
		Decision:         recordDecision(d),
		Mode:             string(d.Mode),
		RuleIDs:          slices.Clone(d.RuleIDs), // the record may outlive the decision (Deferred)
		Labels:           slices.Clone(d.Labels),
		InspectionMicros: d.Duration.Microseconds(),
		BlockedRecords:   slices.Clone(d.DropRecords),
		SampleRate:       1,
		Skipped:          d.Skipped,
		Config:           d.Config,
		Bundle:           d.Bundle,
		ShadowBundle:     d.ShadowBundle,
		ShadowDecision:   string(d.ShadowOutcome),
		ShadowDiff:       d.ShadowDiff,
	}
	rec.Level = "info"
	if rec.Decision != DecisionAllow || d.Error != "" {
		rec.Level = "warn"
	}
	if rec.Decision == DecisionAllow {
		rec.SampleRate = r.cfg.SampleAllowed
	}
	// A status code exists only where an HTTP response does: records
	// dropped from a batch are answered by no one.
	if d.Outcome == policy.Block && d.Trigger.IsHTTP() {
		rec.StatusCode = d.Status
	}
	if d.Error != "" {
		rec.Error = sc.Text(d.Error, 256)
	}
	rec.OmittedSignals = d.OmittedSignals + max(0, len(d.Signals)-maxSignals)
	rec.OmittedReasons = d.OmittedReasons
	rec.OmittedIssues = d.OmittedIssues
	for i, s := range d.Signals {
		if i == maxSignals {
			break
		}
		rec.Signals = append(rec.Signals, Signal{
			Class:    string(s.Class),
			Location: sc.Text(s.Location, maxLocation),
			Rule:     s.Rule,
			Excerpt:  sc.Excerpt(s.Location, s.Excerpt),
			Score:    s.Score,
		})
	}
	for _, rs := range d.Reasons {
		rec.Reasons = append(rec.Reasons, reasonString(rs, sc))
	}
	for _, rs := range d.Shadow {
		rec.Shadow = append(rec.Shadow, reasonString(rs, sc))
	}
	for i, k := range d.EventKeys {
		if i == maxEventKeys {
			break
		}
		rec.EventKeys = append(rec.EventKeys, sc.Text(k, maxName))
	}
	rec.RecordsAction = string(d.RecordsAction)
	if req != nil {
		if rec.Method == "" {
			rec.Method = req.Method
		}
		if rec.Route == "" {
			rec.Route = sc.Text(req.Route, maxHeaderValue)
		}
		rec.Headers = sc.Headers(req.Headers)
		rec.Query = sc.Query(req.Query)
		rec.Records = len(req.Records)
	}
	return rec
}

// reasonString renders a reason as kind:id:action, with the class and
// location (scrubbed: a name can be an address) when it has them, the
// group's count when a global rate limit refused the request
// (rate-limit:api:block:fleet=1043), and an abuse counter's count,
// threshold, window and hold
// (login:stuffing:block:count=23/20:window=10m0s:retry=840s); reasons
// never hold request input.
func reasonString(rs policy.Reason, sc *Scrubber) string {
	var b strings.Builder
	b.WriteString(string(rs.Kind))
	b.WriteByte(':')
	b.WriteString(rs.ID)
	b.WriteByte(':')
	b.WriteString(string(rs.Action))
	if rs.Class != "" {
		b.WriteString(":" + string(rs.Class))
	}
	if rs.Location != "" {
		b.WriteString("@" + sc.Text(rs.Location, maxLocation))
	}
	if rs.FleetCount > 0 {
		b.WriteString(":fleet=" + strconv.FormatInt(rs.FleetCount, 10))
	}
	if rs.Threshold > 0 {
		b.WriteString(":count=" + strconv.FormatInt(rs.Count, 10) + "/" + strconv.FormatInt(rs.Threshold, 10))
	}
	if rs.Window != "" {
		b.WriteString(":window=" + rs.Window)
	}
	if rs.RetryAfter > 0 {
		b.WriteString(":retry=" + strconv.FormatInt(rs.RetryAfter, 10) + "s")
	}
	return b.String()
}

// emit writes the record now if the key is known, or queues it.
func (r *Recorder) emit(p pendingRecord) {
	if key, src, ok := r.key.Get(); ok {
		r.write(p, key, src)
		return
	}
	r.mu.Lock()
	if key, src, ok := r.key.Get(); ok {
		// The key arrived meanwhile, and its waiter may have flushed the
		// queue already: do not queue behind it.
		r.mu.Unlock()
		r.write(p, key, src)
		return
	}
	if r.keyDeadline {
		r.mu.Unlock()
		r.write(p, r.key.Fallback(), agentkey.SourceEphemeral)
		return
	}
	var overflow *pendingRecord
	if len(r.pending) >= r.cfg.MaxPending {
		o := r.pending[0]
		overflow = &o
		r.pending = append(r.pending[:0], r.pending[1:]...)
	}
	r.pending = append(r.pending, p)
	if !r.waiting {
		r.waiting = true
		go r.waitForKey()
	}
	r.mu.Unlock()
	if overflow != nil {
		r.write(*overflow, r.key.Fallback(), agentkey.SourceEphemeral)
	}
}

// waitForKey flushes the queue when the key arrives, or with the fallback
// key when KeyWait passes first.
func (r *Recorder) waitForKey() {
	t := time.NewTimer(r.cfg.KeyWait)
	defer t.Stop()
	select {
	case <-r.key.Ready():
		r.flushPending(false)
	case <-t.C:
		r.flushPending(true)
		// Keep waiting, so that records return to the real key once it
		// arrives.
		select {
		case <-r.key.Ready():
		case <-r.done:
		}
		r.mu.Lock()
		r.keyDeadline = false
		r.mu.Unlock()
	case <-r.done:
	}
}

func (r *Recorder) flushPending(deadline bool) {
	// One flush at a time: Flush at shutdown must not return while the
	// key waiter is still writing the batch it took.
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	pending := r.pending
	r.pending = nil
	if deadline {
		r.keyDeadline = true
	}
	r.mu.Unlock()
	for _, p := range pending {
		if key, src, ok := r.key.Get(); ok {
			r.write(p, key, src)
		} else {
			r.write(p, r.key.Fallback(), agentkey.SourceEphemeral)
		}
	}
}

func (r *Recorder) write(p pendingRecord, key []byte, source string) {
	rec := pseudonymised(p, key, source)
	r.writeRecord(&rec)
}

// pseudonymised is p's record with its source and user pseudonymised
// with key, whose origin is source.
func pseudonymised(p pendingRecord, key []byte, source string) Record {
	rec := p.rec
	rec.Source = Pseudonym(key, SourcePrefix, p.source)
	rec.User = Pseudonym(key, UserPrefix, p.user)
	if rec.Source != "" || rec.User != "" {
		rec.PseudonymKey = source
	}
	return rec
}

// heldRecord is a record a Deferred recorder holds: built (rec), or, for
// an allowed event, still to be built from a copy of its decision. It is
// small (a record is built into the writer's scratch Record, not here):
// under Managed Instances load a few dozen are held at once, and a slice
// of whole records cost 1.9 KB of copying and allocation per invocation
// as it grew.
type heldRecord struct {
	rec *Record
	// d, when set, is built at write time, with req, at and the key known
	// when it was observed.
	d         *policy.Decision
	req       *event.Request
	at        time.Time
	key       []byte
	keySource string
}

// record returns the held record: rec, or the record of d built into
// scratch.
func (r *Recorder) record(h *heldRecord, scratch *Record) *Record {
	if h.d == nil {
		return h.rec
	}
	p := pendingRecord{rec: r.build(h.d, h.req, h.at)}
	if h.req != nil {
		p.source, p.user = h.req.SourceIP, userID(h.req.Claims)
	}
	*scratch = pseudonymised(p, h.key, h.keySource)
	return scratch
}

func (r *Recorder) writeRecord(rec *Record) {
	if !r.cfg.Deferred {
		r.writeRecords(&lineBatch{}, []heldRecord{{rec: rec}})
		return
	}
	r.hold(heldRecord{rec: rec}, urgent(rec))
}

// hold keeps h for a later write, or writes every held record now when
// h is urgent or the bound is reached; the first held arms the timer.
func (r *Recorder) hold(h heldRecord, urgent bool) {
	r.deferMu.Lock()
	r.deferred = append(r.deferred, h)
	now := urgent || len(r.deferred) >= MaxDeferred
	if !now && len(r.deferred) == 1 {
		if r.deferTimer == nil {
			r.deferTimer = time.AfterFunc(r.cfg.DeferredDelay, r.WriteDeferred)
		} else {
			r.deferTimer.Reset(r.cfg.DeferredDelay)
		}
	}
	r.deferMu.Unlock()
	if now {
		r.WriteDeferred()
	}
}

// urgent reports whether a record is written at once even by a Deferred
// recorder: anything but an allowed event's decision.
func urgent(rec *Record) bool {
	return rec.Kind != KindDecision || rec.Decision != DecisionAllow || rec.Error != ""
}

// WriteDue starts writing the records a Deferred recorder holds, on a
// goroutine of its own, if a batch is due (DeferredBatch of them); it
// never blocks. The agent calls it once an invocation's response (or
// block response) has been relayed, off the path of any event.
func (r *Recorder) WriteDue() {
	r.deferMu.Lock()
	due := len(r.deferred) >= DeferredBatch && !r.deferWriting
	if due {
		r.deferWriting = true
	}
	r.deferMu.Unlock()
	if due {
		go func() {
			r.WriteDeferred()
			r.deferMu.Lock()
			r.deferWriting = false
			r.deferMu.Unlock()
		}()
	}
}

// WriteDeferred writes every record a Deferred recorder holds, in the
// order they were observed, in one write.
func (r *Recorder) WriteDeferred() {
	// One writer at a time, so that batches taken in order are written
	// in order.
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	r.deferMu.Lock()
	recs := r.deferred
	r.deferred, r.spare = r.spare, nil
	r.deferMu.Unlock()
	r.writeRecords(&r.batch, recs)
	// The slice and the encoding buffer serve the next batch, instead of
	// growing anew from nothing for each; emptied first, so that they
	// keep no request alive.
	if cap(recs) <= MaxDeferred {
		clear(recs)
		r.deferMu.Lock()
		if r.deferred == nil {
			r.deferred = recs[:0]
		} else {
			r.spare = recs[:0]
		}
		r.deferMu.Unlock()
	}
	r.batch.reset(maxKeptBatch)
}

// maxKeptBatch bounds the encoding buffer a Deferred recorder keeps
// between batches: a batch of allowed events' records takes about 12 KB.
const maxKeptBatch = 64 << 10

// writeRecords encodes recs as lines into b and writes them in one write.
func (r *Recorder) writeRecords(b *lineBatch, recs []heldRecord) {
	if len(recs) == 0 {
		return
	}
	enc := zerolog.New(b)
	var scratch Record
	for i := range recs {
		enc.Log().EmbedObject((*zrecord)(r.record(&recs[i], &scratch))).Send()
	}
	// stdout is all there is to report a failed write to.
	_ = r.lines.writeBatch(b)
}

// Flush writes every queued record (with the fallback key if the agent key
// has not arrived) and the aggregated metrics; the agent calls it on
// SHUTDOWN.
func (r *Recorder) Flush(ctx context.Context) error {
	r.flushPending(false)
	r.WriteDeferred()
	if r.cfg.Metrics != nil {
		return r.cfg.Metrics.Flush()
	}
	return ctx.Err()
}

// Close flushes and stops the recorder's background wait.
func (r *Recorder) Close(ctx context.Context) error {
	err := r.Flush(ctx)
	r.closeMu.Do(func() { close(r.done) })
	r.deferMu.Lock()
	if r.deferTimer != nil {
		r.deferTimer.Stop()
	}
	r.deferMu.Unlock()
	return err
}

// ReportResponse records what outbound inspection found in a response; it
// implements outbound.Reporter. Reports without findings (a response that
// could not be inspected) are recorded too, so that blind spots show.
func (r *Recorder) ReportResponse(ctx context.Context, rep *outbound.Report) {
	if rep == nil {
		return
	}
	rec := Record{
		Level:           "warn",
		Message:         "lambdawaf response",
		Kind:            KindResponse,
		SchemaVersion:   SchemaVersion,
		Time:            time.Now().UTC(),
		RequestID:       rep.RequestID,
		FunctionName:    r.cfg.FunctionName,
		FunctionVersion: r.cfg.FunctionVersion,
		AgentVersion:    r.cfg.AgentVersion,
		Trigger:         string(rep.Trigger),
		Decision:        DecisionAllow,
		SampleRate:      1,
		Action:          string(rep.Action),
		Error:           rep.Reason,
	}
	kinds := make([]leak.Kind, 0, len(rep.Counts))
	for k := range rep.Counts {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		rec.Leaks = append(rec.Leaks, Leak{Kind: k.String(), Count: rep.Counts[k], Where: rep.Where})
	}
	if m := r.cfg.Metrics; m != nil && len(rec.Leaks) > 0 {
		m.AddResponseLeak(rec.Trigger)
	}
	r.writeRecord(&rec)
}
