package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// resolveLookups evaluates Log4j-style ${...} lookups the way Log4j 2 would
// before a JNDI lookup happens, so ${${lower:j}ndi:...}, ${::-j}, ${env:X:-j}
// and ${date:'j'} all reduce to their letters. JNDI lookups are kept literal.
// Work is bounded: depth and output length are capped.
func resolveLookups(dst []byte, s string, depth int) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' && depth < 16 && len(dst) < 1<<16 {
			end := matchBrace(s, i+1)
			if end < 0 {
				dst = append(dst, s[i:]...)
				return dst
			}
			start := len(dst)
			dst = resolveLookups(dst, s[i+2:end], depth+1)
			inner := string(dst[start:])
			dst = dst[:start]
			dst = append(dst, evalLookup(inner)...)
			i = end
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

func matchBrace(s string, open int) int {
	d := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '{':
			d++
		case '}':
			d--
			if d == 0 {
				return j
			}
		}
	}
	return -1
}

// evalLookup returns what a resolved lookup body expands to.
func evalLookup(body string) string {
	b := strings.TrimSpace(body)
	if strings.HasPrefix(b, "jndi:") {
		return "${" + b + "}"
	}
	if i := strings.Index(b, ":-"); i >= 0 {
		return b[i+2:]
	}
	if i := strings.IndexByte(b, ':'); i >= 0 {
		prefix, arg := b[:i], b[i+1:]
		switch prefix {
		case "lower", "upper", "base64", "main", "map", "sd", "marker":
			return arg
		case "date":
			return strings.Trim(arg, "'")
		}
		return "" // env:, sys:, java:, ctx: ... expand to values we cannot know
	}
	return ""
}

var jndiProtocols = [...]string{"ldap", "ldaps", "rmi", "dns", "iiop", "corba", "nds", "nis", "http", "https"}

// detectJNDI finds Log4Shell lookups after resolving nested obfuscation.
func (in *input) detectJNDI() {
	if !in.e.Enabled(JNDI) {
		return
	}
	m := in.mask
	if !m.hasAll(bDollar | bLBrace) {
		return
	}
	s := in.lower()
	i := lex.Index(s, "${")
	if i < 0 {
		return
	}
	if strings.Contains(s, "${jndi:") {
		in.emit(JNDI, "jndi-lookup", 10, strings.Index(s, "${jndi:"), strings.Index(s, "${jndi:")+40)
		return
	}
	in.sc.tmp = resolveLookups(in.sc.tmp[:0], s[i:], 0)
	r := unsafeString(in.sc.tmp)
	if j := strings.Index(r, "${jndi:"); j >= 0 {
		in.emit(JNDI, "jndi-lookup-obfuscated", 10, i, i+48)
		return
	}
	// A lookup that resolved to jndi text without the ${ wrapper, e.g.
	// ${${::-j}ndi:ldap://...}: the outer ${ was consumed.
	if strings.Contains(r, "jndi:") {
		for _, p := range jndiProtocols {
			if strings.Contains(r, "jndi:"+p+":") {
				in.emit(JNDI, "jndi-lookup-obfuscated", 10, i, i+48)
				return
			}
		}
	}
	// Nested lookups used for exfiltration over DNS: ${env:AWS_SECRET_ACCESS_KEY}.
	for _, p := range [...]string{"${env:", "${sys:", "${java:", "${ctx:", "${main:", "${bundle:", "${lower:", "${upper:", "${::-", "${date:", "${base64:", "${k8s:", "${docker:", "${spring:", "${web:", "${log4j:", "${jvmrunargs:", "${sd:", "${event:"} {
		if j := strings.Index(s, p); j >= 0 {
			in.emit(JNDI, "log4j-lookup", 7, j, j+40)
			return
		}
	}
}
