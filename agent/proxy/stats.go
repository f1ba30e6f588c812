package proxy

import (
	"sync/atomic"
	"time"
)

// Stats is a snapshot of the proxy's counters.
type Stats struct {
	RuntimeNexts       uint64        // next calls received from the runtime
	Fetched            uint64        // events (request ids) fetched from upstream
	Blocked            uint64        // invocations answered with a block response
	Replaced           uint64        // events whose payload the Inspector replaced
	InspectErrors      uint64        // Inspector or ResponseFilter errors, panics included
	Panics             uint64        // Inspector or ResponseFilter panics
	BlockFailures      uint64        // block responses upstream refused
	UpstreamErrors     uint64        // requests the upstream could not serve
	Undelivered        uint64        // events fetched whose runtime went away before delivery
	Inspections        uint64        // Inspector calls
	InspectTime        time.Duration // total time spent in the Inspector
	MaxInspectTime     time.Duration // longest single inspection
	PendingFilterCount int           // invocations with a ResponseFilter awaiting their response
}

// Stats returns a snapshot of the proxy's counters.
func (p *Proxy) Stats() Stats {
	c := &p.stats
	return Stats{
		RuntimeNexts:       c.runtimeNexts.Load(),
		Fetched:            c.fetched.Load(),
		Blocked:            c.blocked.Load(),
		Replaced:           c.replaced.Load(),
		InspectErrors:      c.inspectErrors.Load(),
		Panics:             c.panics.Load(),
		BlockFailures:      c.blockFailures.Load(),
		UpstreamErrors:     c.upstreamErrors.Load(),
		Undelivered:        c.undelivered.Load(),
		Inspections:        c.inspections.Load(),
		InspectTime:        time.Duration(c.inspectNanos.Load()),
		MaxInspectTime:     time.Duration(c.maxInspectNanos.Load()),
		PendingFilterCount: p.filters.len(),
	}
}

type counters struct {
	runtimeNexts, fetched, blocked, replaced atomic.Uint64
	inspectErrors, panics, blockFailures     atomic.Uint64
	upstreamErrors, inspections, undelivered atomic.Uint64
	inspectNanos, maxInspectNanos            atomic.Int64
}

func (c *counters) observeInspection(d time.Duration) {
	c.inspections.Add(1)
	c.inspectNanos.Add(int64(d))
	for {
		cur := c.maxInspectNanos.Load()
		if int64(d) <= cur || c.maxInspectNanos.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}
