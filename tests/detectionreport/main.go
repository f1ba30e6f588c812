// Command detectionreport measures lambdawaf's detection against OWASP CRS:
// the external corpus (tests/corpus/external: payload lists, test data and
// documentation from public packages, split into tune and holdout halves,
// reported per family and per source), the CRS v4 regression tests (go-ftw
// format, shipped in the coraza-coreruleset module; tune material) and
// lambdawaf's own attack and benign corpora,
// each request turned into an API Gateway HTTP API event and judged by
// lambdawaf (event.Parse, decode, detect: detected when any attack-class
// signal fires) at its paranoia levels 1 (the default) and 2, and by
// Coraza v3 + CRS v4 at paranoia levels 1 and 2 (detected when CRS blocks:
// the inbound anomaly score reaches the threshold).
//
//	go run ./tests/detectionreport            # full report, ~2 minutes on 2 cores
//	go run ./tests/detectionreport -coraza=false   # lambdawaf only, seconds
//	go run ./tests/detectionreport -misses    # list lambdawaf misses and FPs (never of the external holdout)
//	go run ./tests/detectionreport -misses -paranoia 2   # ... at paranoia 2
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/corazawaf/coraza/v3"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/tests/corpus"
	"github.com/lambdawaf/lambdawaf/tests/corpus/external"
)

// item is one labeled request of the report.
type item struct {
	Source string // "crs-pl1", "crs-pl2", "crs-nofire", "corpus-attack", "corpus-benign", "heldout-attack", "heldout-benign"
	Group  string // CRS family, corpus class or external family
	Origin string // external corpus: the source (package) it came from
	Attack bool
	Name   string
	Req    corpus.Request

	lw, lw2, pl1, pl2 bool // lambdawaf at paranoia 1 and 2, CRS at PL1 and PL2
	lwRules           string
	lw2Rules          string
	lwDur             time.Duration
	pl1Dur            time.Duration
	noCRS             bool // not judged by Coraza (the carried values: lambdawaf only)
}

func main() {
	crsDir := flag.String("crs-tests", "", "CRS regression tests directory (default: the coraza-coreruleset module's tests/)")
	withCoraza := flag.Bool("coraza", true, "also judge every request with Coraza + CRS PL1 and PL2")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	misses := flag.Bool("misses", false, "list lambdawaf misses on attacks and false positives on benign input")
	paranoia := flag.Int("paranoia", 1, "lambdawaf paranoia level whose misses -misses lists (1 or 2)")
	flag.Parse()
	if err := run(*crsDir, *withCoraza, *workers, *misses, *paranoia); err != nil {
		fmt.Fprintln(os.Stderr, "detectionreport:", err)
		os.Exit(1)
	}
}

