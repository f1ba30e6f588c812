package bots

import "strings"

// A clientToken is how an automation client or headless browser names
// itself in its User-Agent. Matching is on the lower-cased User-Agent;
// prefix tokens must start it, others may appear anywhere.
type clientToken struct {
	token  string
	prefix bool
	name   string // what the reason says
	class  Class
}

// clientTokens are the self-declared non-browser clients. Attack tools
// (sqlmap, nikto, nuclei...) are not here: detection reports those as
// scanners and they are blocked as attacks, not classified as bots.
var clientTokens = []clientToken{
	{"curl/", true, "curl", ClassAutomation},
	{"wget/", true, "wget", ClassAutomation},
	{"python-requests/", true, "python-requests", ClassAutomation},
	{"python-urllib/", true, "python-urllib", ClassAutomation},
	{"python-httpx/", true, "httpx", ClassAutomation},
	{"python/", true, "python aiohttp", ClassAutomation},
	{"aiohttp/", false, "aiohttp", ClassAutomation},
	{"go-http-client/", true, "Go net/http", ClassAutomation},
	{"okhttp/", true, "okhttp", ClassAutomation},
	{"apache-httpclient/", true, "Apache HttpClient", ClassAutomation},
	{"java-http-client/", true, "Java HttpClient", ClassAutomation},
	{"java/", true, "Java", ClassAutomation},
	{"node-fetch", true, "node-fetch", ClassAutomation},
	{"node", true, "Node.js fetch (undici)", ClassAutomation},
	{"undici", true, "undici", ClassAutomation},
	{"axios/", true, "axios", ClassAutomation},
	{"got (", true, "got", ClassAutomation},
	{"libwww-perl/", true, "libwww-perl", ClassAutomation},
	{"ruby", true, "Ruby Net::HTTP", ClassAutomation},
	{"faraday v", true, "Faraday", ClassAutomation},
	{"guzzlehttp/", true, "Guzzle", ClassAutomation},
	{"postmanruntime/", true, "Postman", ClassAutomation},
	{"insomnia/", true, "Insomnia", ClassAutomation},
	{"httpie/", true, "HTTPie", ClassAutomation},
	{"scrapy/", true, "Scrapy", ClassAutomation},
	{"colly", false, "Colly", ClassAutomation},
	{"reqwest/", true, "reqwest", ClassAutomation},
	{"dart:io", false, "Dart", ClassAutomation},
	{"dart/", true, "Dart", ClassAutomation},
	{"powershell/", false, "PowerShell", ClassAutomation},
	{"winhttp", false, "WinHTTP", ClassAutomation},
	{"cfnetwork/", false, "CFNetwork", ClassAutomation},
	{"dalvik/", true, "Android Dalvik", ClassAutomation},
	{"headlesschrome", false, "HeadlessChrome", ClassHeadless},
	{"phantomjs", false, "PhantomJS", ClassHeadless},
	{"electron/", false, "Electron", ClassHeadless},
	{"slimerjs", false, "SlimerJS", ClassHeadless},
	{"htmlunit", false, "HtmlUnit", ClassHeadless},
}

// matchClient returns the self-declared client in ua (lower case), if any.
func matchClient(ua string) (clientToken, bool) {
	for _, c := range clientTokens {
		if c.prefix && strings.HasPrefix(ua, c.token) || !c.prefix && strings.Contains(ua, c.token) {
			return c, true
		}
	}
	return clientToken{}, false
}

// crawlerTokens are how well-known crawlers name themselves; the policy's
// ranges, keyed by the same names, verify them.
var crawlerTokens = []struct{ token, name string }{
	{"googlebot", "googlebot"},
	{"google-inspectiontool", "googlebot"},
	{"adsbot-google", "googlebot"},
	{"bingbot", "bingbot"},
	{"applebot", "applebot"},
	{"duckduckbot", "duckduckbot"},
	{"yandexbot", "yandexbot"},
	{"baiduspider", "baiduspider"},
	{"facebookexternalhit", "facebook"},
	{"meta-externalagent", "facebook"},
	{"twitterbot", "twitterbot"},
	{"linkedinbot", "linkedinbot"},
	{"slackbot", "slackbot"},
	{"gptbot", "gptbot"},
	{"oai-searchbot", "gptbot"},
	{"claudebot", "claudebot"},
	{"perplexitybot", "perplexitybot"},
	{"amazonbot", "amazonbot"},
}

// matchCrawler returns the crawler ua (lower case) declares itself, if any.
func matchCrawler(ua string) (string, bool) {
	for _, c := range crawlerTokens {
		if strings.Contains(ua, c.token) {
			return c.name, true
		}
	}
	return "", false
}
