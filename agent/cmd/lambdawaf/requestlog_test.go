package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
)

const (
	blockRecord = `{"level":"warn","message":"lambdawaf decision","kind":"decision","schema_version":1,"request_id":"r-1","decision":"block","mode":"block","signals":[{"class":"xss","location":"query.q","rule":"xss-libinjection","score":8},{"class":"sqli","location":"query.q","rule":"sqli-tautology","score":5}],"inspection_us":152}` + "\n"
	logRecord   = `{"level":"warn","message":"lambdawaf decision","kind":"decision","schema_version":1,"request_id":"r-2","decision":"log","mode":"log","signals":[{"class":"sqli","location":"body.q","rule":"sqli-libinjection","score":8}],"inspection_us":90}` + "\n"
	allowRecord = `{"level":"info","message":"lambdawaf decision","kind":"decision","schema_version":1,"request_id":"r-3","decision":"allow","mode":"block","inspection_us":40}` + "\n"
	handlerLine = `{"msg":"handler says hi"}` + "\n"
)

// TestRequestLogJoinsExchangesWithRecords: whichever arrives first, each
// request gets one line with its decision; other log lines go to logs.
func TestRequestLogJoinsExchangesWithRecords(t *testing.T) {
	var out, logs bytes.Buffer
	l := newRequestLog(&out, &logs, false, false)
	l.Write([]byte(handlerLine + blockRecord[:40])) // records arrive in pieces
	l.Write([]byte(blockRecord[40:]))
	l.Observe(gateway.Exchange{Method: "GET", Path: "/a", RequestID: "r-1", Status: 403, Duration: 2 * time.Millisecond})
	l.Observe(gateway.Exchange{Method: "POST", Path: "/b", RequestID: "r-2", Status: 200, Duration: time.Millisecond})
	l.Write([]byte(logRecord))
	l.Observe(gateway.Exchange{Method: "GET", Path: "/c", Status: 429, Err: errors.New("throttled")})
	l.Observe(gateway.Exchange{Method: "GET", Path: "/d", RequestID: "r-9", Status: 200})
	l.Flush()

	got := out.String()
	for _, want := range []string{
		"GET /a 403 BLOCK xss xss-libinjection score 8 at query.q (+1)  inspect 152µs  total 2ms  id r-1",
		"POST /b 200 WOULD BLOCK sqli sqli-libinjection score 8 at body.q  inspect 90µs  total 1ms  id r-2",
		"GET /c 429 ERROR  total 0s  (throttled)",
		"GET /d 200 no record  total 0s  id r-9",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "\n") != 4 {
		t.Errorf("want 4 lines:\n%s", got)
	}
	if logs.String() != handlerLine {
		t.Errorf("logs = %q", logs.String())
	}
}

// TestRequestLogJSONPassesRecordsThrough: in JSON mode stdout carries the
// decision records exactly as the agent wrote them, and nothing else.
func TestRequestLogJSONPassesRecordsThrough(t *testing.T) {
	var out, logs bytes.Buffer
	l := newRequestLog(&out, &logs, true, false)
	l.Write([]byte(handlerLine + allowRecord + blockRecord))
	l.Observe(gateway.Exchange{Method: "GET", Path: "/", RequestID: "r-3", Status: 200})
	if out.String() != allowRecord+blockRecord {
		t.Errorf("stdout = %q", out.String())
	}
	if logs.String() != handlerLine {
		t.Errorf("logs = %q", logs.String())
	}
}

func TestRequestLogColoursDecisions(t *testing.T) {
	var out bytes.Buffer
	l := newRequestLog(&out, &bytes.Buffer{}, false, true)
	l.Write([]byte(blockRecord + logRecord + allowRecord))
	for _, id := range []string{"r-1", "r-2", "r-3"} {
		l.Observe(gateway.Exchange{Method: "GET", Path: "/", RequestID: id, Status: 200})
	}
	for _, want := range []string{ansiRed + "BLOCK" + ansiReset, ansiYellow + "WOULD BLOCK" + ansiReset, ansiGreen + "allow" + ansiReset} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q: %q", want, out.String())
		}
	}
}

// TestRequestLinesEscapeControlCharacters: a client cannot write terminal
// escape sequences through the path or a query key it chose.
func TestRequestLinesEscapeControlCharacters(t *testing.T) {
	var out bytes.Buffer
	l := newRequestLog(&out, &bytes.Buffer{}, false, false)
	l.Write([]byte(`{"kind":"decision","schema_version":1,"request_id":"r-1","decision":"block","signals":[{"class":"xss","location":"query.\u001b]0;owned\u0007","rule":"x","score":8}]}` + "\n"))
	l.Observe(gateway.Exchange{Method: "GET", Path: "/\x1b[2J\u009b31m", RequestID: "r-1", Status: 403})
	got := out.String()
	if strings.ContainsFunc(strings.TrimSuffix(got, "\n"), isControl) {
		t.Errorf("control characters reached the terminal: %q", got)
	}
	for _, want := range []string{`/\x1b[2J\x9b31m`, `query.\x1b]0;owned\x07`} {
		if !strings.Contains(got, want) {
			t.Errorf("line lacks %q: %q", want, got)
		}
	}
}
