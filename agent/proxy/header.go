package proxy

import (
	"net/http"
	"strings"
)

// hasTrailerValues reports whether any trailer in t carries a value: only
// then is a relayed body sent chunked, to carry them.
func hasTrailerValues(t http.Header) bool {
	for _, vv := range t {
		for _, v := range vv {
			if v != "" {
				return true
			}
		}
	}
	return false
}

// Hop-by-hop headers, as in net/http/httputil: they describe one
// connection and must not be forwarded.
var hopHeaders = [...]string{
	"Connection",
	"Proxy-Connection",
	"Keep-Alive",
	"Proxy-Authenticate",
	"Proxy-Authorization",
	"Te",
	"Trailer",
	"Transfer-Encoding",
	"Upgrade",
}

func removeHopHeaders(h http.Header) {
	for _, f := range h["Connection"] {
		for _, name := range strings.Split(f, ",") {
			if name = strings.TrimSpace(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopHeaders {
		h.Del(name)
	}
}

func copyHeader(dst, src http.Header) {
	// one backing array for every copied value list, each capped at its
	// own length so that an append to one never writes into the next
	n := 0
	for _, vv := range src {
		n += len(vv)
	}
	all := make([]string, 0, n)
	for k, vv := range src {
		if len(vv) == 0 {
			dst[k] = nil
			continue
		}
		start := len(all)
		all = append(all, vv...)
		dst[k] = all[start:len(all):len(all)]
	}
}
