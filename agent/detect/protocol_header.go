package detect

import (
	"net/netip"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// protocolValue reports whether text, a value of the request header
// named name, is wholly a value of that header's standard grammar (RFC
// 9110 media ranges, language ranges, content codings, cache directives,
// numbers, address lists, the load balancers' trace ids), written with no
// character those grammars do not need.
//
// Such a value holds no quote, bracket, '<', '$', backslash, '%' or '/'
// beyond a media type's one, no blank inside a token: nothing a
// database, shell, template, page or file system reads as code, and
// nothing the detectors find an attack in (TestSkippingProtocolValuesLosesNoAttack
// holds them to that over the corpora). Every browser and client sends
// these headers on every request, and judging "application/json" or
// "en-GB,en;q=0.9" through every detector costs microseconds per header
// for nothing. A value the grammar does not cover (a quoted parameter,
// an unregistered media type such as "etc/passwd", a dotted or long
// token, a stray character) is judged as any other value; the Host and
// User-Agent headers, free text to the detectors, always are.
func protocolValue(name, text string) bool {
	if len(text) == 0 || len(text) > 1024 || len(name) > len("upgrade-insecure-requests") {
		return false
	}
	var buf [32]byte
	switch string(lex.AppendLower(buf[:0], name)) {
	case "accept", "content-type":
		return everyElement(text, mediaRange)
	case "accept-language", "content-language":
		return everyElement(text, languageRange)
	case "accept-encoding", "content-encoding", "accept-charset", "te", "connection":
		return everyElement(text, coding)
	case "cache-control", "pragma":
		return everyElement(text, directive)
	case "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user":
		return text == "?1" || text == "?0" || name20(text)
	case "x-amzn-trace-id":
		return traceID(text)
	case "content-length", "x-forwarded-port", "upgrade-insecure-requests", "dnt", "max-forwards":
		return len(text) <= 20 && lex.IsDigits(text)
	case "x-forwarded-proto":
		return len(text) <= 8 && lex.IsLetters(text)
	case "x-forwarded-for":
		return everyElement(text, address)
	}
	return false
}

// everyElement reports whether text is a comma-separated list (RFC 9110
// section 5.6.1, blanks around the commas, no empty element) each of
// whose elements ok accepts.
func everyElement(text string, ok func(string) bool) bool {
	for text != "" {
		el, rest, more := strings.Cut(text, ",")
		if el = lex.TrimBlanks(el); !ok(el) {
			return false
		}
		if text = rest; more && lex.TrimBlanks(text) == "" {
			return false
		}
	}
	return true
}

// mediaTypes are the registered top-level media types (IANA), and "*".
var mediaTypes = [...]string{"*", "application", "audio", "example", "font", "haptics", "image", "message", "model", "multipart", "text", "video"}

// mediaRange is type "/" subtype *( ";" name "=" value ), the type a
// registered one, the rest tokens (no quoted strings).
func mediaRange(el string) bool {
	typ, rest, ok := strings.Cut(el, "/")
	if !ok || !registeredType(typ) {
		return false
	}
	sub, params, _ := strings.Cut(rest, ";")
	if !headerToken(lex.TrimBlanksRight(sub)) {
		return false
	}
	return parameters(params)
}

func registeredType(t string) bool {
	for _, m := range mediaTypes {
		if len(t) == len(m) && strings.EqualFold(t, m) {
			return true
		}
	}
	return false
}

// parameters is *( ";" name "=" value ) after the first ';' (already
// cut): each a token, blanks allowed around the ';'.
func parameters(s string) bool {
	for s != "" {
		p, rest, _ := strings.Cut(s, ";")
		name, value, ok := strings.Cut(lex.TrimBlanks(p), "=")
		if !ok || !headerToken(name) || !headerToken(value) {
			return false
		}
		s = rest
	}
	return true
}

// directive is a cache directive: a name of letters and '-', alone or
// with a number ("no-cache", "max-age=0"); other values are left to the
// detectors.
func directive(el string) bool {
	name, value, ok := strings.Cut(el, "=")
	if name == "" || len(name) > 32 || ok && (len(value) > 12 || !lex.IsDigits(value)) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !lex.IsAlpha(name[i]) && name[i] != '-' {
			return false
		}
	}
	return true
}

// traceID is an X-Amzn-Trace-Id: fields such as Root, Parent and Sampled,
// each a name of letters "=" hex digits and '-'
// ("Root=1-67891233-abcdef012345678912345678;Sampled=1").
func traceID(s string) bool {
	if len(s) > 256 {
		return false
	}
	for s != "" {
		f, rest, _ := strings.Cut(s, ";")
		name, value, ok := strings.Cut(f, "=")
		if !ok || value == "" || !lex.IsLetters(name) {
			return false
		}
		for i := 0; i < len(value); i++ {
			if _, hex := lex.Unhex(value[i]); !hex && value[i] != '-' {
				return false
			}
		}
		s = rest
	}
	return true
}

// languageRange is "*" or 1*8ALPHA *("-" 1*8alphanum), with an optional
// weight.
func languageRange(el string) bool {
	tag, params, _ := strings.Cut(el, ";")
	tag = lex.TrimBlanksRight(tag)
	if tag == "*" {
		return weight(params)
	}
	for i := 0; ; i++ {
		sub, rest, more := strings.Cut(tag, "-")
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			if !lex.IsAlpha(sub[j]) && (i == 0 || !lex.IsDigit(sub[j])) {
				return false
			}
		}
		if !more {
			return weight(params)
		}
		tag = rest
	}
}

// coding is a content coding, a charset or a connection option ("gzip",
// "iso-8859-1", "keep-alive", "*") with an optional weight.
func coding(el string) bool {
	c, params, _ := strings.Cut(el, ";")
	c = lex.TrimBlanksRight(c)
	return (c == "*" || name20(c)) && weight(params)
}

// name20 is a registry name as codings, charsets and fetch metadata
// spell them: a letter, then at most 19 letters, digits, '-' or '_'. A
// dotted name (a class name), a long one (base64) and a '=' are left to
// the detectors.
func name20(s string) bool {
	if s == "" || len(s) > 20 || !lex.IsAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !lex.IsAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// weight is what follows a ';' in an element that takes only a weight:
// nothing, or "q=" and a number.
func weight(s string) bool {
	if s == "" {
		return true
	}
	name, value, ok := strings.Cut(lex.TrimBlanks(s), "=")
	if !ok || name != "q" && name != "Q" || value == "" || len(value) > 5 {
		return false
	}
	for i := 0; i < len(value); i++ {
		if !lex.IsDigit(value[i]) && value[i] != '.' {
			return false
		}
	}
	return true
}

// headerToken is a nonempty run of letters, digits and the token characters
// no family reads as syntax: '-', '.', '_', '+', '*'. Two dots in a row
// are no token of these grammars ("..").
func headerToken(s string) bool {
	if s == "" || len(s) > 128 || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !lex.IsAlnum(c) && c != '-' && c != '.' && c != '_' && c != '+' && c != '*' {
			return false
		}
	}
	return true
}

// address is an IP address as a proxy writes it in X-Forwarded-For,
// without a zone (which may hold any character).
func address(el string) bool {
	for i := 0; i < len(el); i++ {
		if _, hex := lex.Unhex(el[i]); !hex && el[i] != '.' && el[i] != ':' {
			return false
		}
	}
	_, err := netip.ParseAddr(el)
	return err == nil
}
