package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"slices"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// batchTriggers are the triggers blockedRecords applies to.
var batchTriggers = []event.Trigger{event.SQS, event.SNS, event.S3, event.Kinesis, event.DynamoDBStreams, event.Pipes, event.Kafka, event.AmazonMQ}

// triggerPolicy is the compiled unknownTrigger and blockedRecords.
type triggerPolicy struct {
	unknown document.UnknownTrigger
	records map[event.Trigger]document.BlockedRecordsAction // only the ones set
	all     document.BlockedRecordsAction
}

func (p *Policy) compileTriggers(pr *document.Problems, cfg *document.Config) {
	p.triggers.unknown = document.UnknownInspect
	switch cfg.UnknownTrigger {
	case "":
	case document.UnknownInspect, document.UnknownAllow, document.UnknownBlock:
		p.triggers.unknown = cfg.UnknownTrigger
	default:
		pr.Add([]string{"unknownTrigger"}, "expected inspect, allow or block, got %q", cfg.UnknownTrigger)
	}
	br := cfg.BlockedRecords
	if br == nil {
		return
	}
	check := func(path []string, a document.BlockedRecordsAction) bool {
		if a != document.RecordsFail && a != document.RecordsDrop {
			pr.Add(path, "expected fail or drop, got %q", a)
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
			pr.Add(path, "not a batch trigger; expected one of %v", batchTriggers)
			continue
		}
		if !check(path, a) {
			continue
		}
		if p.triggers.records == nil {
			p.triggers.records = map[event.Trigger]document.BlockedRecordsAction{}
		}
		p.triggers.records[t] = a
	}
}

// UnknownTrigger returns what the policy does with events of no
// recognised trigger.
func (p *Policy) UnknownTrigger() document.UnknownTrigger {
	if p.triggers.unknown == "" {
		return document.UnknownInspect
	}
	return p.triggers.unknown
}

// BlockedRecords returns what happens to the blocked records of a batch of
// trigger t: the setting for t, else the setting for every trigger, else
// fail where the trigger accepts partial batch responses and drop where it
// does not (SNS, S3, Amazon MQ). fail on a trigger without partial batch
// responses is drop.
func (p *Policy) BlockedRecords(t event.Trigger) document.BlockedRecordsAction {
	a, ok := p.triggers.records[t]
	if !ok {
		a = p.triggers.all
	}
	if a == "" {
		a = document.RecordsFail
	}
	if a == document.RecordsFail && !t.ReportsBatchFailures() {
		return document.RecordsDrop
	}
	return a
}
