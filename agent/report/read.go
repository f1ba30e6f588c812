// Package report turns lambdawaf decision records into one self-contained
// HTML page: totals, blocks over time, signals by class and by location,
// the busiest routes and pseudonymous sources, and the blocked requests with
// their redacted evidence.
//
// The page is meant to be mailed, attached to a ticket or opened from a
// laptop with no network: charts are inline SVG drawn here, there is no
// JavaScript, every value from the records is escaped by html/template, and
// a Content-Security-Policy forbids the page from loading anything.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// maxLine bounds one input line; longer lines are skipped and counted.
const maxLine = 4 << 20

// Input is what Read found in a log.
type Input struct {
	// Decisions are the decision records, in input order.
	Decisions []telemetry.Record
	// Responses are the outbound-inspection records.
	Responses []telemetry.Record
	// Requests are what `lambdawaf serve -log` adds beside the records:
	// the concrete request (method and path, never the query) of each
	// request id. Decision records carry only the route template, because
	// paths often hold identifiers; locally, the path is the useful part.
	Requests map[string]ServedRequest
	// Lines is the number of lines read; Skipped those that were not
	// lambdawaf records (function logs, platform lines, metrics documents,
	// malformed or over-long lines).
	Lines, Skipped int
}

// Read reads decision records from a log: the agent's stdout, a CloudWatch
// Logs export or a file of JSON lines. A record may be preceded on its line
// by a prefix (a timestamp, a process name), as log collectors add; anything
// that is not a record is skipped and counted, never an error. Only a
// failure to read r is.
func Read(r io.Reader) (*Input, error) {
	in := &Input{}
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, tooLong, err := readLine(br)
		if len(line) > 0 || tooLong {
			in.Lines++
			if tooLong || !in.add(line) {
				in.Skipped++
			}
		}
		if err == io.EOF {
			return in, nil
		}
		if err != nil {
			return in, fmt.Errorf("read decision records: %w", err)
		}
	}
}

// readLine returns the next line without its newline; a line longer than
// maxLine is consumed and reported as tooLong.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := br.ReadLine()
		if !tooLong {
			if len(line)+len(chunk) > maxLine {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err != nil || !isPrefix {
			return line, tooLong, err
		}
	}
}

// ServedRequest is one line `lambdawaf serve -log` writes per request.
type ServedRequest struct {
	Message   string `json:"message"` // ServedRequestMessage
	RequestID string `json:"request_id"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    int    `json:"status"`
}

// ServedRequestMessage marks a ServedRequest line.
const ServedRequestMessage = "lambdawaf serve request"

// add parses one line and keeps it if it is a lambdawaf record.
func (in *Input) add(line []byte) bool {
	i := bytes.IndexByte(line, '{')
	if i < 0 {
		return false
	}
	if bytes.Contains(line[i:], []byte(ServedRequestMessage)) {
		var sr ServedRequest
		if json.Unmarshal(line[i:], &sr) == nil && sr.Message == ServedRequestMessage && sr.RequestID != "" {
			if in.Requests == nil {
				in.Requests = map[string]ServedRequest{}
			}
			in.Requests[sr.RequestID] = sr
			return true
		}
	}
	var probe struct {
		Kind          *string `json:"kind"`
		SchemaVersion *int    `json:"schema_version"`
		Decision      *string `json:"decision"`
	}
	obj := line[i:]
	if json.Unmarshal(obj, &probe) != nil || probe.Kind == nil || probe.SchemaVersion == nil {
		return false
	}
	var rec telemetry.Record
	if json.Unmarshal(obj, &rec) != nil {
		return false
	}
	switch rec.Kind {
	case telemetry.KindDecision:
		if probe.Decision == nil {
			return false
		}
		in.Decisions = append(in.Decisions, rec)
	case telemetry.KindResponse:
		in.Responses = append(in.Responses, rec)
	default:
		return false
	}
	return true
}
