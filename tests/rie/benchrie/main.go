// Command benchrie prints, in one run, what lambdawaf costs on AWS's own
// runtime interface emulator: p50/p90/p99 invoke latency, init duration
// (the emulator's INIT REPORT) and extension RSS for the handler invoked
// directly, beside a no-op extension, behind a bare httputil.ReverseProxy
// extension, and behind lambdawaf in modes off, log and block, with 1 KB,
// 64 KB and 1 MB API Gateway v2 events, as deltas over the direct handler
// and over the bare proxy; then a Managed Instances load (16 runtime
// workers, invocations sent 16 at a time) with its wall time and
// Runtime.Unavailable answers; then the long mixed-traffic check. Every
// figure is the median of -runs runs; setups alternate within a run so
// that the machine's load falls on all of them alike.
//
//	make bench-rie            # go run ./tests/rie/benchrie -runs 3
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
	"github.com/lambdawaf/lambdawaf/tests/rie"
)

type options struct {
	runs           int
	n1k, n64k, n1m int
	load, loadConc int
	mixedOne       int
	mixedMI        int
	skipMixed      bool
	only           string
	loadOnly       string
	agentEnv       string
}

func main() {
	var o options
	flag.IntVar(&o.runs, "runs", 3, "runs; every figure is the median over them")
	flag.IntVar(&o.n1k, "n1k", 1000, "1 KB invocations per setup and run (RSS is read after them)")
	flag.IntVar(&o.n64k, "n64k", 300, "64 KB invocations per setup and run")
	flag.IntVar(&o.n1m, "n1m", 20, "1 MB invocations per setup and run")
	flag.IntVar(&o.load, "load", 2000, "Managed Instances load: invocations")
	flag.IntVar(&o.loadConc, "load-concurrency", 16, "Managed Instances load: AWS_LAMBDA_MAX_CONCURRENCY and invocations in flight")
	flag.IntVar(&o.mixedOne, "mixed-one", 1000, "long mixed-traffic check, one at a time: invocations")
	flag.IntVar(&o.mixedMI, "mixed-mi", 10000, "long mixed-traffic check under Managed Instances (16 and 64 in flight): invocations each")
	flag.BoolVar(&o.skipMixed, "skip-mixed", false, "skip the long mixed-traffic check")
	flag.StringVar(&o.only, "only", "", "comma list of setups to measure (direct is always measured)")
	flag.StringVar(&o.loadOnly, "load-only", "", "comma list of setups (off, block, bare) to run the Managed Instances load for, alone: no latency table, no mixed-traffic check; direct is always measured. For CPU profiles of that phase")
	flag.StringVar(&o.agentEnv, "agent-env", "", "comma list of NAME=value added to lambdawaf's environment (off, log, block), to try runtime settings such as GOMAXPROCS=1 or GOGC=200")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-rie:", err)
		os.Exit(1)
	}
}

// sample is one setup's figures for one event size in one run.
type sample struct {
	p50, p90, p99 time.Duration
	init          time.Duration
	cold          time.Duration // the first invocation, init included
	rss           int64
	use           awsrie.Usage // the extension's, per measured invocation (times n)
	n             int
}

type sizeSpec struct {
	name string
	size int
	n    int
}

func run(ctx context.Context, o options) error {
	if err := awsrie.Usable(); err != nil {
		return err
	}
	fmt.Printf("load at start: %s", loadavg())
	f, err := rie.Build(ctx)
	if err != nil {
		return err
	}
	defer f.Close()

	if o.agentEnv != "" {
		for _, s := range []*rie.Setup{&f.Off, &f.Log, &f.Block} {
			s.Env = append(slices.Clone(s.Env), strings.Split(o.agentEnv, ",")...)
		}
		fmt.Printf("lambdawaf's environment adds %s\n", o.agentEnv)
	}
	setups := selectSetups(f.Setups(), o.only)
	sizes := []sizeSpec{{"1 KB", 1024, o.n1k}, {"64 KB", 64 << 10, o.n64k}, {"1 MB", 1 << 20, o.n1m}}
	// figures[setup][size] holds one sample per run.
	figures := map[string]map[string][]sample{}
	loadSetups := []rie.Setup{f.Direct, f.Bare, f.Off, f.Block}
	if o.loadOnly != "" {
		loadSetups, o.runs = selectSetups(loadSetups, o.loadOnly), max(o.runs, 1)
		setups, o.skipMixed = nil, true
	}
	for r := range o.runs {
		for _, s := range setups {
			fmt.Fprintf(os.Stderr, "run %d/%d: %s\n", r+1, o.runs, s.Name)
			got, err := measure(ctx, f, s, sizes)
			if err != nil {
				return err
			}
			if figures[s.Name] == nil {
				figures[s.Name] = map[string][]sample{}
			}
			for k, v := range got {
				figures[s.Name][k] = append(figures[s.Name][k], v)
			}
		}
	}
	if len(setups) > 0 {
		printLatency(setups, sizes, figures, o.runs)
	}

	loads := map[string][]loadResult{}
	for r := range o.runs {
		for _, s := range loadSetups {
			fmt.Fprintf(os.Stderr, "load run %d/%d: %s\n", r+1, o.runs, s.Name)
			lr, err := loadRun(ctx, f, s, o.load, o.loadConc, strings.Contains(o.agentEnv, "gctrace=1"))
			if err != nil {
				return err
			}
			loads[s.Name] = append(loads[s.Name], lr)
		}
	}
	printLoad(loadSetups, loads, o)
	fmt.Printf("\nload at end: %s", loadavg())

	if o.skipMixed {
		return nil
	}
	return mixed(ctx, f, o)
}