func moduleDir(ctx context.Context, mod string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", mod).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", mod, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func run(crsDir string, withCoraza bool, workers int, listMisses bool, missLevel int) error {
	ctx := context.Background()
	if crsDir == "" {
		d, err := moduleDir(ctx, "github.com/corazawaf/coraza-coreruleset/v4")
		if err != nil {
			return err
		}
		crsDir = filepath.Join(d, "tests")
	}
	pl, err := paranoiaLevels()
	if err != nil {
		return fmt.Errorf("read CRS paranoia levels: %w", err)
	}
	crsCases, skipped, err := loadCRS(crsDir, pl)
	if err != nil {
		return err
	}
	var items []*item
	for _, c := range crsCases {
		src := "crs-nofire"
		if c.Attack {
			src = fmt.Sprintf("crs-pl%d", c.PL)
		}
		items = append(items, &item{Source: src, Group: c.Family, Attack: c.Attack, Name: c.Name, Req: c.Req})
	}
	corpora := []corpusSource{
		{"corpus-attack", corpus.Attacks, nil},
		{"corpus-benign", corpus.Benign, func(c corpus.Case) string {
			if strings.HasPrefix(c.Name, "benign/heldout.txt") {
				return "benign held-out (written after tuning; 6.4% FP before its causes were fixed)"
			}
			if strings.HasPrefix(c.Name, "benign/prose2.txt") {
				return "developer prose (written to find FPs; 34% FP before the prose fixes)"
			}
			return "benign corpus (tuned against)"
		}},
	}
	for _, set := range corpus.HeldOutSets {
		corpora = append(corpora,
			corpusSource{"heldout-" + set + "-attack", func() ([]corpus.Case, error) { return corpus.HeldOutAttacks(set) }, nil},
			corpusSource{"heldout-" + set + "-benign", func() ([]corpus.Case, error) { return corpus.HeldOutBenign(set) }, func(corpus.Case) string { return "held-out " + set + " benign" }},
		)
	}
	for _, src := range corpora {
		cases, err := src.load()
		if err != nil {
			return err
		}
		for _, c := range cases {
			it := &item{Source: src.source, Group: c.Class, Attack: c.Class != "", Name: c.Name, Req: c.Req}
			if src.group != nil {
				it.Group = src.group(c)
			}
			items = append(items, it)
		}
	}

	for _, split := range []string{external.Tune, external.Holdout} {
		for _, load := range []struct {
			source string
			cases  func(string) ([]corpus.ExternalCase, error)
		}{{"external-" + split, corpus.External}, {"external-" + split + crossed, corpus.ExternalCrossed}} {
			cases, err := load.cases(split)
			if err != nil {
				return err
			}
			for _, c := range cases {
				items = append(items, &item{Source: load.source, Origin: c.Source, Group: c.Family, Attack: c.Attack(), Name: c.Name, Req: c.Req})
			}
		}
		cases, err := corpus.ExternalCarried(split)
		if err != nil {
			return err
		}
		for _, c := range cases {
			items = append(items, &item{Source: "external-" + split + carried, Origin: c.Family, Group: c.Placement, Attack: c.Attack(), Name: c.Name, Req: c.Req, noCRS: true})
		}
	}

	var waf1, waf2 coraza.WAF
	var build1, build2 time.Duration
	if withCoraza {
		t := time.Now()
		if waf1, err = newCRS(1); err != nil {
			return err
		}
		build1 = time.Since(t)
		t = time.Now()
		if waf2, err = newCRS(2); err != nil {
			return err
		}
		build2 = time.Since(t)
	}
	p := corpus.NewPipeline(detect.Options{})
	p2 := corpus.NewPipeline(detect.Options{Paranoia: 2})
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan *item)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sigs []detect.Signal
			for it := range next {
				ev := corpus.APIGatewayV2(it.Req)
				t := time.Now()
				sigs, err := p.Signals(ev, sigs[:0])
				it.lwDur = time.Since(t)
				it.lw, it.lwRules = attacked(sigs, err)
				sigs, err = p2.Signals(ev, sigs[:0])
				it.lw2, it.lw2Rules = attacked(sigs, err)
				if withCoraza && !it.noCRS {
					t = time.Now()
					it.pl1 = crsVerdict(waf1, it.Req)
					it.pl1Dur = time.Since(t)
					it.pl2 = crsVerdict(waf2, it.Req)
				}
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)

	fmt.Printf("# lambdawaf detection report\n\n")
	fmt.Printf("CRS regression tests: %s (%d CRS cases used, %d skipped: multi-stage or unparsable)\n", crsDir, len(crsCases), skipped)
	fmt.Printf("lambdawaf: event.Parse → decode.Walk → detect.Inspect; detected = any attack-class signal. \"lambdawaf\" is the default (paranoia 1); \"lambdawaf p2\" is detection.paranoia: 2.\n")
	if withCoraza {
		fmt.Printf("CRS: Coraza v3 + CRS v4, SecRuleEngine On; detected = blocked (anomaly threshold). Build: PL1 %v, PL2 %v.\n", build1.Round(time.Millisecond), build2.Round(time.Millisecond))
	}
	fmt.Printf("%d requests judged in %v with %d workers.\n\n", len(items), elapsed.Round(time.Millisecond), workers)

	table := func(title string, src []string, attack bool) {
		groups := map[string][]*item{}
		var order []string
		for _, it := range items {
			if !has(src, it.Source) {
				continue
			}
			if _, ok := groups[it.Group]; !ok {
				order = append(order, it.Group)
			}
			groups[it.Group] = append(groups[it.Group], it)
		}
		sort.Strings(order)
		word := "TP"
		if !attack {
			word = "FP"
		}
		fmt.Printf("## %s\n\n| group | n | lambdawaf %s | lambdawaf p2 %s | CRS PL1 %s | CRS PL2 %s |\n|---|---:|---:|---:|---:|---:|\n", title, word, word, word, word)
		var all []*item
		for _, g := range order {
			fmt.Println(row(g, groups[g], withCoraza))
			all = append(all, groups[g]...)
		}
		fmt.Println(row("**all**", all, withCoraza))
		fmt.Println()
	}
	srcs, err := corpus.ExternalSources()
	if err != nil {
		return err
	}
	fmt.Printf("## External corpus (material nobody here wrote; tests/corpus/external)\n\n")
	fmt.Printf("Sources: ")
	for i, s := range srcs {
		if i > 0 {
			fmt.Printf("; ")
		}
		fmt.Printf("%s (%s %s, %s, %s)", s.Name, s.Package, s.Version, s.Registry, s.License)
	}
	fmt.Printf(".\nEach source is split by a fixed hash into tune (read and tuned against) and holdout (only counted).\n\n")
	for _, split := range []string{external.Holdout, external.Tune} {
		src := []string{"external-" + split}
		externalTable("Attacks: external "+split+", by family", items, src, true, func(it *item) string { return it.Group }, withCoraza)
		externalTable("Attacks: external "+split+", by source", items, src, true, func(it *item) string { return it.Origin }, withCoraza)
		externalTable("Benign: external "+split+", by kind", items, src, false, func(it *item) string { return it.Group }, withCoraza)
		externalTable("Benign: external "+split+", by source", items, src, false, func(it *item) string { return it.Origin }, withCoraza)
	}

	fmt.Printf("### External holdout with the parameter names crossed\n\n" +
		"The same holdout values, each attack sent under the names benign text is sent under above (q, comment) and each benign value under the names of an attack family's sink (file, url, host, user, name, id, ...), picked by its hash: the names give the detectors no help, or mislead them (corpus.ExternalCrossed).\n\n")
	src := []string{"external-" + external.Holdout + crossed}
	externalTable("Attacks: external holdout, names crossed, by family", items, src, true, func(it *item) string { return it.Group }, withCoraza)
	externalTable("Benign: external holdout, names crossed, by kind", items, src, false, func(it *item) string { return it.Group }, withCoraza)

	fmt.Printf("### External holdout carried everywhere a handler reads a value\n\n" +
		"The same holdout values, each sent by every carrier that can carry it (corpus.ExternalCarried): a path segment, a header, the User-Agent, a cookie, a query parameter named twice, a text/plain body, a nested JSON document and a top-level JSON array, JSON with \\u escapes, percent-encoded JSON, a JSON document in the query, an XML element, attribute and CDATA section, a multipart field and file name, a form field URL-encoded twice, a percent-encoded header, a gzip-compressed JSON body, a JSON document in a JSON string, base64 of a JSON document in a cookie, a JWT claim in the authorization header, base64 in the path, the query and JSON, and, for XSS and benign values only (only a page decodes them), JavaScript \\u escapes and HTML character references in the query. A header or a file name cannot carry a line break (nor a file name a quote or a backslash: that row counts fewer values), an XML attack is a document, not a string in one. A value caught in one place and missed in another is a way around the firewall. A path segment, the User-Agent, a text body and a JSON array have no parameter name for the detectors to read as a hint (see the names crossed above); the header carriers send the value in a custom header named for the parameter (X-File), which names a parameter as a query's name does, and the other carriers keep the names of the tables above. lambdawaf only; the first row is those tables (query, JSON or form field, one per value).\n\n")
	carriedTables(items)

	ruleTally(items, "external-"+external.Holdout)

	table("Attacks: CRS fire-tests of PL1 rules (930–944)", []string{"crs-pl1"}, true)
	table("Attacks: CRS fire-tests of PL2 rules (930–944)", []string{"crs-pl2"}, true)
	table("Attacks: lambdawaf attack corpus", []string{"corpus-attack"}, true)
	table("Benign: curated CRS no-fire tests", []string{"crs-nofire"}, false)
	table("Benign: lambdawaf benign corpus", []string{"corpus-benign"}, false)
	for _, set := range corpus.HeldOutSets {
		table("Attacks: held-out "+set+" (written without seeing the detectors; see tests/corpus/heldout/"+set+"/README.md)", []string{"heldout-" + set + "-attack"}, true)
		table("Benign: held-out "+set, []string{"heldout-" + set + "-benign"}, false)
	}

	var lw, c1 []time.Duration
	for _, it := range items {
		if it.noCRS {
			continue // the carried values: timed on the same requests as CRS only
		}
		lw = append(lw, it.lwDur)
		if withCoraza {
			c1 = append(c1, it.pl1Dur)
		}
	}
	fmt.Printf("## Time per request (whole pipeline, these small requests, %d parallel workers)\n\n", workers)
	fmt.Printf("lambdawaf: p50 %v, p99 %v\n", pct(lw, 50), pct(lw, 99))
	if withCoraza {
		fmt.Printf("Coraza+CRS PL1: p50 %v, p99 %v (ratio at p50: %.0fx)\n", pct(c1, 50), pct(c1, 99), float64(pct(c1, 50))/float64(pct(lw, 50)))
	}
	if listMisses {
		fmt.Printf("\n## lambdawaf misses and false positives\n\n")
		for _, it := range items {
			hit, rules := it.lw, it.lwRules
			if missLevel >= 2 {
				hit, rules = it.lw2, it.lw2Rules
			}
			if strings.HasPrefix(it.Source, "external-"+external.Holdout) {
				continue // the holdout half is counted, never read case by case
			}
			if it.Attack && !hit || !it.Attack && hit {
				kind := "MISS"
				if !it.Attack {
					kind = "FP  "
				}
				src := it.Source
				if it.Origin != "" {
					src += "/" + it.Origin
				}
				fmt.Printf("%s %-14s %-12s %-10s crs1=%v %s %q %q %s\n", kind, src, it.Group, it.Name, it.pl1, it.Req.Method, trunc(it.Req.URI, 160), trunc(string(it.Req.Body), 160), rules)
			}
		}
	}
	return nil
}

