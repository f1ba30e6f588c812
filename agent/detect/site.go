package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Site is what a request says about where it was sent and from where:
// the Host it addressed and the page (Referer) that linked to it. Some
// findings depend on it: a session id in a link from another site is
// session fixation, while the same id on a link within the site is the
// application's own URL rewriting (CRS 943110/943120).
type Site struct {
	// Host is the Host header (or HTTP/2 authority), lower-cased, with
	// its port when one was sent.
	Host string
	// Referer is the Referer header as sent, or "".
	Referer string
}

// SiteOf reads the Site of req from its headers; it is empty for events
// that are not HTTP requests.
func SiteOf(req *event.Request) Site {
	var s Site
	if req == nil {
		return s
	}
	if h := req.Headers["host"]; len(h) > 0 {
		s.Host = strings.ToLower(strings.TrimSpace(h[0]))
	} else if h := req.Headers[":authority"]; len(h) > 0 {
		s.Host = strings.ToLower(strings.TrimSpace(h[0]))
	}
	if r := req.Headers["referer"]; len(r) > 0 {
		s.Referer = r[0]
	}
	return s
}

// sameSite reports whether the authority host[:port] is the site's host
// or a subdomain of it, with the same port ("api.example.com" on
// "example.com"; not "example.com:1234", not "evilexample.com").
func (s *Site) sameSite(authority string) bool {
	if s.Host == "" || authority == "" {
		return false
	}
	h, p := splitHostPort(strings.ToLower(authority))
	sh, sp := splitHostPort(s.Host)
	if p != sp {
		return false
	}
	return h == sh || strings.HasSuffix(h, "."+sh)
}

// splitHostPort splits "host:port" (or "[v6]:port"); port is "" when
// absent.
func splitHostPort(a string) (host, port string) {
	if strings.HasPrefix(a, "[") {
		if e := strings.IndexByte(a, ']'); e > 0 {
			return a[:e+1], strings.TrimPrefix(a[e+1:], ":")
		}
		return a, ""
	}
	if i := strings.LastIndexByte(a, ':'); i >= 0 && strings.IndexByte(a[:i], ':') < 0 {
		return a[:i], a[i+1:]
	}
	return a, ""
}

// refererAuthority returns the authority of the Referer URL, "" when it
// is not an absolute http(s) URL.
func (s *Site) refererAuthority() string {
	r := s.Referer
	i := strings.Index(r, "://")
	if i < 0 {
		return ""
	}
	r = r[i+3:]
	if e := strings.IndexAny(r, "/?#"); e >= 0 {
		r = r[:e]
	}
	if at := strings.LastIndexByte(r, '@'); at >= 0 {
		r = r[at+1:]
	}
	return r
}

// InspectSite is Inspect for a value of a request whose Site is known
// (see SiteOf); site may be nil, and then it is Inspect. The firewall
// builds the Site once per request and passes it with every value.
func (e *Engine) InspectSite(v event.Value, site *Site, dst []Signal) []Signal {
	base := len(dst)
	dst = e.Inspect(v, dst)
	if site == nil {
		return dst
	}
	// A session id on a link from a page of the same site is the
	// application's own URL rewriting, not a fixation attempt; from
	// another site, or with no Referer, even a generic name counts.
	ra := site.refererAuthority()
	if ra == "" || !site.sameSite(ra) {
		if v.Part == event.PartQuery && !v.IsKey && v.Key != "" && len(v.Key) <= 40 && e.Enabled(SessionFixation) {
			var buf [40]byte
			if siteSessionParams[unsafeString(appendLower(buf[:0], v.Key))] {
				in := input{e: e, v: v, text: v.Text, dst: dst, base: base}
				in.emit(SessionFixation, "session-id-param", 5, 0, 24)
				dst = in.dst
			}
		}
		return dst
	}
	n := base
	for _, s := range dst[base:] {
		if s.Rule != "session-id-param" {
			dst[n] = s
			n++
		}
	}
	return dst[:n]
}
