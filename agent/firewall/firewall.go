// Package firewall is the glue the extension runs for every invocation: it
// takes a raw Lambda event, normalises it (event.Parse), walks its decoded
// values (decode), judges them (detect, with the policy's exclusions), asks
// the policy for a decision and turns that into a proxy.Verdict.
//
// A Firewall implements proxy.Inspector and is safe for concurrent use. Its
// configuration can be swapped atomically (Reload, Swap); a configuration
// that fails to load never replaces a working one.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package firewall

import (
	"context"
	"errors"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// Decision is the policy's decision about one event, completed by the
// firewall (request id, duration, why inspection was skipped).
type Decision = policy.Decision

// Observer receives every decision the firewall makes (telemetry implements
// it). Observe is called on the invocation's goroutine, before the event is
// handed on: it must not block on the network.
type Observer interface {
	Observe(ctx context.Context, d *Decision)
}

// RequestObserver is an Observer that also wants the normalised request
// (telemetry pseudonymises its source address and user from it). When the
// Observer implements it, the firewall calls ObserveRequest instead of
// Observe; req is nil when the event could not be parsed.
type RequestObserver interface {
	Observer
	ObserveRequest(ctx context.Context, d *Decision, req *event.Request)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, d *Decision)

// Observe calls f(ctx, d).
func (f ObserverFunc) Observe(ctx context.Context, d *Decision) { f(ctx, d) }

// ResponseFilters makes the per-invocation outbound response filter (the
// outbound package implements it). It returns nil when the response need
// not be inspected.
type ResponseFilters interface {
	ResponseFilter(ctx context.Context, inv *proxy.Invocation, d *Decision) proxy.ResponseFilter
}

// ResponseFiltersFunc adapts a function to ResponseFilters.
type ResponseFiltersFunc func(ctx context.Context, inv *proxy.Invocation, d *Decision) proxy.ResponseFilter

// ResponseFilter calls f(ctx, inv, d).
func (f ResponseFiltersFunc) ResponseFilter(ctx context.Context, inv *proxy.Invocation, d *Decision) proxy.ResponseFilter {
	return f(ctx, inv, d)
}

// Detector judges one decoded value of a request whose Site (Host and
// Referer) is known; *detect.Engine is the implementation.
type Detector interface {
	InspectSite(v event.Value, site *detect.Site, dst []detect.Signal) []detect.Signal
}

// Options configure a Firewall. The zero value is usable.
type Options struct {
	// Mode, when set, overrides the configuration's mode (LAMBDAWAF_MODE).
	Mode policy.Mode
	// Logger receives the firewall's own messages (configuration problems,
	// unknown triggers, malformed events). Default: discard.
	Logger *zerolog.Logger
	// Observer receives every decision.
	Observer Observer
	// ResponseFilters, when set, supplies the outbound filter of every
	// invocation that is let through.
	ResponseFilters ResponseFilters
	// StreamingTriggers lists the HTTP triggers whose front door invokes
	// the function with response streaming (LAMBDAWAF_RESPONSE_STREAMING):
	// a Function URL in RESPONSE_STREAM invoke mode, an API Gateway REST
	// integration in STREAM transfer mode. The event does not say how it
	// was invoked, and such a front door passes the function's bytes to
	// the client as they are, so their events are blocked with a streamed
	// response (event.StreamingBlockResponse) instead of a response
	// object, which would reach the client as the body of a 200. Triggers
	// that cannot stream are ignored.
	StreamingTriggers []event.Trigger
	// CompleteWalk judges every value of an event even once a block is
	// certain. The agent stops at the first blocking value (the rest
	// cannot change the outcome, and an attacker could pad it with costly
	// text); the offline tools (lambdawaf check, diff, replay) list every
	// finding of a corpus for tuning.
	CompleteWalk bool
	// Limits bound the decoding of one event.
	Limits decode.Limits
	// Detect is the base detection configuration; the policy's classes and
	// rules set to off are added to it.
	Detect detect.Options
	// NewDetector builds the detector for a policy; default detect.New.
	// Tests use it to inject a detector.
	NewDetector func(detect.Options) Detector
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Bundle is the bundle version recorded for the configuration that
	// New, Open, Swap and Reload install (contract.BundleVersionBaked when
	// the agent polls for signed bundles, "" when it does not).
	// SwapBundles names its own.
	Bundle string
	// SharedState, when set, is asked for the protection group's shared
	// state for every configuration with global rate limits or flagging
	// (policy.NeedsSharedState) before it runs; nil keeps those limits
	// per environment.
	SharedState func(*policy.Policy) policy.SharedState
}

// state is one configuration with the detector built for it; swapped as a
// whole so an invocation sees one consistent configuration.
type state struct {
	pol  *policy.Policy
	det  Detector
	base detect.Options
	make func(detect.Options) Detector
	// narrowed caches detectors built without the classes and rules that
	// exclusions leave out for some values, keyed by that set: excluded
	// detectors are not run at all. Bounded by the configuration (one
	// entry per distinct combination of exclusions).
	narrowed sync.Map // string → Detector
	// bundle is the version of the signed bundle pol came from ("" when
	// the agent runs without bundles); see SwapBundles.
	bundle string
	// shadow, when set, is judged beside this state after each event is
	// handed on, and only logged.
	shadow *state
}

// detectorFor returns the detector for a value that exclusions narrow.
func (st *state) detectorFor(classes []detect.Class, rules []string) Detector {
	if len(classes) == 0 && len(rules) == 0 {
		return st.det
	}
	var kb strings.Builder
	for _, c := range classes {
		kb.WriteString(string(c))
		kb.WriteByte(',')
	}
	kb.WriteByte('|')
	for _, r := range rules {
		kb.WriteString(r)
		kb.WriteByte(',')
	}
	key := kb.String()
	if d, ok := st.narrowed.Load(key); ok {
		return d.(Detector)
	}
	o := st.base
	o.DisableClasses = append(slices.Clip(o.DisableClasses), classes...)
	o.DisableRules = append(slices.Clip(o.DisableRules), rules...)
	d, _ := st.narrowed.LoadOrStore(key, st.make(o))
	return d.(Detector)
}

// Firewall judges Lambda events. Build it with New or Open.
type Firewall struct {
	opts    Options
	log     zerolog.Logger
	dec     *decode.Decoder
	cur     atomic.Pointer[state]
	unknown atomic.Int64 // events of unknown triggers seen
	shadows shadowRunner // shadow bundle evaluations in flight
	// concurrentMin is the payload size from which an event's values
	// are judged on two cores (concurrentMinBytes; tests lower it).
	concurrentMin int
}

// New returns a Firewall running p (policy.Default() when nil).
func New(p *policy.Policy, opts Options) *Firewall {
	if p == nil {
		p = policy.Default()
	}
	f := &Firewall{opts: opts, dec: decode.New(opts.Limits), concurrentMin: concurrentMinBytes}
	if opts.Logger != nil {
		f.log = *opts.Logger
	} else {
		f.log = zerolog.Nop()
	}
	if f.opts.Now == nil {
		f.opts.Now = time.Now
	}
	f.Swap(p)
	return f
}

// Open loads the configuration document at path (the agent's settings
// locate it; "" means none) and returns a Firewall running it. When the document is missing or invalid
// the Firewall runs the built-in defaults, says so loudly in the log, and
// the error is returned with it: the function stays protected either way.
func Open(path string, opts Options) (*Firewall, error) {
	f := New(policy.Default(), opts)
	if path == "" {
		f.log.Info().Msg("no lambdawaf configuration found; running the built-in defaults")
		return f, nil
	}
	if err := f.Reload(path); err != nil {
		return f, err
	}
	return f, nil
}

// Swap makes p the running configuration, atomically: invocations in
// flight finish with the configuration they started with.
func (f *Firewall) Swap(p *policy.Policy) {
	st := f.newState(p)
	st.bundle = f.opts.Bundle
	f.install(st)
}

// newState builds the detector for p.
func (f *Firewall) newState(p *policy.Policy) *state {
	o := f.opts.Detect
	o.DisableClasses = append(append([]detect.Class(nil), o.DisableClasses...), p.DisabledClasses()...)
	o.DisableRules = append(append([]string(nil), o.DisableRules...), p.DisabledRules()...)
	if n := p.Paranoia(); n != 0 {
		o.Paranoia = n
	}
	mk := f.opts.NewDetector
	if mk == nil {
		mk = func(o detect.Options) Detector { return detect.New(o) }
	}
	for _, w := range p.Warnings() {
		f.log.Warn().Str("config", p.Source()).Msg(w)
	}
	if f.opts.SharedState != nil && (p.NeedsSharedState() || len(p.Counters()) > 0) {
		if s := f.opts.SharedState(p); s != nil {
			p.SetSharedState(s)
		}
	}
	return &state{pol: p, det: mk(o), base: o, make: mk}
}

// Reload loads the configuration at path and swaps it in. On error the
// running configuration stays (the last good one, or the defaults at first
// start), the problem is logged at error level with every field, line and
// expectation, and the error is returned.
func (f *Firewall) Reload(path string) error {
	p, err := policy.Load(path)
	if err != nil {
		running := f.Policy().Source()
		ev := f.log.Error().Str("config", path).Str("running", running)
		var ce *document.Error
		if errors.As(err, &ce) {
			problems := make([]string, len(ce.Fields))
			for i, fe := range ce.Fields {
				problems[i] = fe.Error()
			}
			ev = ev.Strs("problems", problems)
		}
		ev.Msg("INVALID lambdawaf configuration: it was NOT applied; the agent keeps protecting with the running configuration (" + running + ")")
		return fmt.Errorf("reload configuration: %w", err)
	}
	f.Swap(p)
	f.log.Info().Str("config", path).Msg("lambdawaf configuration loaded")
	return nil
}

// Policy returns the running configuration.
func (f *Firewall) Policy() *policy.Policy { return f.cur.Load().pol }

// mode is the effective function-wide mode.
func (f *Firewall) mode(p *policy.Policy) policy.Mode {
	if f.opts.Mode != "" {
		return f.opts.Mode
	}
	return p.Mode()
}

// InspectEvent implements proxy.Inspector.
func (f *Firewall) InspectEvent(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
	st := f.cur.Load()
	if f.mode(st.pol) == policy.ModeOff {
		return proxy.Verdict{}, nil
	}
	d, req, err := f.judge(ctx, st, inv.Event)
	d.RequestID = inv.RequestID
	if d.Skipped == "error" {
		f.observe(ctx, d, req)
		return proxy.Verdict{}, err
	}
	if err != nil {
		// A malformed event is judged generically (every string it
		// holds, plus a malformed-event signal), never passed unseen:
		// handlers parse leniently.
		f.log.Warn().Str("requestId", inv.RequestID).Str("reason", d.Error).Msg("malformed event judged generically")
	}
	// The handler receives what was judged: the canonical envelope when
	// the event repeated a top-level key.
	payload := inv.Event
	var v proxy.Verdict
	if req.Canonical != nil {
		payload, v.Event = req.Canonical, req.Canonical
	}
	if d.Outcome == policy.Block && req.Trigger.IsRecordList() && len(d.DropRecords) == 0 && len(req.Records) > 0 {
		// blocked as a whole (a rule, a signal outside any record): every
		// record is blocked, and goes where blockedRecords says
		d.DropRecords = make([]int, len(req.Records))
		for i := range d.DropRecords {
			d.DropRecords[i] = i
		}
	}
	var filter proxy.ResponseFilter
	switch {
	case d.Outcome == policy.Block && req.Trigger.FailsWithError():
		f.record(ctx, st, inv.Event, d, req)
		v.Block, v.BlockErrorType = true, blockedErrorType(req.Trigger)
		v.BlockResponse = errorDocument(v.BlockErrorType)
		return v, nil
	case d.Outcome == policy.Block && len(d.DropRecords) > 0:
		bv, bf, berr := blockRecords(st.pol, req, d, payload)
		f.record(ctx, st, inv.Event, d, req)
		if berr != nil {
			return proxy.Verdict{}, berr
		}
		if bv.Block {
			return bv, nil
		}
		v.Event, filter = bv.Event, bf
	case d.Outcome == policy.Block:
		f.record(ctx, st, inv.Event, d, req)
		streamed := streams(f.opts.StreamingTriggers, req.Trigger)
		body, berr := blockResponse(req, d, streamed)
		if berr != nil {
			return proxy.Verdict{}, fmt.Errorf("build block response: %w", berr)
		}
		v.Block, v.BlockResponse = true, body
		if streamed {
			v.BlockStreaming, v.BlockContentType = true, event.StreamingContentType
		}
		return v, nil
	default:
		f.record(ctx, st, inv.Event, d, req)
	}
	if f.opts.ResponseFilters != nil {
		v.Response = f.opts.ResponseFilters.ResponseFilter(ctx, inv, d)
	}
	v.Response = chainFilters(chainFilters(v.Response, filter), f.watchResponse(d))
	return v, nil
}

// streams reports whether events of t are blocked with a streamed response.
func streams(streaming []event.Trigger, t event.Trigger) bool {
	return t.StreamsResponses() && slices.Contains(streaming, t)
}

// StreamedInvocations returns the check proxy.WithStreamedBlocks wants, for
// the blocks the proxy decides itself (an inspection failing closed):
// whether an invocation is an event of one of the streaming triggers
// (Options.StreamingTriggers), told apart as InspectEvent tells them. It
// parses the event again, which costs nothing on the hot path: the proxy
// asks only when an inspection has failed.
func StreamedInvocations(streaming []event.Trigger) func(*proxy.Invocation) bool {
	return func(inv *proxy.Invocation) bool {
		req, err := event.Parse(inv.Event)
		return err == nil && streams(streaming, req.Trigger)
	}
}

// blockResponse shapes the block response for the trigger, naming the
// invocation's request id (d.RequestID, from the Runtime API), in the
// streaming format when the invocation was made with response streaming.
// Record-list triggers whose every record was malicious are answered with
// an empty partial-batch response: the invocation succeeds and the batch is
// dropped.
func blockResponse(req *event.Request, d *Decision, streamed bool) ([]byte, error) {
	if streamed {
		return event.StreamingBlockResponseRetry(req.Trigger, d.RequestID, d.Status, d.ContentType, d.Body, d.RetryAfter)
	}
	if req.Trigger.IsHTTP() {
		return req.BlockResponseRetry(d.RequestID, d.Status, d.ContentType, d.Body, d.RetryAfter)
	}
	switch req.Trigger {
	case event.SQS, event.Kinesis, event.DynamoDBStreams:
		return []byte(`{"batchItemFailures":[]}`), nil
	}
	return []byte(`{}`), nil
}

// Judge judges one raw event offline, as the agent would, without the
// proxy: the CLI's check and diff use it. A malformed event is
// judged generically (see InspectEvent) and the parse error is returned too.
func (f *Firewall) Judge(ctx context.Context, payload []byte) (*Decision, error) {
	st := f.cur.Load()
	if f.mode(st.pol) == policy.ModeOff {
		return &Decision{Trigger: event.Unknown, Mode: policy.ModeOff, Outcome: policy.Allow, Skipped: "mode-off", Config: st.pol.Source()}, nil
	}
	d, _, err := f.judge(ctx, st, payload)
	return d, err
}

// record reports d once it is final: at once, or through the shadow
// bundle when one runs (its evaluation completes d with the shadow outcome
// and then reports it).
func (f *Firewall) record(ctx context.Context, st *state, payload []byte, d *Decision, req *event.Request) {
	if st.shadow == nil || !f.shadows.start(f, st, payload, d) {
		f.observe(ctx, d, req)
	}
}

func (f *Firewall) observe(ctx context.Context, d *Decision, req *event.Request) {
	switch o := f.opts.Observer.(type) {
	case nil:
	case RequestObserver:
		o.ObserveRequest(ctx, d, req)
	default:
		o.Observe(ctx, d)
	}
}

// judge runs the pipeline. It returns a non-nil Decision always, the
// parsed request (nil when malformed) and the parse error.
func (f *Firewall) judge(ctx context.Context, st *state, payload []byte) (d *Decision, req *event.Request, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			// Report a panic as an error, so the proxy's failure policy
			// (open or closed) decides, with the decision still recorded.
			if d == nil {
				d = &Decision{Trigger: event.Unknown}
			}
			d.Outcome, d.Skipped, d.Error = policy.Allow, "error", fmt.Sprintf("inspection panic: %v", r)
			err = errors.New(d.Error)
		}
		d.Duration = time.Since(start)
		d.Bundle = st.bundle
	}()
	mode := f.mode(st.pol)
	req, err = event.Parse(payload)
	var sigs []detect.Signal
	if err != nil {
		req = event.ParseGeneric(payload)
		sigs = append(sigs, detect.Signal{Class: detect.Protocol, Rule: RuleMalformedEvent, Location: "event", Record: -1, Score: 7})
	}
	if req.Trigger == event.Unknown {
		if f.unknown.Add(1) == 1 {
			f.log.Warn().Str("unknownTrigger", string(st.pol.UnknownTrigger())).
				Msg("event of an unknown trigger; further ones are counted, not logged")
		}
		switch st.pol.UnknownTrigger() {
		case document.UnknownAllow:
			if err == nil {
				return &Decision{Trigger: event.Unknown, Mode: mode, Outcome: policy.Allow, Skipped: "unknown-trigger", EventKeys: req.TopKeys, Config: st.pol.Source()}, req, nil
			}
		case document.UnknownBlock:
			sigs = append(sigs, detect.Signal{Class: detect.Protocol, Rule: RuleUnknownTrigger, Location: "event", Record: -1, Score: 10})
		}
	}
	defer func() {
		if req.Trigger == event.Unknown {
			d.EventKeys = req.TopKeys
		}
		if err != nil {
			d.Error = err.Error()
		}
	}()
	ev := st.pol.Begin(req, f.opts.Now())
	ev.SetMode(mode)
	overrun := false
	omitted := 0 // decoding issues the decoder's cap left out
	if !ev.Done() {
		site := detect.SiteOf(req)
		var cw *concurrentWalk
		if len(payload) >= f.concurrentMin && runtime.GOMAXPROCS(0) > 1 {
			// a large event: its values are judged on two cores, with
			// the serial walk's result (see concurrentWalk)
			cw = newConcurrentWalk(ctx, ev, &site, !f.opts.CompleteWalk, sigs)
			defer cw.close()
		}
		werr := f.dec.Walk(req, func(v event.Value) bool {
			if ev.Wants(v.Location) {
				ev.Keep(v)
			}
			all, classes, rules := ev.Exclusions(v.Location)
			if !all {
				if cw != nil {
					return cw.add(v, st.detectorFor(classes, rules))
				}
				n := len(sigs)
				sigs = st.detectorFor(classes, rules).InspectSite(v, &site, sigs)
				if !f.opts.CompleteWalk && ev.Settled(sigs[n:]) {
					return false // blocked whatever follows
				}
			}
			return ctx.Err() == nil
		})
		if cw != nil {
			sigs = cw.finish()
		}
		var de *decode.Error
		overrun = ctx.Err() != nil
		if errors.As(werr, &de) {
			omitted = de.Omitted
			for _, is := range de.Issues {
				if is.Kind == decode.TimeBudget {
					overrun = true
					continue
				}
				sigs = append(sigs, issueSignal(is))
			}
		}
	}
	ev.AddSignals(sigs...)
	d = ev.Finish()
	d.OmittedIssues = omitted
	if overrun && d.Outcome != policy.Block {
		// Running out of time says nothing about the input: it is an
		// inspection failure, and LAMBDAWAF_FAILURE_POLICY decides
		// (a block found before it still blocks).
		d.Outcome, d.Skipped, d.Error = policy.Allow, "error", "inspection time budget exceeded"
		if cerr := ctx.Err(); cerr != nil {
			d.Error = "inspection cut short: " + cerr.Error()
		}
		return d, req, errors.New(d.Error)
	}
	return d, req, err
}

// issueSignal turns a decoding issue into a signal. A bound reached (input
// left uninspected: how evasion by size, depth or count looks) is a limit
// signal, decided by the policy's onLimit alone. Malformed encodings are
// protocol signals that score low: clients get them wrong too.
func issueSignal(is decode.Issue) detect.Signal {
	if is.Kind.IsLimit() {
		return detect.Signal{Class: policy.ClassLimit, Location: is.Location, Record: is.Record, Rule: "limit-" + string(is.Kind), Score: 10}
	}
	return detect.Signal{Class: detect.Protocol, Location: is.Location, Record: is.Record, Rule: "decode-" + string(is.Kind), Score: 3}
}

// UnknownTriggers reports how many events of unknown triggers passed.
func (f *Firewall) UnknownTriggers() int64 { return f.unknown.Load() }
