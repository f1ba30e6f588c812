package event

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lambdawaf/lambdawaf/agent/decode/jsonscan"
)

// WithoutRecords returns payload, a batch event of trigger t, with the
// records at the indexes in drop removed. Every byte of the records that
// remain, and of everything outside the Records array, is kept as it was;
// only the separators between records are rewritten. The handler then sees
// a smaller, otherwise untouched batch.
//
// What the handler sees, and what happens to the dropped records:
//
//   - SQS: the dropped messages are absent from the batch. When the handler
//     succeeds, Lambda deletes the whole batch from the queue, dropped
//     messages included: they are discarded, not retried. With
//     ReportBatchItemFailures the handler can only name messages it saw,
//     so dropped ones are never reported as failures and are deleted too.
//     If the handler fails, the whole batch returns to the queue and the
//     dropped messages are dropped again on the next delivery (and reach the
//     dead-letter queue, if any, after maxReceiveCount like the rest).
//   - SNS (always one record), S3, Kinesis and DynamoDB Streams: dropped
//     records are skipped; for streams the checkpoint advances past them
//     when the handler succeeds.
//
// Dropping every record leaves "Records": []: a handler must cope with an
// empty batch, or the caller answers the invocation itself.
func WithoutRecords(payload []byte, t Trigger, drop []int) ([]byte, error) {
	if !t.IsRecordList() {
		return nil, fmt.Errorf("remove records from %s event: %w", t, ErrNotHTTP)
	}
	spans, err := recordSpans(payload)
	if err != nil {
		return nil, fmt.Errorf("remove records from %s event: %w", t, err)
	}
	dropped := make([]bool, len(spans)) // not slices.Contains: batches hold up to 10,000 records
	for _, i := range drop {
		if i < 0 || i >= len(spans) {
			return nil, fmt.Errorf("remove records from %s event: index %d out of range [0,%d)", t, i, len(spans))
		}
		dropped[i] = true
	}
	if len(spans) == 0 {
		return slices.Clone(payload), nil
	}
	// Bytes up to the first record and after the last are kept as they
	// are; a kept record is preceded by the separator (comma and white
	// space) that preceded it in the original.
	out := make([]byte, 0, len(payload))
	out = append(out, payload[:spans[0][0]]...)
	first := true
	for i, sp := range spans {
		if dropped[i] {
			continue
		}
		if !first {
			out = append(out, payload[spans[i-1][1]:sp[0]]...)
		}
		first = false
		out = append(out, payload[sp[0]:sp[1]]...)
	}
	out = append(out, payload[spans[len(spans)-1][1]:]...)
	return out, nil
}

// errNoRecords is returned for a payload without a top-level Records array.
var errNoRecords = errors.New("no top-level Records array")

// recordSpans finds the top-level "Records" array of payload and the byte
// span of each element.
func recordSpans(payload []byte) ([][2]int, error) {
	var spans [][2]int
	s := jsonscan.New(payload, sniffDepth)
	t, err := s.Next()
	if err != nil {
		return nil, err
	}
	if t.Kind != jsonscan.ObjectStart {
		return nil, errNoRecords
	}
	found := false
	for {
		k, err := s.Next()
		if err != nil {
			return nil, err
		}
		if k.Kind == jsonscan.ObjectEnd {
			break
		}
		v, err := s.Next()
		if err != nil {
			return nil, err
		}
		if found || string(payload[k.Start:k.End]) != "Records" || v.Kind != jsonscan.ArrayStart {
			if err := s.Skip(v); err != nil {
				return nil, err
			}
			continue
		}
		found = true
		for {
			e, err := s.Next()
			if err != nil {
				return nil, err
			}
			if e.Kind == jsonscan.ArrayEnd {
				break
			}
			start := e.Start
			if e.Kind == jsonscan.String {
				start-- // the token starts inside the quotes
			}
			if err := s.Skip(e); err != nil {
				return nil, err
			}
			end := s.Offset()
			if e.Kind != jsonscan.ObjectStart && e.Kind != jsonscan.ArrayStart {
				end = e.End
				if e.Kind == jsonscan.String {
					end++
				}
			}
			spans = append(spans, [2]int{start, end})
		}
	}
	// the whole document must be well-formed, not just the part read
	if t, err := s.Next(); err != nil || t.Kind != jsonscan.EOF {
		if err == nil {
			err = errors.New("trailing data")
		}
		return nil, err
	}
	if !found {
		return nil, errNoRecords
	}
	return spans, nil
}