// selectSetups keeps direct and the setups whose name contains one of the
// comma list's words; an empty list keeps them all.
func selectSetups(setups []rie.Setup, list string) []rie.Setup {
	if list == "" {
		return setups
	}
	return slices.DeleteFunc(slices.Clone(setups), func(s rie.Setup) bool {
		if s.Name == "direct" {
			return false
		}
		for _, want := range strings.Split(list, ",") {
			if want = strings.TrimSpace(want); want != "" && strings.Contains(s.Name, want) {
				return false
			}
		}
		return true
	})
}

// measure starts s fresh (so its INIT REPORT is a cold start) and times
// each event size in turn.
//
// With GODEBUG=gctrace=1 in -agent-env it also counts the collections the
// Go runtime reports (one "gc N @…" line each) during each size's timed
// invocations, and prints the count on stderr.
func measure(ctx context.Context, f *rie.Fixture, s rie.Setup, sizes []sizeSpec) (map[string]sample, error) {
	var gcs gcStreams
	countGC := gcs.observe
	fn, err := f.Start(ctx, s, rie.RunOptions{TimeoutSeconds: 30, OnLine: countGC})
	if err != nil {
		return nil, err
	}
	defer fn.Close()
	out := map[string]sample{}
	for i, sz := range sizes {
		payload := rie.Event{Nonce: "bench", Size: sz.size}.JSON()
		lat := make([]time.Duration, 0, sz.n)
		var cold time.Duration
		var use0 awsrie.Usage
		for j := range sz.n + 20 {
			if j == 20 {
				gcs.mark()
			}
			if j == 20 && s.Process != "" {
				if use0, err = fn.Usage(s.Process); err != nil {
					return nil, fmt.Errorf("%s: %w", s.Name, err)
				}
			}
			t := time.Now()
			r, err := fn.Invoke(ctx, payload)
			d := time.Since(t)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", s.Name, sz.name, err)
			}
			if r.Status != 200 || !strings.Contains(string(r.Body), `"statusCode":200`) {
				return nil, fmt.Errorf("%s %s: answered %d %.300q\n%s", s.Name, sz.name, r.Status, r.Body, fn.Tail())
			}
			if j == 0 {
				cold = d
			}
			if j >= 20 { // the first ones warm connections and caches
				lat = append(lat, d)
			}
		}
		if sz.n > 0 {
			gcs.report(os.Stderr, s.Name+" "+sz.name, sz.n)
		}
		slices.Sort(lat)
		smp := sample{p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99)}
		if s.Process != "" && sz.n > 0 {
			use1, err := fn.Usage(s.Process)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Name, err)
			}
			smp.use, smp.n = use1.Sub(use0), sz.n
		}
		if i == 0 {
			smp.cold = cold
			if inits := fn.InitDurations(); len(inits) > 0 {
				smp.init = inits[0]
			}
			if s.Process != "" {
				rss, err := fn.RSS(s.Process)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", s.Name, err)
				}
				smp.rss = rss
			}
		}
		out[sz.name] = smp
	}
	return out, nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// median of the runs' values.
func median[T int64 | time.Duration | float64](vs []T) T {
	s := slices.Clone(vs)
	slices.Sort(s)
	return s[len(s)/2]
}

func field(ss []sample, get func(sample) time.Duration) time.Duration {
	vs := make([]time.Duration, len(ss))
	for i, s := range ss {
		vs[i] = get(s)
	}
	return median(vs)
}

func us(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }

