package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/report"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// requestLog is serve's output. It sits on the stream of log lines the
// environments write (handler output, agent logs, decision records) and on
// the front door's exchanges, and writes:
//
//   - for people (stdout a terminal): one line per request, joining the
//     exchange (method, path, status, time) with the agent's decision
//     record (decision, rule, score, inspection time), coloured;
//   - for programs (-json, or stdout not a terminal): the decision records,
//     one JSON object a line, as the agent logs them in AWS.
//
// Every other line goes to logs (stderr) unless quiet.
type requestLog struct {
	out   io.Writer // people lines or records
	logs  io.Writer // everything else; io.Discard when quiet
	json  bool
	color bool
	// served, when set (serve -log), gets one report.ServedRequest line
	// per request, so that 'lambdawaf report' can show concrete paths.
	served io.Writer
	// wait is how long an exchange waits for its decision record, which
	// travels through the agent's stdout pipe and may arrive after the
	// response.
	wait time.Duration

	mu      sync.Mutex
	partial []byte
	records map[string]*telemetry.Record // by request id, not yet joined
	pending map[string]*pendingExchange  // exchanges waiting for a record
}

type pendingExchange struct {
	x     gateway.Exchange
	timer *time.Timer
}

func newRequestLog(out, logs io.Writer, asJSON, color bool) *requestLog {
	return &requestLog{out: out, logs: logs, json: asJSON, color: color, wait: 500 * time.Millisecond,
		records: map[string]*telemetry.Record{}, pending: map[string]*pendingExchange{}}
}

// Write takes the environments' log output, whole lines or not.
func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.line(l.partial[:i+1])
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 1<<20 { // a runaway line: pass it on unjudged
		l.logs.Write(l.partial)
		l.partial = nil
	}
	return len(p), nil
}

// line routes one log line; l.mu is held.
func (l *requestLog) line(b []byte) {
	rec := decisionRecord(b)
	if rec == nil {
		l.logs.Write(b)
		return
	}
	if l.json {
		l.out.Write(b)
		return
	}
	if px, ok := l.pending[rec.RequestID]; ok {
		px.timer.Stop()
		delete(l.pending, rec.RequestID)
		l.print(px.x, rec)
		return
	}
	if len(l.records) > 1024 { // records nobody asked for (direct invokes): keep the map bounded
		clear(l.records)
	}
	l.records[rec.RequestID] = rec
}

// decisionRecord parses a decision record line, or returns nil.
func decisionRecord(b []byte) *telemetry.Record {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || !bytes.Contains(b, []byte(`"kind"`)) {
		return nil
	}
	var r telemetry.Record
	if json.Unmarshal(b, &r) != nil || r.Kind != telemetry.KindDecision || r.RequestID == "" {
		return nil
	}
	return &r
}

// Observe is the front door's hook: it prints the request's line once its
// decision record is there, or after wait without one.
func (l *requestLog) Observe(x gateway.Exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.served != nil && x.RequestID != "" {
		b, err := json.Marshal(report.ServedRequest{Message: report.ServedRequestMessage, RequestID: x.RequestID, Method: x.Method, Path: x.Path, Status: x.Status})
		if err == nil {
			l.served.Write(append(b, '\n'))
		}
	}
	if l.json {
		if x.Err != nil {
			fmt.Fprintf(l.logs, "serve: %s %s %d: %v\n", x.Method, x.Path, x.Status, x.Err)
		}
		return
	}
	if rec, ok := l.records[x.RequestID]; ok && x.RequestID != "" {
		delete(l.records, x.RequestID)
		l.print(x, rec)
		return
	}
	if x.RequestID == "" {
		l.print(x, nil)
		return
	}
	px := &pendingExchange{x: x}
	px.timer = time.AfterFunc(l.wait, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.pending[x.RequestID] == px {
			delete(l.pending, x.RequestID)
			l.print(x, nil)
		}
	})
	l.pending[x.RequestID] = px
}

// Flush prints the exchanges still waiting for a record.
func (l *requestLog) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, px := range l.pending {
		px.timer.Stop()
		delete(l.pending, id)
		l.print(px.x, nil)
	}
}

// ANSI colours for the decision column.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

// print writes one line for a request; l.mu is held.
func (l *requestLog) print(x gateway.Exchange, rec *telemetry.Record) {
	fmt.Fprintln(l.out, formatRequest(x, rec, l.color))
}

// formatRequest is one request for people:
//
//	GET /search 403 BLOCK        sqli 942100 score 8   inspect 95µs  total 3.1ms  id 8f2c…
//	GET /search 200 WOULD BLOCK  sqli 942100 score 8   …
//	GET /       200 allow                              …
func formatRequest(x gateway.Exchange, rec *telemetry.Record, color bool) string {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d", time.Now().Format("15:04:05"), printable(x.Method), printable(x.Path), x.Status)
	decision, detail := "-", ""
	switch {
	case rec == nil && x.Err != nil:
		decision = paint(ansiRed, "ERROR")
	case rec == nil:
		decision = paint(ansiDim, "no record")
	case rec.Decision == telemetry.DecisionBlock:
		decision = paint(ansiRed, "BLOCK")
	case rec.Decision == telemetry.DecisionLog:
		decision = paint(ansiYellow, "WOULD BLOCK")
	case rec.Skipped != "":
		decision = paint(ansiDim, "allow ("+rec.Skipped+")")
	default:
		decision = paint(ansiGreen, "allow")
	}
	if rec != nil {
		detail = printable(signalSummary(rec))
	}
	fmt.Fprintf(&b, " %s", decision)
	if detail != "" {
		fmt.Fprintf(&b, " %s", detail)
	}
	if rec != nil {
		fmt.Fprintf(&b, "  inspect %s", (time.Duration(rec.InspectionMicros) * time.Microsecond).String())
	}
	fmt.Fprintf(&b, "  total %s", x.Duration.Round(10*time.Microsecond))
	if x.RequestID != "" {
		fmt.Fprintf(&b, "  id %s", printable(x.RequestID))
	}
	if x.Err != nil {
		fmt.Fprintf(&b, "  (%s)", printable(x.Err.Error()))
	}
	return b.String()
}

// printable escapes control characters (C0, DEL, C1), so that a request
// path or a query key chosen by a client cannot move the cursor, recolour
// or retitle the developer's terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// signalSummary names the strongest signal: class, rule and score, and how
// many more there are.
func signalSummary(rec *telemetry.Record) string {
	if len(rec.Signals) == 0 {
		if len(rec.RuleIDs) > 0 {
			return "rule " + strings.Join(rec.RuleIDs, ",")
		}
		return ""
	}
	top := rec.Signals[0]
	for _, s := range rec.Signals[1:] {
		if s.Score > top.Score {
			top = s
		}
	}
	s := fmt.Sprintf("%s %s score %d at %s", top.Class, top.Rule, top.Score, top.Location)
	if n := len(rec.Signals) - 1; n > 0 {
		s += fmt.Sprintf(" (+%d)", n)
	}
	return s
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