// crossed marks the sources of corpus.ExternalCrossed.
const crossed = "-crossed"

// carried marks the sources of corpus.ExternalCarried.
const carried = "-carried"

// carriedTables prints the holdout's detection and false positives per
// carrier, then the attacks by carrier and family.
func carriedTables(items []*item) {
	base := "external-" + external.Holdout
	src := base + carried
	var carriers []string
	byCarrier := map[string][]*item{}
	var plain []*item
	families := map[string]int{} // holdout attacks per family
	for _, it := range items {
		switch it.Source {
		case base:
			plain = append(plain, it)
			if it.Attack {
				families[it.Group]++
			}
		case src:
			if _, ok := byCarrier[it.Group]; !ok {
				carriers = append(carriers, it.Group)
			}
			byCarrier[it.Group] = append(byCarrier[it.Group], it)
		}
	}
	fmt.Printf("| carrier | attacks | lambdawaf TP | lambdawaf p2 TP | benign | lambdawaf FP | lambdawaf p2 FP |\n|---|---:|---:|---:|---:|---:|---:|\n")
	line := func(name string, its []*item) {
		var att, ben []*item
		for _, it := range its {
			if it.Attack {
				att = append(att, it)
			} else {
				ben = append(ben, it)
			}
		}
		a, b := tally(att), tally(ben)
		fmt.Printf("| %s | %d | %s | %s | %d | %s | %s |\n", name, a.n, share(a.lw, a.n), share(a.lw2, a.n), b.n, share(b.lw, b.n), share(b.lw2, b.n))
	}
	line("query, JSON or form field", plain)
	var all []*item
	for _, c := range carriers {
		line(c, byCarrier[c])
		all = append(all, byCarrier[c]...)
	}
	line("**all carriers**", all)
	fmt.Println()

	var fams []string
	for f, n := range families {
		if n >= 50 {
			fams = append(fams, f)
		}
	}
	sort.Strings(fams)
	fmt.Printf("Attacks caught by carrier and family (paranoia 1; families with at least 50 holdout values):\n\n| carrier | %s |\n|---|%s\n", strings.Join(fams, " | "), strings.Repeat("---:|", len(fams)))
	for _, c := range carriers {
		byFamily := map[string][]*item{}
		for _, it := range byCarrier[c] {
			if it.Attack {
				byFamily[it.Origin] = append(byFamily[it.Origin], it)
			}
		}
		fmt.Printf("| %s |", c)
		for _, f := range fams {
			t := tally(byFamily[f])
			if t.n == 0 {
				fmt.Printf(" – |")
				continue
			}
			fmt.Printf(" %.1f%% |", 100*float64(t.lw)/float64(t.n))
		}
		fmt.Println()
	}
	fmt.Println()
}

