package event

import (
	"errors"
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
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
	arrays, err := recordArrays(payload, t)
	if err != nil {
		return nil, fmt.Errorf("remove records from %s event: %w", t, err)
	}
	n := 0
	for _, a := range arrays {
		n += len(a)
	}
	dropped := make([]bool, n) // not slices.Contains: batches hold up to 10,000 records
	for _, i := range drop {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("remove records from %s event: index %d out of range [0,%d)", t, i, n)
		}
		dropped[i] = true
	}
	// Bytes outside the record arrays' elements are kept as they are; in
	// each array, a kept record is preceded by the separator (comma and
	// white space) that preceded it in the original.
	out := make([]byte, 0, len(payload))
	pos, idx := 0, 0
	for _, spans := range arrays {
		if len(spans) == 0 {
			continue
		}
		out = append(out, payload[pos:spans[0][0]]...)
		first := true
		for i, sp := range spans {
			if dropped[idx+i] {
				continue
			}
			if !first {
				out = append(out, payload[spans[i-1][1]:sp[0]]...)
			}
			first = false
			out = append(out, payload[sp[0]:sp[1]]...)
		}
		pos = spans[len(spans)-1][1]
		idx += len(spans)
	}
	out = append(out, payload[pos:]...)
	return out, nil
}

// errNoRecords is returned for a payload without the record container its
// trigger has.
var errNoRecords = errors.New("no record array")

// recordArrays finds the arrays that hold the records of a batch event of
// trigger t, in document order, and the byte span of each element: the
// top-level "Records" array (SQS, SNS, S3, Kinesis, DynamoDB Streams), the
// event itself (an EventBridge Pipes batch), every array of the top-level
// "records" object (Kafka, by topic-partition), "messages" (ActiveMQ) or
// every array of "rmqMessagesByQueue" (RabbitMQ). Parse numbers records in
// this same order, so Record.Index is an index into the concatenation.
func recordArrays(payload []byte, t Trigger) ([][][2]int, error) {
	s := jsonscan.New(payload, sniffDepth)
	tok, err := s.Next()
	if err != nil {
		return nil, err
	}
	var arrays [][][2]int
	switch {
	case tok.Kind == jsonscan.ArrayStart && t == Pipes:
		a, err := elementSpans(s)
		if err != nil {
			return nil, err
		}
		arrays = append(arrays, a)
	case tok.Kind != jsonscan.ObjectStart:
		return nil, errNoRecords
	default:
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
			name := string(payload[k.Start:k.End])
			switch {
			case v.Kind == jsonscan.ArrayStart && (name == "Records" && t != Kafka && t != AmazonMQ || name == "messages" && t == AmazonMQ):
				a, err := elementSpans(s)
				if err != nil {
					return nil, err
				}
				arrays, found = append(arrays, a), true
			case v.Kind == jsonscan.ObjectStart && (name == "records" && t == Kafka || name == "rmqMessagesByQueue" && t == AmazonMQ):
				for {
					qk, err := s.Next()
					if err != nil {
						return nil, err
					}
					if qk.Kind == jsonscan.ObjectEnd {
						break
					}
					qv, err := s.Next()
					if err != nil {
						return nil, err
					}
					if qv.Kind != jsonscan.ArrayStart {
						if err := s.Skip(qv); err != nil {
							return nil, err
						}
						continue
					}
					a, err := elementSpans(s)
					if err != nil {
						return nil, err
					}
					arrays = append(arrays, a)
				}
				found = true
			default:
				if err := s.Skip(v); err != nil {
					return nil, err
				}
			}
		}
		if !found {
			return nil, errNoRecords
		}
	}
	// the whole document must be well-formed, not just the part read
	if t, err := s.Next(); err != nil || t.Kind != jsonscan.EOF {
		if err == nil {
			err = errors.New("trailing data")
		}
		return nil, err
	}
	return arrays, nil
}

// elementSpans returns the byte span of each element of the array the
// scanner stands just inside, consuming it.
func elementSpans(s *jsonscan.Scanner) ([][2]int, error) {
	var spans [][2]int
	for {
		e, err := s.Next()
		if err != nil {
			return nil, err
		}
		if e.Kind == jsonscan.ArrayEnd {
			return spans, nil
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

// recordElements returns the raw JSON of every record of a batch event, in
// Record.Index order (see recordArrays).
func recordElements(payload []byte, t Trigger) ([][]byte, error) {
	arrays, err := recordArrays(payload, t)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, a := range arrays {
		for _, sp := range a {
			out = append(out, payload[sp[0]:sp[1]])
		}
	}
	return out, nil
}
