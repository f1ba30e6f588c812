package policy

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

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

// batchTriggers are the triggers blockedRecords applies to.
var batchTriggers = []event.Trigger{event.SQS, event.SNS, event.S3, event.Kinesis, event.DynamoDBStreams, event.Pipes, event.Kafka, event.AmazonMQ}

// triggerPolicy is the compiled unknownTrigger and blockedRecords.
type triggerPolicy struct {
	unknown UnknownTrigger
	records map[event.Trigger]BlockedRecordsAction // only the ones set
	all     BlockedRecordsAction
}

func (p *Policy) compileTriggers(pr *problems, cfg *Config) {
	p.triggers.unknown = UnknownInspect
	switch cfg.UnknownTrigger {
	case "":
	case UnknownInspect, UnknownAllow, UnknownBlock:
		p.triggers.unknown = cfg.UnknownTrigger
	default:
		pr.add([]string{"unknownTrigger"}, "expected inspect, allow or block, got %q", cfg.UnknownTrigger)
	}
	br := cfg.BlockedRecords
	if br == nil {
		return
	}
	check := func(path []string, a BlockedRecordsAction) bool {
		if a != RecordsFail && a != RecordsDrop {
			pr.add(path, "expected fail or drop, got %q", a)
			return false
		}
		return true
	}
	if br.PerTrigger == nil {
		if check([]string{"blockedRecords"}, br.All) {
			p.triggers.all = br.All
		}
		return
	}
	for name, a := range br.PerTrigger {
		path := []string{"blockedRecords", name}
		t := event.Trigger(name)
		if !slices.Contains(batchTriggers, t) {
			pr.add(path, "not a batch trigger; expected one of %v", batchTriggers)
			continue
		}
		if !check(path, a) {
			continue
		}
		if p.triggers.records == nil {
			p.triggers.records = map[event.Trigger]BlockedRecordsAction{}
		}
		p.triggers.records[t] = a
	}
}

// UnknownTrigger returns what the policy does with events of no
// recognised trigger.
func (p *Policy) UnknownTrigger() UnknownTrigger {
	if p.triggers.unknown == "" {
		return UnknownInspect
	}
	return p.triggers.unknown
}

// BlockedRecords returns what happens to the blocked records of a batch of
// trigger t: the setting for t, else the setting for every trigger, else
// fail where the trigger accepts partial batch responses and drop where it
// does not (SNS, S3, Amazon MQ). fail on a trigger without partial batch
// responses is drop.
func (p *Policy) BlockedRecords(t event.Trigger) BlockedRecordsAction {
	a, ok := p.triggers.records[t]
	if !ok {
		a = p.triggers.all
	}
	if a == "" {
		a = RecordsFail
	}
	if a == RecordsFail && !t.ReportsBatchFailures() {
		return RecordsDrop
	}
	return a
}

// String names a setting in messages.
func (b BlockedRecords) String() string {
	if b.PerTrigger != nil {
		return fmt.Sprint(b.PerTrigger)
	}
	return string(b.All)
}
