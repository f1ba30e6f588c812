package bots

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

const (
	chrome147  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36"
	firefox140 = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	safari18   = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15"
	googlebot  = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

func hdrs(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

// chromeNavigation is what Chrome 147 on Windows sends for a top-level
// navigation over HTTPS.
func chromeNavigation(replace ...string) map[string][]string {
	h := hdrs([]string{
		"user-agent", chrome147,
		"sec-ch-ua", `"Google Chrome";v="147", "Not.A/Brand";v="8", "Chromium";v="147"`,
		"sec-ch-ua-mobile", "?0", "sec-ch-ua-platform", `"Windows"`,
		"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"sec-fetch-site", "none", "sec-fetch-mode", "navigate", "sec-fetch-dest", "document",
		"accept-encoding", "gzip, deflate, br, zstd", "accept-language", "en-US,en;q=0.9",
	}...)
	for i := 0; i+1 < len(replace); i += 2 {
		h[replace[i]] = []string{replace[i+1]}
	}
	return h
}

func TestClassify(t *testing.T) {
	crawlerIP := netip.MustParseAddr("66.249.66.1")
	c := NewClassifier(map[string][]netip.Prefix{"googlebot": {netip.MustParsePrefix("66.249.64.0/19")}})
	for _, tc := range []struct {
		name   string
		h      map[string][]string
		src    netip.Addr
		secure bool
		class  Class
		client string
	}{
		{"chrome navigation", chromeNavigation(), netip.Addr{}, true, ClassBrowser, "chrome"},
		{"firefox fetch", hdrs("user-agent", firefox140, "accept", "*/*", "accept-language", "de", "accept-encoding", "gzip, deflate, br",
			"sec-fetch-mode", "cors", "sec-fetch-dest", "empty", "sec-fetch-site", "same-origin"), netip.Addr{}, true, ClassBrowser, "firefox"},
		{"safari without fetch metadata is one contradiction, not two", hdrs("user-agent", safari18, "accept-language", "en-GB",
			"accept-encoding", "gzip, deflate, br"), netip.Addr{}, true, ClassBrowser, "safari"},
		{"curl by name", hdrs("user-agent", "curl/8.5.0", "accept", "*/*"), netip.Addr{}, true, ClassAutomation, "curl"},
		{"python-requests by name", hdrs("user-agent", "python-requests/2.32.3"), netip.Addr{}, true, ClassAutomation, "python-requests"},
		{"node fetch by name", hdrs("user-agent", "node", "sec-fetch-mode", "cors"), netip.Addr{}, true, ClassAutomation, "Node.js fetch (undici)"},
		{"okhttp mobile app", hdrs("user-agent", "okhttp/4.12.0"), netip.Addr{}, true, ClassAutomation, "okhttp"},
		{"headless chrome by user-agent", hdrs("user-agent", strings.Replace(chrome147, "Chrome/", "HeadlessChrome/", 1)), netip.Addr{}, true, ClassHeadless, "HeadlessChrome"},
		{"headless chrome by client hints", chromeNavigation("sec-ch-ua", `"HeadlessChrome";v="147"`), netip.Addr{}, true, ClassHeadless, "chrome"},
		{"curl wearing chrome's user-agent", hdrs("user-agent", chrome147, "accept", "*/*"), netip.Addr{}, true, ClassImpersonator, "chrome"},
		{"requests wearing firefox's user-agent", hdrs("user-agent", firefox140, "accept-encoding", "gzip, deflate", "accept", "*/*"), netip.Addr{}, true, ClassImpersonator, "firefox"},
		{"chrome hints from firefox", hdrs("user-agent", firefox140, "accept-language", "en", "accept-encoding", "gzip",
			"sec-fetch-mode", "cors", "sec-ch-ua", `"Chromium";v="147"`, "sec-ch-ua-mobile", "?0"), netip.Addr{}, true, ClassImpersonator, "firefox"},
		{"node fetch wearing chrome's user-agent", hdrs("user-agent", chrome147, "accept", "*/*", "accept-language", "*",
			"sec-fetch-mode", "cors", "accept-encoding", "gzip, deflate"), netip.Addr{}, true, ClassImpersonator, "chrome"},
		{"mobile hint on a desktop user-agent and the wrong platform", chromeNavigation("sec-ch-ua-mobile", "?1", "sec-ch-ua-platform", `"Android"`),
			netip.Addr{}, true, ClassImpersonator, "chrome"},
		{"plain http carries no hints or fetch metadata", hdrs("user-agent", chrome147, "accept-language", "en", "accept-encoding", "gzip"),
			netip.Addr{}, false, ClassBrowser, "chrome"},
		{"googlebot from google", hdrs("user-agent", googlebot), crawlerIP, true, ClassVerifiedCrawler, "googlebot"},
		{"googlebot from elsewhere", hdrs("user-agent", googlebot), netip.MustParseAddr("203.0.113.9"), true, ClassUnverifiedCrawler, "googlebot"},
		{"googlebot as an IPv4-mapped address", hdrs("user-agent", googlebot), netip.MustParseAddr("::ffff:66.249.66.1"), true, ClassVerifiedCrawler, "googlebot"},
		{"no user-agent", hdrs("accept", "*/*"), netip.Addr{}, true, ClassUnknown, ""},
		{"unknown user-agent", hdrs("user-agent", "OrdersSync/3"), netip.Addr{}, true, ClassUnknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := c.Classify(Request{Headers: tc.h, Source: tc.src, Secure: tc.secure})
			if v.Class != tc.class || v.Client != tc.client {
				t.Errorf("Classify = %s (%s) %v; want %s (%s)", v.Class, v.Client, v.Reasons, tc.class, tc.client)
			}
			if v.Class != ClassBrowser && len(v.Reasons) == 0 {
				t.Errorf("%s without a reason", v.Class)
			}
		})
	}
}

// A contradiction that is a single missing header stays a browser: privacy
// tools strip headers, and a person must never be called a bot for that.
func TestOneContradictionIsNotEnough(t *testing.T) {
	h := chromeNavigation()
	delete(h, "accept-language")
	if v := (&Classifier{}).Classify(Request{Headers: h, Secure: true}); v.Class != ClassBrowser {
		t.Errorf("Chrome without accept-language = %s %v, want browser", v.Class, v.Reasons)
	}
}

// Reasons never carry header values: they end up in decision records.
func TestReasonsCarryNoHeaderValues(t *testing.T) {
	secret := "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/147.0.0.0 Safari/537.36 token=hunter2"
	v := (&Classifier{}).Classify(Request{Headers: hdrs("user-agent", secret, "sec-ch-ua-platform", `"hunter2"`, "sec-ch-ua", `"Chromium";v="147"`), Secure: true})
	for _, r := range v.Reasons {
		if strings.Contains(r, "hunter2") {
			t.Errorf("reason %q carries a header value", r)
		}
	}
}

func TestFingerprintsAreReported(t *testing.T) {
	v := (&Classifier{}).Classify(Request{Headers: chromeNavigation(
		"cloudfront-viewer-ja3-fingerprint", "773906b0efdefa24a7f2b8eb6985bf37",
		"cloudfront-viewer-ja4-fingerprint", "t13d1516h2_8daaf6152771_02713d6af862")})
	if v.JA3 != "773906b0efdefa24a7f2b8eb6985bf37" || v.JA4 != "t13d1516h2_8daaf6152771_02713d6af862" {
		t.Errorf("fingerprints = %q %q", v.JA3, v.JA4)
	}
}

func TestCrawlersListsEachNameOnce(t *testing.T) {
	names := Crawlers()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
	}
	if !reflect.DeepEqual(names[:2], []string{"googlebot", "bingbot"}) {
		t.Errorf("Crawlers() = %v", names)
	}
}

func BenchmarkClassifyBrowser(b *testing.B) {
	c := NewClassifier(nil)
	r := Request{Headers: chromeNavigation(), Secure: true}
	for b.Loop() {
		c.Classify(r)
	}
}