// corpusSource is one labeled corpus of the report.
type corpusSource struct {
	source string
	load   func() ([]corpus.Case, error)
	group  func(c corpus.Case) string // nil groups attacks by class
}

// attacked reports whether sigs hold an attack-class signal, and names the
// rules that fired.
func attacked(sigs []detect.Signal, err error) (bool, string) {
	if err != nil || !corpus.Attack(sigs) {
		return false, ""
	}
	var rules strings.Builder
	for _, s := range sigs {
		if s.Class.IsAttack() {
			rules.WriteString(ruleLabel(s.Rule) + " ")
		}
	}
	return true, rules.String()
}

// ruleLabel names a rule as the rule table does: class/id, or the id and
// "(not in the rule table)" when a detector emitted an id the table lacks.
func ruleLabel(id string) string {
	r, ok := detect.LookupRule(id)
	if !ok {
		return id + "(not in the rule table)"
	}
	return string(r.Class) + "/" + r.ID
}

// ruleTally prints how often each rule of the table fired (at paranoia 1)
// on the attacks and the benign cases of one source; counts only, so it
// may be printed for the holdout.
func ruleTally(items []*item, source string) {
	att, ben := map[string]int{}, map[string]int{}
	for _, it := range items {
		if it.Source != source {
			continue
		}
		for _, l := range strings.Fields(it.lwRules) {
			if it.Attack {
				att[l]++
			} else {
				ben[l]++
			}
		}
	}
	fmt.Printf("### Rules that fired on the external %s (paranoia 1)\n\n| rule | paranoia | attacks | benign |\n|---|---:|---:|---:|\n", strings.TrimPrefix(source, "external-"))
	for _, r := range detect.Rules {
		l := string(r.Class) + "/" + r.ID
		if att[l]+ben[l] > 0 {
			fmt.Printf("| %s | %d | %d | %d |\n", l, r.Paranoia, att[l], ben[l])
		}
	}
	fmt.Println()
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// counts are how many items each engine found an attack in.
type counts struct{ n, lw, lw2, pl1, pl2 int }

func tally(its []*item) counts {
	c := counts{n: len(its)}
	for _, it := range its {
		if it.lw {
			c.lw++
		}
		if it.lw2 {
			c.lw2++
		}
		if it.pl1 {
			c.pl1++
		}
		if it.pl2 {
			c.pl2++
		}
	}
	return c
}

// share formats k of n as "12.3% (k)".
func share(k, n int) string { return fmt.Sprintf("%.1f%% (%d)", 100*float64(k)/float64(max(n, 1)), k) }

func row(name string, its []*item, withCoraza bool) string {
	c := tally(its)
	n, lw, lw2, p1, p2 := c.n, c.lw, c.lw2, c.pl1, c.pl2
	r := func(k int) string { return share(k, n) }
	if !withCoraza {
		return fmt.Sprintf("| %s | %d | %s | %s | – | – |", name, n, r(lw), r(lw2))
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s |", name, n, r(lw), r(lw2), r(p1), r(p2))
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// externalTable prints one table of the external corpus: the items of the
// sources src that are attacks (or benign), grouped by key.
func externalTable(title string, items []*item, src []string, attack bool, key func(*item) string, withCoraza bool) {
	groups := map[string][]*item{}
	for _, it := range items {
		if has(src, it.Source) && it.Attack == attack {
			groups[key(it)] = append(groups[key(it)], it)
		}
	}
	order := make([]string, 0, len(groups))
	for g := range groups {
		order = append(order, g)
	}
	sort.Strings(order)
	word := "TP"
	if !attack {
		word = "FP"
	}
	fmt.Printf("### %s\n\n| group | n | lambdawaf %s | lambdawaf p2 %s | CRS PL1 %s | CRS PL2 %s |\n|---|---:|---:|---:|---:|---:|\n", title, word, word, word, word)
	var all []*item
	for _, g := range order {
		fmt.Println(row(g, groups[g], withCoraza))
		all = append(all, groups[g]...)
	}
	fmt.Println(row("**all**", all, withCoraza))
	fmt.Println()
}