func delta(d time.Duration) string {
	if d >= 0 {
		return fmt.Sprintf("+%d µs", d.Microseconds())
	}
	return fmt.Sprintf("−%d µs", (-d).Microseconds())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

func deltaMs(d time.Duration) string {
	if d >= 0 {
		return fmt.Sprintf("+%.1f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("−%.1f ms", float64(-d)/1e6)
}

func printLatency(setups []rie.Setup, sizes []sizeSpec, fig map[string]map[string][]sample, runs int) {
	fmt.Printf("\n### Invoke latency, init and RSS on aws-lambda-rie (medians of %d runs)\n\n", runs)
	fmt.Println("| setup | event | p50 | p90 | p99 | p50 − direct | p50 − bare proxy | p99 − direct | init | init − bare proxy | first invocation (init included) | RSS | extension per invocation: CPU, context switches, read and write system calls |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	p50 := func(s sample) time.Duration { return s.p50 }
	p90 := func(s sample) time.Duration { return s.p90 }
	p99 := func(s sample) time.Duration { return s.p99 }
	initOf := func(s sample) time.Duration { return s.init }
	coldOf := func(s sample) time.Duration { return s.cold }
	cpuOf := func(s sample) time.Duration { return s.use.CPU / time.Duration(max(s.n, 1)) }
	per := func(ss []sample, get func(awsrie.Usage) int64) string {
		vs := make([]float64, len(ss))
		for i, s := range ss {
			vs[i] = float64(get(s.use)) / float64(max(s.n, 1))
		}
		return fmt.Sprintf("%.1f", median(vs))
	}
	for _, sz := range sizes {
		direct := fig["direct"][sz.name]
		bare := fig["bare proxy"][sz.name]
		for _, s := range setups {
			ss := fig[s.Name][sz.name]
			row := []string{s.Name, sz.name, us(field(ss, p50)), us(field(ss, p90)), us(field(ss, p99)),
				delta(field(ss, p50) - field(direct, p50)), "—", delta(field(ss, p99) - field(direct, p99)), "", "", "", "", ""}
			if s.Process != "" {
				row[12] = us(field(ss, cpuOf)) + ", " + per(ss, func(u awsrie.Usage) int64 { return u.Switches }) + " cs, " +
					per(ss, func(u awsrie.Usage) int64 { return u.Reads }) + " r, " + per(ss, func(u awsrie.Usage) int64 { return u.Writes }) + " w"
			}
			if bare != nil {
				row[6] = delta(field(ss, p50) - field(bare, p50))
			}
			if sz.size == sizes[0].size {
				row[8] = ms(field(ss, initOf))
				if bare != nil {
					row[9] = deltaMs(field(ss, initOf) - field(bare, initOf))
				}
				row[10] = ms(field(ss, coldOf))
				if s.Process != "" {
					rs := make([]int64, len(ss))
					for i, x := range ss {
						rs[i] = x.rss
					}
					row[11] = fmt.Sprintf("%.1f MB", float64(median(rs))/1e6)
				}
			}
			fmt.Println("| " + strings.Join(row, " | ") + " |")
		}
	}
	// The goals of issue 15, on the 1 KB event.
	k := sizes[0].name
	get := func(name string, f func(sample) time.Duration) time.Duration { return field(fig[name][k], f) }
	if fig["bare proxy"] == nil || fig["lambdawaf block"] == nil || fig["lambdawaf off"] == nil {
		return
	}
	fmt.Println()
	goal := func(ok bool, format string, args ...any) {
		mark := "met"
		if !ok {
			mark = "MISSED"
		}
		fmt.Printf("- %s: %s\n", mark, fmt.Sprintf(format, args...))
	}
	blockOverBare := get("lambdawaf block", p50) - get("bare proxy", p50)
	goal(blockOverBare <= 60*time.Microsecond, "block p50 ≤ bare proxy + 60 µs (1 KB): %s", delta(blockOverBare))
	blockP99 := get("lambdawaf block", p99) - get("direct", p99)
	goal(blockP99 <= time.Millisecond, "block p99 ≤ direct + 1 ms (1 KB): %s", delta(blockP99))
	offOverBare := get("lambdawaf off", p50) - get("bare proxy", p50)
	goal(offOverBare <= 0, "off p50 ≤ bare proxy (1 KB): %s", delta(offOverBare))
	initOver := get("lambdawaf block", initOf) - get("bare proxy", initOf)
	goal(initOver <= 5*time.Millisecond, "block init ≤ bare proxy + 5 ms: %s", deltaMs(initOver))
	rs := make([]int64, 0, runs)
	for _, x := range fig["lambdawaf block"][k] {
		rs = append(rs, x.rss)
	}
	goal(median(rs) <= 20e6, "block RSS ≤ 20 MB after %d+ 1 KB invocations: %.1f MB", sizes[0].n, float64(median(rs))/1e6)
}

type loadResult struct {
	wall        time.Duration
	unavailable int
	p50         time.Duration
	use         awsrie.Usage // the extension's, over the load (zero without one)
}

// loadRun sends n 1 KB invocations, conc at a time, to a Managed Instances
// environment with conc runtime workers, retrying Runtime.Unavailable.
// With countGC (GODEBUG=gctrace=1 in -agent-env) it counts the
// collections during the load, as measure does; without, it reads no
// output line, which would cost the machine CPU of its own beside the
// decision records' (in block mode the agent writes one per invocation).
func loadRun(ctx context.Context, f *rie.Fixture, s rie.Setup, n, conc int, countGC bool) (loadResult, error) {
	var gcs gcStreams
	ro := rie.RunOptions{MaxConcurrency: conc, TimeoutSeconds: 30}
	if countGC {
		ro.OnLine = gcs.observe
	}
	fn, err := f.Start(ctx, s, ro)
	if err != nil {
		return loadResult{}, err
	}
	defer fn.Close()
	payload := rie.Event{Nonce: "load", Size: 1024}.JSON()
	// Init runs at start in this mode: wait for the first answer.
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := fn.Invoke(ctx, payload)
		if err == nil && r.Status == 200 {
			break
		}
		if time.Now().After(deadline) {
			return loadResult{}, fmt.Errorf("%s: no answer after init: %v\n%s", s.Name, err, fn.Tail())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var (
		next, unavail atomic.Int64
		wg            sync.WaitGroup
		mu            sync.Mutex
		lat           = make([]time.Duration, 0, n)
		firstErr      error
		use0          awsrie.Usage
	)
	if s.Process != "" {
		if use0, err = fn.Usage(s.Process); err != nil {
			return loadResult{}, fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	gcs.mark()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				t := time.Now()
				for {
					r, err := fn.Invoke(ctx, payload)
					if err == nil && r.RuntimeUnavailable() {
						unavail.Add(1)
						continue
					}
					mu.Lock()
					if err == nil && r.Status != 200 {
						err = fmt.Errorf("answered %d %.200q", r.Status, r.Body)
					}
					if err != nil && firstErr == nil {
						firstErr = err
					}
					lat = append(lat, time.Since(t))
					mu.Unlock()
					break
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if firstErr != nil {
		return loadResult{}, fmt.Errorf("%s load: %w", s.Name, firstErr)
	}
	gcs.report(os.Stderr, s.Name+" load", n)
	var use awsrie.Usage
	if s.Process != "" {
		use1, err := fn.Usage(s.Process)
		if err != nil {
			return loadResult{}, fmt.Errorf("%s: %w", s.Name, err)
		}
		use = use1.Sub(use0)
	}
	slices.Sort(lat)
	return loadResult{wall: wall, unavailable: int(unavail.Load()), p50: pct(lat, 50), use: use}, nil
}

func printLoad(setups []rie.Setup, loads map[string][]loadResult, o options) {
	fmt.Printf("\n### Managed Instances load: %d invocations of 1 KB, %d in flight, AWS_LAMBDA_MAX_CONCURRENCY=%d (medians of %d runs)\n\n", o.load, o.loadConc, o.loadConc, o.runs)
	fmt.Println("| setup | wall time | × direct | Runtime.Unavailable answers (retried) | × direct | p50 per invocation (retries included) | extension per invocation: CPU, context switches |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	med := func(name string) (time.Duration, int, time.Duration) {
		var w, p []time.Duration
		var u []int64
		for _, l := range loads[name] {
			w, p, u = append(w, l.wall), append(p, l.p50), append(u, int64(l.unavailable))
		}
		return median(w), int(median(u)), median(p)
	}
	// The extension's usage per invocation sent (retries not counted).
	perInvocation := func(name string) string {
		var cpu []time.Duration
		var cs []float64
		for _, l := range loads[name] {
			cpu, cs = append(cpu, l.use.CPU/time.Duration(max(o.load, 1))), append(cs, float64(l.use.Switches)/float64(max(o.load, 1)))
		}
		return fmt.Sprintf("%s, %.1f cs", us(median(cpu)), median(cs))
	}
	dw, du, _ := med("direct")
	for _, s := range setups {
		w, u, p := med(s.Name)
		ratioU := "—"
		if du > 0 {
			ratioU = fmt.Sprintf("%.2f×", float64(u)/float64(du))
		}
		ext := ""
		if s.Process != "" {
			ext = perInvocation(s.Name)
		}
		fmt.Printf("| %s | %s | %.2f× | %d | %s | %s | %s |\n", s.Name, ms(w), float64(w)/float64(dw), u, ratioU, us(p), ext)
	}
	if loads["lambdawaf block"] == nil {
		return
	}
	bw, bu, _ := med("lambdawaf block")
	fmt.Println()
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Printf("- %s: block wall time ≤ 1.3× direct: %.2f×\n", mark(float64(bw) <= 1.3*float64(dw)), float64(bw)/float64(dw))
	fmt.Printf("- %s: block Runtime.Unavailable ≤ 2× direct: %d vs %d\n", mark(bu <= 2*max(du, 1)), bu, du)
}

// mixed is the long correctness check: every invocation answered once,
// unaltered, blocked ones never reaching the handler.
func mixed(ctx context.Context, f *rie.Fixture, o options) error {
	fmt.Printf("\n### Mixed traffic, lambdawaf block (lost, duplicated or altered invocations)\n\n")
	fmt.Println("| run | invocations | in flight | problems | Runtime.Unavailable retried | wall |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	type spec struct {
		name     string
		n        int
		mi, conc int
		timeout  int
		mix      map[rie.Kind]int
	}
	specs := []spec{
		{"one at a time (resets: panics, timeouts)", o.mixedOne, 0, 1, 5,
			map[rie.Kind]int{rie.Benign: 60, rie.Blocked: 20, rie.Failing: 8, rie.Stream: 8, rie.Large: 2, rie.Panic: 1, rie.Timeout: 1}},
		{"Managed Instances, 16 workers", o.mixedMI, 16, 16, 30,
			map[rie.Kind]int{rie.Benign: 300, rie.Blocked: 100, rie.Failing: 40, rie.Stream: 40, rie.Large: 1}},
		{"Managed Instances, 64 workers", o.mixedMI, 64, 64, 30,
			map[rie.Kind]int{rie.Benign: 300, rie.Blocked: 100, rie.Failing: 40, rie.Stream: 40, rie.Large: 1}},
	}
	failed := 0
	for _, sp := range specs {
		if sp.n == 0 {
			continue
		}
		var seen rie.Sightings
		fn, err := f.Start(ctx, f.Block, rie.RunOptions{MaxConcurrency: sp.mi, TimeoutSeconds: sp.timeout,
			Env: []string{"RIE_HANDLER_TRACE=1"}, OnLine: seen.Observe})
		if err != nil {
			return err
		}
		out := rie.RunMixed(ctx, fn, rie.Plan(sp.n, sp.timeout*1000, sp.mix), sp.conc, &seen)
		fn.Close()
		fmt.Printf("| %s | %d | %d | %d | %d | %s |\n", sp.name, out.Sent, sp.conc, len(out.Problems), out.Unavailable, out.Wall.Round(time.Millisecond))
		for i, p := range out.Problems {
			if i == 20 {
				fmt.Fprintf(os.Stderr, "  ... %d more\n", len(out.Problems)-20)
				break
			}
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		failed += len(out.Problems)
	}
	if failed > 0 {
		return fmt.Errorf("%d invocations lost, duplicated or altered", failed)
	}
	return nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown\n"
	}
	return string(b)
}

// gcStreams counts gctrace lines ("gc N @…") per process. The lines carry
// no process id, so each is given to the process whose last cycle was
// N-1.
type gcStreams struct {
	mu      sync.Mutex
	streams []gcStream
}

type gcStream struct {
	last, count, marked int
	line                string
}

var gcLine = regexp.MustCompile(`\bgc (\d+) @[0-9.]+s .* MB goal`)

func (g *gcStreams) observe(l string) {
	m := gcLine.FindStringSubmatch(l)
	if m == nil {
		return
	}
	n, _ := strconv.Atoi(m[1])
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range g.streams {
		if g.streams[i].last == n-1 {
			g.streams[i].last, g.streams[i].line = n, l
			g.streams[i].count++
			return
		}
	}
	g.streams = append(g.streams, gcStream{last: n, count: 1, line: l})
}

// mark starts counting anew (the timed invocations begin).
func (g *gcStreams) mark() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range g.streams {
		g.streams[i].marked = g.streams[i].count
	}
}

func (g *gcStreams) report(w io.Writer, name string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, st := range g.streams {
		if c := st.count - st.marked; c > 0 {
			fmt.Fprintf(w, "%s: %d GC cycles in %d invocations in one process; its last: %s\n", name, c, n, st.line)
		}
	}
}
