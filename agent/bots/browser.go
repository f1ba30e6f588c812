package bots

import (
	"strconv"
	"strings"
)

// engine is the browser engine a User-Agent claims.
type engine int

const (
	engineNone engine = iota
	engineChromium
	engineGecko
	engineWebKit
)

// browserClaim is what a browser User-Agent says about its sender.
type browserClaim struct {
	engine engine
	name   string // chrome, edge, opera, firefox, safari
	major  int    // the browser's major version; 0 when unknown
	mobile bool
	os     string // windows, macos, linux, android, ios, chromeos, ""
}

// parseBrowser reads a browser claim from a lower-cased User-Agent. Only
// Mozilla/5.0 strings with a known browser token are claims; anything else
// is not a browser's.
func parseBrowser(ua string) (browserClaim, bool) {
	if !strings.HasPrefix(ua, "mozilla/5.0 (") {
		return browserClaim{}, false
	}
	var c browserClaim
	switch {
	case strings.Contains(ua, " edg/"):
		c.engine, c.name, c.major = engineChromium, "edge", majorAfter(ua, " edg/")
	case strings.Contains(ua, " opr/"):
		c.engine, c.name, c.major = engineChromium, "opera", majorAfter(ua, " chrome/")
	case strings.Contains(ua, " chrome/") || strings.Contains(ua, " crios/"):
		c.engine, c.name = engineChromium, "chrome"
		c.major = majorAfter(ua, " chrome/")
		if strings.Contains(ua, " crios/") {
			// Chrome on iOS is WebKit underneath and sends what Safari
			// sends.
			c.engine, c.major = engineWebKit, majorAfter(ua, " crios/")
		}
	case strings.Contains(ua, " firefox/") || strings.Contains(ua, " fxios/"):
		c.engine, c.name, c.major = engineGecko, "firefox", majorAfter(ua, " firefox/")
		if strings.Contains(ua, " fxios/") {
			c.engine, c.major = engineWebKit, majorAfter(ua, " fxios/")
		}
	case strings.Contains(ua, " safari/") && strings.Contains(ua, " version/"):
		c.engine, c.name, c.major = engineWebKit, "safari", majorAfter(ua, " version/")
	default:
		return browserClaim{}, false
	}
	switch {
	case strings.Contains(ua, "android"):
		c.os, c.mobile = "android", strings.Contains(ua, " mobile")
	case strings.Contains(ua, "iphone") || strings.Contains(ua, "ipod"):
		c.os, c.mobile = "ios", true
	case strings.Contains(ua, "ipad"):
		c.os = "ios"
	case strings.Contains(ua, "windows"):
		c.os = "windows"
	case strings.Contains(ua, "macintosh") || strings.Contains(ua, "mac os x"):
		c.os = "macos"
	case strings.Contains(ua, "cros"):
		c.os = "chromeos"
	case strings.Contains(ua, "linux"):
		c.os = "linux"
	}
	return c, true
}

// majorAfter reads the integer after marker in s; 0 when there is none.
func majorAfter(s, marker string) int {
	i := strings.Index(s, marker)
	if i < 0 {
		return 0
	}
	rest := s[i+len(marker):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

// Versions from which browsers send the headers whose absence contradicts
// their claim: fetch metadata (Sec-Fetch-*) since Chrome 76, Firefox 90
// and Safari 16.4; client hints (Sec-CH-UA) on Chromium since 89.
const (
	chromiumFetchMetadata = 80
	chromiumClientHints   = 90
	geckoFetchMetadata    = 90
	webkitFetchMetadata   = 17 // 16.4 shipped it; the major alone cannot tell 16.4 from 16.0
)

// contradictions lists what the request's headers say against its browser
// claim: headers the claimed browser always sends that are missing, and
// headers it never sends, or sends otherwise, that are present.
func contradictions(c browserClaim, h headers, secure bool) []string {
	var out []string
	switch al := strings.TrimSpace(h.get("accept-language")); al {
	case "":
		out = append(out, "no accept-language")
	case "*":
		out = append(out, "accept-language is a wildcard, which no browser sends")
	}
	// Browsers offer Brotli over HTTPS (and gzip everywhere); HTTP
	// libraries mostly offer gzip and deflate only, or nothing.
	ae := strings.ToLower(h.get("accept-encoding"))
	if secure && !strings.Contains(ae, "br") {
		out = append(out, "no br in accept-encoding")
	} else if !secure && !strings.Contains(ae, "gzip") {
		out = append(out, "no gzip in accept-encoding")
	}
	// Fetch metadata comes as a set: a browser that sends one of Site,
	// Mode and Dest sends all three.
	present := 0
	for _, name := range []string{"sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest"} {
		if h.get(name) != "" {
			present++
		}
	}
	fetchMeta := present > 0
	if present > 0 && present < 3 {
		out = append(out, "an incomplete set of sec-fetch-* headers")
	}
	switch c.engine {
	case engineChromium:
		if c.major >= chromiumFetchMetadata && secure && !fetchMeta {
			out = append(out, "no sec-fetch-* headers from "+c.name+" "+strconv.Itoa(c.major))
		}
		ch := h.get("sec-ch-ua")
		if c.major >= chromiumClientHints && secure && ch == "" {
			out = append(out, "no sec-ch-ua client hints from "+c.name+" "+strconv.Itoa(c.major))
		}
		if ch != "" {
			out = append(out, clientHintMismatches(c, ch, h)...)
		}
	case engineGecko, engineWebKit:
		min := geckoFetchMetadata
		if c.engine == engineWebKit {
			min = webkitFetchMetadata
		}
		if c.major >= min && secure && !fetchMeta {
			out = append(out, "no sec-fetch-* headers from "+c.name+" "+strconv.Itoa(c.major))
		}
		if h.get("sec-ch-ua") != "" {
			out = append(out, "sec-ch-ua client hints from "+c.name+", which does not send them")
		}
	}
	return out
}

// clientHintMismatches compares Chromium's client hints with the
// User-Agent they must agree with.
func clientHintMismatches(c browserClaim, ch string, h headers) []string {
	var out []string
	low := strings.ToLower(ch)
	if strings.Contains(low, "headlesschrome") {
		out = append(out, "sec-ch-ua names HeadlessChrome")
	}
	if c.major > 0 && !strings.Contains(low, `v="`+strconv.Itoa(c.major)+`"`) {
		out = append(out, "sec-ch-ua does not carry the user-agent's version "+strconv.Itoa(c.major))
	}
	switch m := h.get("sec-ch-ua-mobile"); m {
	case "?1":
		if !c.mobile {
			out = append(out, "sec-ch-ua-mobile says mobile, the user-agent says desktop")
		}
	case "?0":
		if c.mobile {
			out = append(out, "sec-ch-ua-mobile says desktop, the user-agent says mobile")
		}
	}
	if p := strings.Trim(strings.ToLower(h.get("sec-ch-ua-platform")), `"`); p != "" && c.os != "" {
		want := map[string]string{"windows": "windows", "macos": "macos", "linux": "linux", "android": "android", "chromeos": "chrome os", "ios": "ios"}[c.os]
		if p != want && !(c.os == "linux" && p == "chrome os") {
			// Name the platform only when it is one of the known ones:
			// reasons are logged, and a header value is the client's.
			said := "an unknown platform"
			for _, known := range []string{"windows", "macos", "linux", "android", "chrome os", "ios"} {
				if p == known {
					said = p
				}
			}
			out = append(out, "sec-ch-ua-platform says "+said+" against a "+c.os+" user-agent")
		}
	}
	return out
}
