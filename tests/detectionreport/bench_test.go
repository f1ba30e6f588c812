package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corazawaf/coraza/v3"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/tests/corpus"
)

// The benchmarks judge whole API Gateway v2 events through lambdawaf's
// pipeline (event.Parse, decode.Walk, detect.Inspect) and, in the same run,
// the same requests through Coraza + CRS PL1, reporting p50/p99 and the
// ratio of the medians.
//
//	go test ./tests/detectionreport -run '^$' -bench . -benchtime 2000x

var (
	crsOnce sync.Once
	crsWAF  coraza.WAF
	crsErr  error
)

func crsPL1(b *testing.B) coraza.WAF {
	crsOnce.Do(func() { crsWAF, crsErr = newCRS(1) })
	if crsErr != nil {
		b.Fatal(crsErr)
	}
	return crsWAF
}

// apiRequest is a realistic ~1 KB JSON POST from a browser client.
func apiRequest() corpus.Request {
	body := map[string]any{
		"order": map[string]any{
			"id":       "ord_8f14e45fceea167a5a36dedd4bea2543",
			"customer": map[string]any{"name": "Conan O'Brien", "email": "conan.obrien@example.com", "phone": "+1 (555) 123-4567"},
			"shipping": map[string]any{"line1": "221B Baker Street", "city": "London", "postcode": "NW1 6XE", "country": "GB"},
			"items": []any{
				map[string]any{"sku": "SKU-00042-RED-XL", "qty": 2, "price": 24.99, "note": "Gift wrap, please; it's a birthday present!"},
				map[string]any{"sku": "SKU-00117-BLU-M", "qty": 1, "price": 9.5, "note": ""},
			},
			"coupon":  "SPRING-24",
			"comment": "Please leave the parcel with the neighbour at No. 12 if nobody's home -- thanks!",
		},
		"client": map[string]any{"app": "web", "version": "4.18.2", "locale": "en-GB", "tz": "Europe/London"},
	}
	js, _ := json.Marshal(body)
	return corpus.Request{
		Method: "POST",
		URI:    "/api/v1/orders?expand=items&currency=GBP",
		Headers: [][2]string{
			{"host", "api.example.com"},
			{"user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15"},
			{"accept", "application/json"},
			{"content-type", "application/json"},
			{"authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"},
			{"cookie", "session=abc123def456; theme=dark"},
		},
		Body: js,
	}
}

func queryAttack() corpus.Request {
	return corpus.Request{
		Method:  "GET",
		URI:     "/api/v1/items?id=1%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--&sort=name",
		Headers: [][2]string{{"host", "api.example.com"}, {"user-agent", "Mozilla/5.0"}, {"accept", "*/*"}},
	}
}

// adversarialBody is ~1 MB of JSON built to be expensive: deep nesting,
// many keys, quote-heavy strings and SQL-looking fragments.
func adversarialBody() corpus.Request {
	var b strings.Builder
	b.WriteString(`{"a":`)
	for i := 0; i < 40; i++ {
		b.WriteString(`{"n":`)
	}
	b.WriteString(`1`)
	for i := 0; i < 40; i++ {
		b.WriteString(`}`)
	}
	b.WriteString(`,"k":{`)
	for i := 0; b.Len() < 600<<10; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"key%d":"%s"`, i, strings.Repeat(`'\"`, 8)+" or 1=1 -- <a href=x>"+strings.Repeat("(", 8))
	}
	b.WriteString(`},"q":"`)
	for b.Len() < 1<<20-16 {
		b.WriteString(`'\"`)
	}
	b.WriteString(`"}`)
	return corpus.Request{Method: "POST", URI: "/api/v1/import", Headers: [][2]string{{"host", "api.example.com"}, {"content-type", "application/json"}}, Body: []byte(b.String())}
}

