package document

import (
	"encoding/json"
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// OnLimit is what an event gets when its inspection reached a bound (see
// decode.Bounds): part of it was left uninspected, which is how evasion by
// size, depth or count looks.
type OnLimit string

// The onLimit settings. Block is the default; in log mode a block is
// recorded as would-block, as every block is.
const (
	OnLimitBlock OnLimit = contract.DecisionBlock
	OnLimitLog   OnLimit = contract.DecisionLog
	OnLimitAllow OnLimit = contract.DecisionAllow
)

// Valid reports whether o is one of the settings.
func (o OnLimit) Valid() bool {
	switch o {
	case OnLimitBlock, OnLimitLog, OnLimitAllow:
		return true
	}
	return false
}

// UnknownTrigger says what happens to an event of no recognised trigger.
type UnknownTrigger string

// The unknownTrigger settings.
const (
	// UnknownInspect walks every string of the event and judges it like
	// any other (the default); a block fails the invocation through /error.
	UnknownInspect UnknownTrigger = "inspect"
	// UnknownAllow passes such events uninspected, recorded as skipped.
	UnknownAllow UnknownTrigger = "allow"
	// UnknownBlock fails every such event through /error: for functions
	// whose triggers are all known.
	UnknownBlock UnknownTrigger = "block"
)

// BlockedRecordsAction says what happens to the blocked records of a batch.
type BlockedRecordsAction string

// The blockedRecords settings.
const (
	// RecordsFail reports each blocked record as a batch item failure
	// (the agent answers with batchItemFailures; the source retries it and
	// sends it to its dead-letter queue or on-failure destination). The
	// handler never sees it. Needs ReportBatchItemFailures on the event
	// source mapping; without it, Lambda ignores the list and a blocked
	// record is deleted like a dropped one.
	RecordsFail BlockedRecordsAction = "fail"
	// RecordsDrop removes blocked records from the batch the handler gets;
	// the source treats them as processed. Each is named in the decision
	// record.
	RecordsDrop BlockedRecordsAction = "drop"
)

// BlockedRecords is the blockedRecords setting: one action for every batch
// trigger ("fail"), or one per trigger ({"sqs": "drop", "kinesis":
// "fail"}), triggers not named taking their default.
type BlockedRecords struct {
	All        BlockedRecordsAction
	PerTrigger map[string]BlockedRecordsAction
}

// UnmarshalJSON reads either form.
func (b *BlockedRecords) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &b.All)
	}
	return json.Unmarshal(data, &b.PerTrigger)
}

// MarshalJSON writes the form it was read from.
func (b BlockedRecords) MarshalJSON() ([]byte, error) {
	if b.PerTrigger != nil {
		return json.Marshal(b.PerTrigger)
	}
	return json.Marshal(b.All)
}

// String names a setting in messages.
func (b BlockedRecords) String() string {
	if b.PerTrigger != nil {
		return fmt.Sprint(b.PerTrigger)
	}
	return string(b.All)
}

// BotsSpec is the bots section: what each client class gets, the published
// address ranges that verify crawlers, and TLS fingerprint lists. Without
// the section, HTTP requests are not classified.
type BotsSpec struct {
	// Classes maps a class (see bots.Classes) to allow, log, block or
	// rate-limit (RateLimit applies to its requests). Unlisted classes get
	// the defaults: browser, verified-crawler, automation and unknown
	// allow; headless, impersonator and unverified-crawler log.
	Classes map[string]string `json:"classes,omitempty"`
	// RateLimit is the limit of the classes whose action is rate-limit:
	// a rate limit as in rateLimits (its id defaults to "bots"), counted
	// per environment or, with scope: global, across the group.
	RateLimit *RateLimitSpec `json:"rateLimit,omitempty"`
	// Crawlers maps a crawler name (googlebot, bingbot, ...) to its
	// published CIDR ranges; a crawler claim from outside them is an
	// unverified crawler. Shipped empty: no DNS on the request path.
	Crawlers map[string][]string `json:"crawlers,omitempty"`
	// JA3 and JA4 list CloudFront TLS fingerprints to block (deny) or
	// let through whatever the class (allow). Deny wins.
	JA3 *FingerprintLists `json:"ja3,omitempty"`
	JA4 *FingerprintLists `json:"ja4,omitempty"`
}

// FingerprintLists are fingerprints to deny and to allow.
type FingerprintLists struct {
	Deny  []string `json:"deny,omitempty"`
	Allow []string `json:"allow,omitempty"`
}
