package bots

import (
	"net/netip"
	"strings"
)

// Class is what kind of client a request came from.
type Class string

// The classes (see the package documentation).
const (
	ClassBrowser           Class = "browser"
	ClassAutomation        Class = "automation"
	ClassHeadless          Class = "headless"
	ClassImpersonator      Class = "impersonator"
	ClassVerifiedCrawler   Class = "verified-crawler"
	ClassUnverifiedCrawler Class = "unverified-crawler"
	ClassUnknown           Class = "unknown"
)

// Classes lists every class, for policies and reports.
func Classes() []Class {
	return []Class{ClassBrowser, ClassAutomation, ClassHeadless, ClassImpersonator,
		ClassVerifiedCrawler, ClassUnverifiedCrawler, ClassUnknown}
}

// minContradictions is how many contradictions make a browser claim an
// impersonation. One alone is not enough: privacy extensions and
// corporate proxies strip a header here and there, and a real browser must
// never be called a bot for it.
const minContradictions = 2

// Request is what Classify looks at.
type Request struct {
	// Headers are the request headers, names lower-cased.
	Headers map[string][]string
	// Source is the client address as the front door saw it; the zero
	// value when unknown.
	Source netip.Addr
	// Secure says the request came over HTTPS, where browsers send fetch
	// metadata and client hints (API Gateway and Function URLs always
	// are; behind an ALB, X-Forwarded-Proto says).
	Secure bool
}

// Verdict is what Classify found.
type Verdict struct {
	Class Class
	// Client names the client: the library, the claimed browser, or the
	// crawler.
	Client string
	// Reasons say why, one short phrase each; never header values.
	Reasons []string
	// JA3 and JA4 are CloudFront's TLS fingerprints of the client, when
	// the distribution forwards them.
	JA3, JA4 string
}

// Classifier classifies requests. Its zero value knows no crawler ranges
// (every declared crawler is unverified). It is immutable once built and
// safe for concurrent use.
type Classifier struct {
	crawlers map[string][]netip.Prefix
}

// NewClassifier returns a Classifier verifying crawlers by the given
// published address ranges, keyed by crawler name (googlebot, bingbot,
// applebot, ...; see Crawlers).
func NewClassifier(ranges map[string][]netip.Prefix) *Classifier {
	c := &Classifier{crawlers: make(map[string][]netip.Prefix, len(ranges))}
	for name, ps := range ranges {
		c.crawlers[strings.ToLower(name)] = append([]netip.Prefix(nil), ps...)
	}
	return c
}

// Crawlers lists the crawler names the classifier recognises in
// User-Agents.
func Crawlers() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range crawlerTokens {
		if !seen[c.name] {
			seen[c.name] = true
			out = append(out, c.name)
		}
	}
	return out
}

// Classify says what kind of client sent r. It reads only the headers
// and the source address, and allocates only for the reasons it returns.
func (c *Classifier) Classify(r Request) Verdict {
	h := headers(r.Headers)
	v := Verdict{
		JA3: h.get("cloudfront-viewer-ja3-fingerprint"),
		JA4: h.get("cloudfront-viewer-ja4-fingerprint"),
	}
	ua := strings.ToLower(strings.TrimSpace(h.get("user-agent")))
	if ua == "" {
		v.Class, v.Reasons = ClassUnknown, []string{"no user-agent"}
		return v
	}
	if name, ok := matchCrawler(ua); ok {
		v.Client = name
		if c != nil && r.Source.IsValid() && inAny(c.crawlers[name], r.Source) {
			v.Class, v.Reasons = ClassVerifiedCrawler, []string{"declared " + name + " from its published ranges"}
		} else {
			v.Class, v.Reasons = ClassUnverifiedCrawler, []string{"declared " + name + " from outside its published ranges"}
		}
		return v
	}
	if tok, ok := matchClient(ua); ok {
		v.Class, v.Client, v.Reasons = tok.class, tok.name, []string{"user-agent names " + tok.name}
		return v
	}
	claim, ok := parseBrowser(ua)
	if !ok {
		v.Class, v.Reasons = ClassUnknown, []string{"user-agent is neither a browser's nor a known client's"}
		return v
	}
	v.Client = claim.name
	if ch := strings.ToLower(h.get("sec-ch-ua")); strings.Contains(ch, "headlesschrome") {
		v.Class, v.Reasons = ClassHeadless, []string{"sec-ch-ua names HeadlessChrome"}
		return v
	}
	if cs := contradictions(claim, h, r.Secure); len(cs) >= minContradictions {
		v.Class, v.Reasons = ClassImpersonator, cs
		return v
	}
	v.Class = ClassBrowser
	return v
}

func inAny(ps []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// headers reads lower-cased header maps; several values are joined with
// ", " as HTTP allows.
type headers map[string][]string

func (h headers) get(name string) string {
	vs := h[name]
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return vs[0]
	}
	return strings.Join(vs, ", ")
}