func benchPipeline(b *testing.B, r corpus.Request, compare bool) {
	p := corpus.NewPipeline(detect.Options{})
	ev := corpus.APIGatewayV2(r)
	var sigs []detect.Signal
	samples := make([]time.Duration, 0, min(b.N, 1<<20))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		var err error
		sigs, err = p.Signals(ev, sigs[:0])
		if err != nil {
			b.Fatal(err)
		}
		if len(samples) < cap(samples) {
			samples = append(samples, time.Since(t))
		}
	}
	b.StopTimer()
	lw50, lw99 := quantiles(samples)
	b.ReportMetric(float64(lw50.Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lw99.Nanoseconds()), "p99-ns")
	if !compare {
		return
	}
	waf := crsPL1(b)
	cs := make([]time.Duration, 0, 200)
	for i := 0; i < 200; i++ {
		t := time.Now()
		crsVerdict(waf, r)
		cs = append(cs, time.Since(t))
	}
	c50, c99 := quantiles(cs)
	b.ReportMetric(float64(c50.Nanoseconds()), "crs-p50-ns")
	b.ReportMetric(float64(c99.Nanoseconds()), "crs-p99-ns")
	b.ReportMetric(float64(c50)/float64(max(lw50, 1)), "x-faster-p50")
}

func quantiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[(len(d)-1)/2], d[(len(d)-1)*99/100]
}

func BenchmarkJSONEvent1KB(b *testing.B)      { benchPipeline(b, apiRequest(), true) }
func BenchmarkQueryAttack(b *testing.B)       { benchPipeline(b, queryAttack(), true) }
func BenchmarkAdversarial1MB(b *testing.B)    { benchPipeline(b, adversarialBody(), false) }
func BenchmarkCorazaJSON1KB(b *testing.B)     { benchCoraza(b, apiRequest()) }
func BenchmarkCorazaQueryAttack(b *testing.B) { benchCoraza(b, queryAttack()) }

func benchCoraza(b *testing.B, r corpus.Request) {
	waf := crsPL1(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		crsVerdict(waf, r)
	}
}

// TestBenchInputs checks the benchmark inputs are what they claim to be.
func TestBenchInputs(t *testing.T) {
	p := corpus.NewPipeline(detect.Options{})
	if n := len(corpus.APIGatewayV2(apiRequest())); n < 1000 || n > 2600 {
		t.Errorf("1 KB event is %d bytes", n)
	}
	sigs, err := p.Signals(corpus.APIGatewayV2(apiRequest()), nil)
	if err != nil || corpus.Attack(sigs) {
		t.Errorf("benign 1 KB event: %v %v", sigs, err)
	}
	sigs, err = p.Signals(corpus.APIGatewayV2(queryAttack()), nil)
	if err != nil || !corpus.Attack(sigs) {
		t.Errorf("query attack not detected: %v %v", sigs, err)
	}
	adv := adversarialBody()
	if len(adv.Body) < 1<<20-64 {
		t.Errorf("adversarial body is %d bytes", len(adv.Body))
	}
	start := time.Now()
	if _, err := p.Signals(corpus.APIGatewayV2(adv), nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("1 MB adversarial body took %v", d)
	}
}

// hostileUnits are byte patterns that each once drove a detector into
// quadratic time when repeated through one large value (a 128 KiB run of
// "(" took 64 s); each now has to stay linear.
var hostileUnits = []string{"(", "[(", "${", "/**/(", "(select /*", "{{", "{%", "\n", "<a", "<-", "f(){ f", "?/", "#(", "[/", "'\"", "${jndi:", "<!--", "../", "%u", "` | ", "sqrt(", "../a ", "&#", "< a ", "<x:", "data:,", "url(", "console.log(1,", `\xbc<`, "¼<", "'a.b=", `\u0061`, "$(date ", "a|date|", "| grep -v a ", "<a>\n", "<a> b.c", "=/a ", "abs(ab) and ", "x' and f(a) '"}

// BenchmarkHostileValue1MB judges a POST whose JSON body holds one 1 MiB
// string of each hostile unit, through the whole pipeline at paranoia 2
// (the superset of detectors):
//
//	go test ./tests/detectionreport -run '^$' -bench HostileValue1MB -benchtime 3x
func BenchmarkHostileValue1MB(b *testing.B) {
	p := corpus.NewPipeline(detect.Options{Paranoia: 2})
	for _, u := range hostileUnits {
		val, err := json.Marshal(strings.Repeat(u, (1<<20)/len(u)))
		if err != nil {
			b.Fatal(err)
		}
		body := append(append([]byte(`{"note":`), val...), '}')
		ev := corpus.APIGatewayV2(corpus.Request{Method: "POST", URI: "/api/v1/notes", Headers: [][2]string{{"host", "api.example.com"}, {"content-type", "application/json"}}, Body: body})
		b.Run(fmt.Sprintf("%q", u), func(b *testing.B) {
			var sigs []detect.Signal
			for b.Loop() {
				if sigs, err = p.Signals(ev, sigs[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
