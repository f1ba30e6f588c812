package policy_test

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

const botsConfig = `
mode: block
bots:
  classes:
    headless: block
    impersonator: block
    automation: log
  crawlers:
    googlebot: [66.249.64.0/27]
  ja3:
    deny: [e7d705a3286e19ea42f587b344ee6865]
  ja4:
    allow: [t13d1516h2_8daaf6152771_02713d6af862]
`

const chromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36"

func chromeHeaders() map[string][]string {
	return map[string][]string{
		"user-agent":         {chromeUA},
		"accept":             {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		"accept-language":    {"en-US,en;q=0.9"},
		"accept-encoding":    {"gzip, deflate, br, zstd"},
		"sec-ch-ua":          {`"Google Chrome";v="147", "Not.A/Brand";v="8", "Chromium";v="147"`},
		"sec-ch-ua-mobile":   {"?0"},
		"sec-ch-ua-platform": {`"Windows"`},
		"sec-fetch-site":     {"none"},
		"sec-fetch-mode":     {"navigate"},
		"sec-fetch-dest":     {"document"},
		"sec-fetch-user":     {"?1"},
	}
}

func botRequest(trigger event.Trigger, ip string, h map[string][]string) *event.Request {
	return &event.Request{Trigger: trigger, Method: "GET", Path: "/", SourceIP: ip, Headers: h}
}

func TestBotClassesGetTheirPolicyAction(t *testing.T) {
	p := compileDoc(t, botsConfig)
	headless := chromeHeaders()
	headless["user-agent"] = []string{strings.Replace(chromeUA, "Chrome/", "HeadlessChrome/", 1)}
	denied := chromeHeaders()
	denied["cloudfront-viewer-ja3-fingerprint"] = []string{"E7D705A3286E19EA42F587B344EE6865"}
	allowed := map[string][]string{"user-agent": {"HeadlessChrome/147"}, "cloudfront-viewer-ja4-fingerprint": {"t13d1516h2_8daaf6152771_02713d6af862"}}
	tests := []struct {
		name    string
		req     *event.Request
		want    policy.Outcome
		wantID  string
		wantMsg bool
	}{
		{"browser is allowed", botRequest(event.APIGatewayHTTP, "203.0.113.9", chromeHeaders()), policy.Allow, "", false},
		{"headless browser is blocked", botRequest(event.APIGatewayHTTP, "203.0.113.9", headless), policy.Block, "headless", true},
		{"automation library is logged", botRequest(event.APIGatewayHTTP, "203.0.113.9", map[string][]string{"user-agent": {"python-requests/2.34.2"}}), policy.Log, "automation", true},
		{"googlebot inside its ranges is allowed", botRequest(event.ALB, "66.249.64.5", map[string][]string{"user-agent": {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}}), policy.Allow, "", false},
		{"googlebot outside its ranges is logged by default", botRequest(event.ALB, "198.51.100.7", map[string][]string{"user-agent": {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}}), policy.Log, "unverified-crawler", false},
		{"a denied JA3 blocks even a browser", botRequest(event.FunctionURL, "203.0.113.9", denied), policy.Block, "tls-fingerprint", true},
		{"an allowed JA4 lets a headless client through", botRequest(event.FunctionURL, "203.0.113.9", allowed), policy.Allow, "", false},
		{"batch triggers are not classified", &event.Request{Trigger: event.SQS, Headers: headless}, policy.Allow, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := p.Begin(tc.req, now).Finish()
			if d.Outcome != tc.want {
				t.Fatalf("outcome = %s, want %s (reasons %+v)", d.Outcome, tc.want, d.Reasons)
			}
			var bot *policy.Reason
			for i := range d.Reasons {
				if d.Reasons[i].Kind == policy.ReasonBot {
					bot = &d.Reasons[i]
				}
			}
			if tc.wantID == "" {
				if bot != nil {
					t.Fatalf("unexpected bot reason %+v", *bot)
				}
				return
			}
			if bot == nil || bot.ID != tc.wantID {
				t.Fatalf("bot reason = %+v, want id %s", bot, tc.wantID)
			}
			if tc.wantMsg && bot.Message == "" {
				t.Fatalf("bot reason %+v says nothing of why", *bot)
			}
			for _, vs := range tc.req.Headers {
				for _, v := range vs {
					if len(v) > 8 && strings.Contains(bot.Message, v) {
						t.Fatalf("reason message %q carries a header value", bot.Message)
					}
				}
			}
			if tc.want == policy.Block && d.Status != 403 {
				t.Fatalf("block status = %d, want the normal 403", d.Status)
			}
		})
	}
}

func TestBotsSectionIsValidated(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown class", "bots:\n  classes:\n    scraper: block\n", "expected one of browser, automation, headless"},
		{"unknown action", "bots:\n  classes:\n    headless: deny\n", "expected one of allow, log, block, rate-limit, got deny"},
		{"misspelt crawler", "bots:\n  crawlers:\n    gogglebot: [66.249.64.0/27]\n", `unknown crawler "gogglebot"; did you mean "googlebot"?`},
		{"unknown crawler", "bots:\n  crawlers:\n    webspider: [66.249.64.0/27]\n", `unknown crawler "webspider"; expected one of googlebot`},
		{"bad CIDR", "bots:\n  crawlers:\n    googlebot: [66.249.64.0/33]\n", "expected a CIDR"},
		{"unknown field", "bots:\n  clases: {}\n", `unknown field "clases"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tc.doc), "lambdawaf.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if n := strings.Count(err.Error(), tc.want); n != 1 {
				t.Fatalf("problem reported %d times: %v", n, err)
			}
		})
	}
}

// TestRecordedBrowsersPassABlockingBotsPolicy replays the recorded browser
// header sets under a policy that blocks every non-browser class: none may
// be blocked or logged (the false-positive figure, goal 0).
func TestRecordedBrowsersPassABlockingBotsPolicy(t *testing.T) {
	p := compileDoc(t, "mode: block\nbots:\n  classes: {automation: block, headless: block, impersonator: block, unverified-crawler: block, unknown: block}\n")
	f, err := os.Open("../../tests/corpus/bots/browsers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, fp := 0, 0
	for sc.Scan() {
		var rec struct {
			Client  string              `json:"client"`
			Headers map[string][]string `json:"headers"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("browsers.jsonl line %d: %v", n+1, err)
		}
		n++
		if d := p.Begin(botRequest(event.APIGatewayHTTP, "203.0.113.9", rec.Headers), now).Finish(); d.Outcome != policy.Allow {
			fp++
			t.Errorf("%s: %s (%+v)", rec.Client, d.Outcome, d.Reasons)
		}
	}
	if n < 10 {
		t.Fatalf("only %d browser header sets read", n)
	}
	t.Logf("%d browser header sets, %d false positives", n, fp)
}

// BenchmarkBotsCheck measures what a bots section adds to judging one HTTP
// request (classification and the class's action, through Begin and
// Finish), and reports the p50 of single calls next to the mean.
func BenchmarkBotsCheck(b *testing.B) {
	with := compileDoc(b, botsConfig)
	without := compileDoc(b, "mode: block\n")
	req := botRequest(event.APIGatewayHTTP, "203.0.113.9", chromeHeaders())
	for _, bc := range []struct {
		name string
		p    *policy.Policy
	}{{"without-bots", without}, {"with-bots", with}} {
		b.Run(bc.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				bc.p.Begin(req, now).Finish()
				lat = append(lat, time.Since(start))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
		})
	}
}
