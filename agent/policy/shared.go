package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"strings"
	"time"
)

// SharedState is the protection group's shared state that global rate
// limits and flagging read and feed: package fleet implements it, the
// firewall connects it with SetSharedState. Every method is called on the
// request path, possibly from several goroutines at once, and must answer
// from memory: never wait on the network.
type SharedState interface {
	// AllowGlobal counts one request of key against the global limit
	// (an index into GlobalLimits) and says whether the group admits it,
	// with the group's count for the window as last known.
	AllowGlobal(limit int, key string) (allowed bool, fleetCount int64)
	// Flagged reports whether a source is flagged across the group;
	// prefix says what kind of source value is ("ip_" for addresses,
	// "usr_" for identities and API keys, as telemetry pseudonymises
	// them).
	Flagged(prefix, value string) bool
	// Blocked records that a request of the source was blocked, for one
	// flagging threshold (an index into Thresholds).
	Blocked(threshold int, prefix, value string)
}

// GlobalLimit is a rate limit with scope: global.
type GlobalLimit struct {
	ID     string
	Limit  int64
	Window time.Duration
	// Burst, when above Limit, is the most one window admits after a
	// quiet one (two windows together stay within 2·Limit).
	Burst int64
}

// Threshold is a compiled flagging threshold.
type Threshold struct {
	ID      string
	Blocked int64
	Within  time.Duration
	FlagFor time.Duration
	source  field
	prefix  string
}

// Source prefixes of pseudonymised sources (as telemetry makes them).
const (
	sourcePrefixIP   = "ip_"
	sourcePrefixUser = "usr_"
)

// GlobalLimits returns the policy's scope: global limits; the shared state
// counts them in this order.
func (p *Policy) GlobalLimits() []GlobalLimit { return p.global }

// Thresholds returns the policy's flagging thresholds.
func (p *Policy) Thresholds() []Threshold { return p.flagging }

// NeedsSharedState reports whether the policy has global limits or
// flagging: it then needs the shared-state table and the group's shared
// agent key (LAMBDAWAF_AGENT_KEY_SECRET_ARN), without which pseudonyms
// differ between environments and nothing adds up.
func (p *Policy) NeedsSharedState() bool { return len(p.global) > 0 || len(p.flagging) > 0 }

// SetSharedState connects the shared state. Call it before the policy
// judges any event. Without it, global limits are counted as
// per-environment buckets and nothing is flagged.
func (p *Policy) SetSharedState(s SharedState) { p.shared = s }

func (p *Policy) compileFlagging(pr *document.Problems, f *document.FlaggingSpec) {
	if f == nil {
		return
	}
	p.flagged = f.Status
	if p.flagged == 0 {
		p.flagged = 403
	}
	ids := map[string]bool{}
	for i, t := range f.Thresholds {
		path := document.At(nil, "flagging", "thresholds", i)
		if ids[t.ID] {
			pr.Add(document.At(path, "id"), "duplicate threshold id %q", t.ID)
		}
		ids[t.ID] = true
		c := Threshold{ID: t.ID, Blocked: int64(t.Blocked)}
		var err error
		if c.Within, err = time.ParseDuration(t.Within); err != nil || c.Within <= 0 {
			pr.Add(document.At(path, "within"), "expected a positive duration such as 10s or 1m, got %q", t.Within)
			continue
		}
		if c.FlagFor, err = time.ParseDuration(t.FlagFor); err != nil || c.FlagFor <= 0 || c.FlagFor > maxHoldFor {
			pr.Add(document.At(path, "flagFor"), "expected a positive duration up to 168h, got %q", t.FlagFor)
			continue
		}
		if t.Blocked <= 0 {
			pr.Add(document.At(path, "blocked"), "expected a positive number of blocked requests, got %d", t.Blocked)
			continue
		}
		switch {
		case t.Source == "source-ip":
			c.source, c.prefix = field{kind: fSourceIP}, sourcePrefixIP
		case strings.HasPrefix(t.Source, "header.") && len(t.Source) > len("header."):
			c.source, c.prefix = field{kind: fHeader, name: strings.ToLower(t.Source[len("header."):])}, sourcePrefixUser
		case strings.HasPrefix(t.Source, "claim.") && len(t.Source) > len("claim."):
			c.source, c.prefix = field{kind: fClaim, name: t.Source[len("claim."):]}, sourcePrefixUser
		default:
			pr.Add(document.At(path, "source"), "expected source-ip, header.<name> or claim.<name>, got %q", t.Source)
			continue
		}
		p.flagging = append(p.flagging, c)
	}
}

// checkFlagged blocks a request whose source (address, or the identity a
// threshold counts) is flagged across the group.
func (p *Policy) checkFlagged(ev *Evaluation) {
	if v := ev.ctx.req.SourceIP; v != "" && p.shared.Flagged(sourcePrefixIP, v) {
		ev.addReason(Reason{Kind: ReasonFlagged, ID: "source-ip", Action: Block, Record: -1, Message: "source flagged across the protection group"},
			&blockChoice{status: p.flaggedStatus()})
		return
	}
	for i := range p.flagging {
		t := &p.flagging[i]
		if t.prefix == sourcePrefixIP {
			continue
		}
		if vals := t.source.values(&ev.ctx); len(vals) > 0 && p.shared.Flagged(t.prefix, vals[0]) {
			ev.addReason(Reason{Kind: ReasonFlagged, ID: t.ID, Action: Block, Record: -1, Message: "source flagged across the protection group"},
				&blockChoice{status: p.flaggedStatus()})
			return
		}
	}
}

func (p *Policy) flaggedStatus() int {
	if p.flagged == 0 {
		return 403
	}
	return p.flagged
}

// observeBlocked feeds a blocked request's sources to the thresholds.
func (p *Policy) observeBlocked(ev *Evaluation) {
	for i := range p.flagging {
		t := &p.flagging[i]
		if vals := t.source.values(&ev.ctx); len(vals) > 0 {
			p.shared.Blocked(i, t.prefix, vals[0])
		}
	}
}
