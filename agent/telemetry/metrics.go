package telemetry

import (
	"encoding/json"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"io"
	"slices"
	"sync"
	"time"
)

// Metric names, dimensions and the agent-error filter are part of the
// contract with dashboards and alarms (see package contract).
const (
	Namespace               = contract.Namespace
	MetricInspected         = contract.MetricInspected
	MetricBlocked           = contract.MetricBlocked
	MetricLoggedOnly        = contract.MetricLoggedOnly
	MetricSignals           = contract.MetricSignals
	MetricInspectionLatency = contract.MetricInspectionLatency
	MetricResponseLeaks     = contract.MetricResponseLeaks
	MetricRecordsDropped    = contract.MetricRecordsDropped
	MetricShadowDiffers     = contract.MetricShadowDiffers
	MetricAgentErrors       = contract.MetricAgentErrors
	AgentErrorPattern       = contract.AgentErrorPattern
	DimFunctionName         = contract.DimFunctionName
	DimTrigger              = contract.DimTrigger
	DimClass                = contract.DimClass
	DimControl              = contract.DimControl
	ClassNone               = contract.ClassNone
)

// DefaultFlushInterval is how long metrics aggregate before they are
// written, at the latest.
const DefaultFlushInterval = 60 * time.Second

// maxValues is the most values one EMF metric may carry in one document.
const maxValues = 100

// Metrics aggregates counters in memory and writes them as CloudWatch
// embedded metric format documents: one document per trigger (and per
// trigger and class) per flush, not one per request, so that a busy
// function pays for a few log lines a minute. A flush happens when the
// interval has passed (checked as events arrive: a frozen environment runs
// no timers), when a latency series reaches the 100 values EMF allows, and
// on Flush (at shutdown).
type Metrics struct {
	w        io.Writer
	function string
	interval time.Duration
	now      func() time.Time

	mu        sync.Mutex
	last      time.Time
	byTrigger map[string]*triggerCounts
	byClass   map[classKey]*classCounts
	// byControl counts blocked and logged events by the abuse control
	// that decided them (signals stays zero).
	byControl map[string]*classCounts
	dropped   int64
	// counts are function-level counters (bundle swaps and refusals,
	// shadow differences), by metric name.
	counts map[string]int64
}

type triggerCounts struct {
	inspected, blocked, logged, leaks int64
	latency                           []int64
}

type classKey struct{ trigger, class string }

type classCounts struct{ blocked, logged, signals int64 }

// NewMetrics returns a Metrics writing to w (the agent's stdout) for the
// named function. interval <= 0 means DefaultFlushInterval.
func NewMetrics(w io.Writer, function string, interval time.Duration) *Metrics {
	if interval <= 0 {
		interval = DefaultFlushInterval
	}
	return &Metrics{
		w: w, function: function, interval: interval, now: time.Now,
		last:      time.Now(),
		byTrigger: make(map[string]*triggerCounts),
		byClass:   make(map[classKey]*classCounts),
		byControl: make(map[string]*classCounts),
		counts:    make(map[string]int64),
	}
}

// Count adds one to a function-level counter (dimension FunctionName
// only): contract.MetricBundleSwapped, MetricBundleRefused,
// MetricShadowDiffers, MetricCounterEvictions.
func (m *Metrics) Count(metric string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[metric]++
	m.maybeFlush(false)
}

// AddDecision counts one inspected event: its trigger, the decision, the
// classes of its signals (repeats allowed) and its inspection time.
func (m *Metrics) AddDecision(trigger, decision string, classes []string, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.trigger(trigger)
	t.inspected++
	switch decision {
	case DecisionBlock:
		t.blocked++
	case DecisionLog:
		t.logged++
	}
	t.latency = append(t.latency, latency.Microseconds())
	seen := make(map[string]bool, len(classes))
	for _, c := range classes {
		cc := m.class(trigger, c)
		cc.signals++
		if seen[c] {
			continue
		}
		seen[c] = true
		m.countOutcome(cc, decision)
	}
	if len(classes) == 0 && decision != DecisionAllow {
		m.countOutcome(m.class(trigger, ClassNone), decision)
	}
	m.maybeFlush(len(t.latency) >= maxValues)
}

func (m *Metrics) countOutcome(cc *classCounts, decision string) {
	switch decision {
	case DecisionBlock:
		cc.blocked++
	case DecisionLog:
		cc.logged++
	}
}

// AddControl counts one event an abuse control (a rate limit, a flagged
// source, a bot class, ...) blocked or logged, so that floods and
// account-takeover attempts show apart from attacks.
func (m *Metrics) AddControl(control, decision string) {
	if decision == DecisionAllow {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.byControl[control]
	if c == nil {
		c = &classCounts{}
		m.byControl[control] = c
	}
	m.countOutcome(c, decision)
	m.maybeFlush(false)
}

// AddResponseLeak counts one response in which sensitive data was found.
func (m *Metrics) AddResponseLeak(trigger string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trigger(trigger).leaks++
	m.maybeFlush(false)
}

// AddDropped counts records that could not be shipped.
func (m *Metrics) AddDropped(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.dropped += int64(n)
}

func (m *Metrics) trigger(name string) *triggerCounts {
	t := m.byTrigger[name]
	if t == nil {
		t = &triggerCounts{}
		m.byTrigger[name] = t
	}
	return t
}

func (m *Metrics) class(trigger, class string) *classCounts {
	k := classKey{trigger, class}
	c := m.byClass[k]
	if c == nil {
		c = &classCounts{}
		m.byClass[k] = c
	}
	return c
}

func (m *Metrics) maybeFlush(force bool) {
	if force || m.now().Sub(m.last) >= m.interval {
		m.flushLocked()
	}
}

// Flush writes what has been aggregated and resets the counters.
func (m *Metrics) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flushLocked()
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMeta struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

func (m *Metrics) flushLocked() error {
	now := m.now()
	m.last = now
	ts := now.UnixMilli()
	var docs []map[string]any
	for _, trig := range sortedKeys(m.byTrigger) {
		t := m.byTrigger[trig]
		metrics := []emfMetric{{MetricInspected, "Count"}, {MetricBlocked, "Count"}, {MetricLoggedOnly, "Count"}}
		doc := map[string]any{
			DimFunctionName: m.function, DimTrigger: trig,
			MetricInspected: t.inspected, MetricBlocked: t.blocked, MetricLoggedOnly: t.logged,
		}
		if len(t.latency) > 0 {
			metrics = append(metrics, emfMetric{MetricInspectionLatency, "Microseconds"})
			doc[MetricInspectionLatency] = t.latency
		}
		if t.leaks > 0 {
			metrics = append(metrics, emfMetric{MetricResponseLeaks, "Count"})
			doc[MetricResponseLeaks] = t.leaks
		}
		doc["_aws"] = emfMeta{ts, []emfDirective{{Namespace, [][]string{{DimFunctionName, DimTrigger}}, metrics}}}
		docs = append(docs, doc)
	}
	keys := make([]classKey, 0, len(m.byClass))
	for k := range m.byClass {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b classKey) int {
		if a.trigger != b.trigger {
			if a.trigger < b.trigger {
				return -1
			}
			return 1
		}
		if a.class < b.class {
			return -1
		} else if a.class > b.class {
			return 1
		}
		return 0
	})
	for _, k := range keys {
		c := m.byClass[k]
		doc := map[string]any{
			DimFunctionName: m.function, DimTrigger: k.trigger, DimClass: k.class,
			MetricBlocked: c.blocked, MetricLoggedOnly: c.logged, MetricSignals: c.signals,
			"_aws": emfMeta{ts, []emfDirective{{Namespace, [][]string{{DimFunctionName, DimTrigger, DimClass}},
				[]emfMetric{{MetricBlocked, "Count"}, {MetricLoggedOnly, "Count"}, {MetricSignals, "Count"}}}}},
		}
		docs = append(docs, doc)
	}
	for _, control := range sortedKeys(m.byControl) {
		c := m.byControl[control]
		docs = append(docs, map[string]any{
			DimFunctionName: m.function, DimControl: control,
			MetricBlocked: c.blocked, MetricLoggedOnly: c.logged,
			"_aws": emfMeta{ts, []emfDirective{{Namespace, [][]string{{DimFunctionName, DimControl}},
				[]emfMetric{{MetricBlocked, "Count"}, {MetricLoggedOnly, "Count"}}}}},
		})
	}
	if m.dropped > 0 {
		docs = append(docs, map[string]any{
			DimFunctionName: m.function, MetricRecordsDropped: m.dropped,
			"_aws": emfMeta{ts, []emfDirective{{Namespace, [][]string{{DimFunctionName}}, []emfMetric{{MetricRecordsDropped, "Count"}}}}},
		})
	}
	if len(m.counts) > 0 {
		doc := map[string]any{DimFunctionName: m.function}
		var metrics []emfMetric
		for _, name := range sortedKeys(m.counts) {
			doc[name] = m.counts[name]
			metrics = append(metrics, emfMetric{name, "Count"})
		}
		doc["_aws"] = emfMeta{ts, []emfDirective{{Namespace, [][]string{{DimFunctionName}}, metrics}}}
		docs = append(docs, doc)
	}
	clear(m.counts)
	clear(m.byTrigger)
	clear(m.byClass)
	clear(m.byControl)
	m.dropped = 0
	var firstErr error
	for _, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode metrics: %w", err)
		}
		if _, err := m.w.Write(append(b, '\n')); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("write metrics: %w", err)
		}
	}
	return firstErr
}
