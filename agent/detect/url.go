package detect

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// hostKind classifies the host of a URL for SSRF.
type hostKind uint8

const (
	hostPublic hostKind = iota
	hostInternal
	hostMetadata
)

var metadataAddrs = [...]netip.Addr{
	netip.AddrFrom4([4]byte{169, 254, 169, 254}), // AWS, GCP, Azure, OpenStack
	netip.AddrFrom4([4]byte{169, 254, 170, 2}),   // ECS task metadata
	netip.AddrFrom4([4]byte{169, 254, 170, 23}),  // EKS pod identity
	netip.AddrFrom4([4]byte{100, 100, 100, 200}), // Alibaba
	netip.AddrFrom4([4]byte{192, 0, 0, 192}),     // Oracle
	netip.MustParseAddr("fd00:ec2::254"),         // AWS IMDS over IPv6
	netip.MustParseAddr("fd00:ec2::23"),
}

var metadataNames = [...]string{"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.packet.net", "metadata.tencentyun.com", "kubernetes.default.svc", "kubernetes.default"}

// wildcardDNS are services that resolve names embedding an IP to that IP.
var wildcardDNS = [...]string{".nip.io", ".sslip.io", ".xip.io", ".nip.direct", ".traefik.me", ".ip.addr.tools", ".localtest.me", ".lvh.me", ".vcap.me", ".lacolhost.com", ".1u.ms", ".rbndr.us", ".localdomain"}

// parseIPish parses host as an IP literal in any form a resolver accepts:
// dotted quads with decimal/octal/hex parts, fewer than four parts, a single
// 32-bit integer, IPv6 (with IPv4-mapped forms). obfuscated is true when the
// form is not the canonical dotted quad.
func parseIPish(host string) (ip netip.Addr, obfuscated, ok bool) {
	h := strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	if strings.IndexByte(h, ':') >= 0 {
		a, err := netip.ParseAddr(h)
		if err != nil {
			return ip, false, false
		}
		if a.Is4In6() || strings.Contains(h, ".") {
			return a.Unmap(), true, true
		}
		// NAT64 / IPv4-compatible forms embed an IPv4 address in the low bits.
		b := a.As16()
		if b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0 && (b[12] != 0) ||
			b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b {
			return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true, true
		}
		return a, false, true
	}
	if h == "" || !isDigit(h[0]) {
		return ip, false, false
	}
	var parts [4]uint64
	n := 0
	for _, p := range strings.Split(h, ".") {
		if n == 4 || p == "" {
			return ip, false, false
		}
		base := 10
		q := p
		switch {
		case len(p) > 2 && (p[:2] == "0x"):
			base, q = 16, p[2:]
			obfuscated = true
		case len(p) > 1 && p[0] == '0':
			base, q = 8, p[1:]
			obfuscated = true
		}
		v, err := strconv.ParseUint(q, base, 64)
		if err != nil && base == 16 && len(q) > 8 {
			// overflowing hex: resolvers keep the low 32 bits
			v, err = strconv.ParseUint(q[len(q)-8:], 16, 64)
			obfuscated = true
		}
		if err != nil {
			return ip, false, false
		}
		if n == 0 && len(strings.Split(h, ".")) == 1 && v > 0xffffffff {
			v &= 0xffffffff // dotless decimal overflow wraps
			obfuscated = true
		}
		parts[n] = v
		n++
	}
	if n != 4 {
		obfuscated = true
	}
	var v uint64
	switch n {
	case 1:
		v = parts[0]
	case 2:
		if parts[0] > 255 || parts[1] > 0xffffff {
			return ip, false, false
		}
		v = parts[0]<<24 | parts[1]
	case 3:
		if parts[0] > 255 || parts[1] > 255 || parts[2] > 0xffff {
			return ip, false, false
		}
		v = parts[0]<<24 | parts[1]<<16 | parts[2]
	case 4:
		for _, p := range parts {
			if p > 255 {
				return ip, false, false
			}
		}
		v = parts[0]<<24 | parts[1]<<16 | parts[2]<<8 | parts[3]
	}
	if v > 0xffffffff {
		return ip, false, false
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), obfuscated, true
}

func classifyAddr(a netip.Addr) hostKind {
	for _, m := range metadataAddrs {
		if a == m {
			return hostMetadata
		}
	}
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsLinkLocalMulticast() ||
		a.Is4() && a.As4()[0] == 0 || a.Is4() && a.As4()[0] == 100 && a.As4()[1]&0xc0 == 64 {
		return hostInternal
	}
	return hostPublic
}

// classifyHost classifies a lower-cased host name or IP literal.
func classifyHost(host string) (k hostKind, isIP, obfuscated bool) {
	if a, obf, ok := parseIPish(host); ok {
		return classifyAddr(a), true, obf
	}
	h := strings.TrimSuffix(host, ".")
	for _, m := range metadataNames {
		if h == m {
			return hostMetadata, false, false
		}
	}
	switch h {
	case "localhost", "localhost.localdomain", "localhost4", "localhost6", "localhost4.localdomain4", "localhost6.localdomain6",
		// public names that resolve to the loopback address
		"localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "ip6-localhost", "ipv6-localhost", "ip6-loopback", "host.docker.internal",
		"gateway.docker.internal", "host.containers.internal", "kubernetes.docker.internal":
		return hostInternal, false, false
	}
	if strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".local") {
		return hostInternal, false, false
	}
	for _, w := range wildcardDNS {
		if strings.HasSuffix(h, w) {
			if w == ".localtest.me" || w == ".lvh.me" || w == ".vcap.me" || w == ".lacolhost.com" {
				return hostInternal, false, true
			}
			return embeddedIP(strings.TrimSuffix(h, w)), false, true
		}
	}
	return hostPublic, false, false
}

// embeddedIP finds the IP a wildcard-DNS name resolves to: "169.254.169.254",
// "app.169-254-169-254", "a9fea9fe".
func embeddedIP(name string) hostKind {
	labels := strings.Split(name, ".")
	if len(labels) >= 4 {
		if a, _, ok := parseIPish(strings.Join(labels[len(labels)-4:], ".")); ok {
			return classifyAddr(a)
		}
	}
	for _, l := range labels {
		if strings.Count(l, "-") >= 3 {
			parts := strings.Split(l, "-")
			if a, _, ok := parseIPish(strings.Join(parts[len(parts)-4:], ".")); ok {
				return classifyAddr(a)
			}
		}
		if len(l) == 8 {
			if v, err := strconv.ParseUint(l, 16, 32); err == nil {
				return classifyAddr(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}))
			}
		}
	}
	return hostInternal // a wildcard-DNS name in a request is suspicious on its own
}

// databaseScheme reports the schemes of database connection strings.
func databaseScheme(scheme string) bool {
	return scheme == "redis" || scheme == "mysql" || scheme == "postgres" || scheme == "memcache"
}

// schemeRisk says what a URL scheme reaches: services a web client has no
// business reaching, local files, or PHP stream wrappers.
func schemeRisk(scheme string) (Class, string, int) {
	switch scheme {
	case "gopher", "dict", "ldap", "ldaps", "tftp", "netdoc", "jar", "sftp", "ssh2", "smb", "telnet", "rmi", "iiop", "redis", "mysql", "postgres", "memcache":
		return SSRF, "ssrf-scheme", 8
	case "file":
		return SSRF, "ssrf-file-scheme", 8
	case "php", "expect", "phar", "zip", "glob", "zlib", "compress.zlib", "compress.bzip2", "rar", "ogg", "ssh2.shell", "ssh2.exec":
		return RFI, "rfi-wrapper", 8
	}
	return "", "", 0
}

// detectURL judges URLs (and bare hosts in URL-like parameters) for SSRF to
// metadata and internal addresses, internal schemes, and remote file
// inclusion.
func (in *input) detectURL() {
	m := in.mask
	if !m.has(bColon|bSlash) && in.sink != sinkURL {
		return
	}
	s := in.lower()
	found := false
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "://")
		if i < 0 {
			break
		}
		i += off
		b := i
		for b > 0 && (isAlnum(s[b-1]) || s[b-1] == '.' || s[b-1] == '+' || s[b-1] == '-') {
			b--
		}
		in.judgeURL(s, b, s[b:i], i+3)
		found = true
		off = i + 3
	}
	if found {
		return
	}
	// Scheme without "//": file:/etc/passwd, php:filter, data:..., expect:id.
	if i := strings.IndexByte(s, ':'); i > 0 && i < 20 {
		scheme := s[:i]
		if c, rule, sc := schemeRisk(scheme); sc > 0 && (i+1 < len(s) && (s[i+1] == '/' || isAlpha(s[i+1]))) {
			if scheme == "file" || scheme == "php" || scheme == "expect" || scheme == "phar" || scheme == "zip" || scheme == "glob" || scheme == "jar" {
				in.emit(c, rule, sc, 0, i+24)
				return
			}
		}
		if scheme == "data" && strings.Contains(s[i:], "base64,") && in.sink == sinkFile {
			in.emit(RFI, "rfi-data-uri", 7, 0, 32)
			return
		}
		// A URL parameter given inline content to fetch: data:text/...,
		// data:application/... (an image data URL is an avatar, not a
		// fetch target).
		if scheme == "data" && i == 4 && (strings.HasPrefix(s[i+1:], "text/") || strings.HasPrefix(s[i+1:], "application/")) {
			in.emit(RFI, "rfi-data-uri", 6, 0, 32)
			return
		}
		// WHATWG URL parsing reads "http:127.0.0.1" and "http:/host" as
		// http://127.0.0.1 and http://host for special schemes. In a URL
		// parameter any host counts; elsewhere an IP literal does (an
		// address written "http:2852039166" is an evasion, not prose).
		if (scheme == "http" || scheme == "https" || scheme == "ftp") && !strings.HasPrefix(s[i+1:], "//") {
			r := strings.TrimLeft(s[i+1:], "/\\")
			h := hostOf(r)
			if in.sink == sinkURL {
				in.judgeHost(s, len(s)-len(r), h, true, scheme)
				return
			}
			if k, isIP, _ := classifyHost(h); isIP && (len(h) >= 6 || h != "" && h[0] == '[') {
				if k == hostInternal {
					in.emit(SSRF, "ssrf-ip-obfuscation", 8, 0, 48)
					return
				}
				in.judgeHost(s, len(s)-len(r), h, true, scheme+":")
				return
			}
		}
	}
	// Scheme-relative or bare host in a URL parameter.
	if in.sink == sinkURL || in.sink == sinkFile {
		h := s
		if strings.HasPrefix(h, "//") {
			h = h[2:]
			if host := hostOf(h); strings.IndexByte(host, '.') > 0 && in.e.Enabled(RFI) {
				if in.sink == sinkFile {
					in.emit(RFI, "rfi-include-param", 8, 0, 32)
				} else if strings.HasSuffix(strings.TrimSpace(s), "?") {
					in.emit(RFI, "rfi-trailing-question", 7, 0, len(s))
				}
			}
		}
		in.judgeHost(s, 0, hostOf(h), in.sink == sinkURL || strings.HasPrefix(s, "//"), "")
	}
}

// includesFile reports whether a URL without scheme ("host/path/x.php")
// reads as a file to include: a bare host, or a path whose last segment has
// an extension. The '?' that follows it then cuts off the extension a
// vulnerable include appends; a page address ending in '?' (an avatar
// link, /avatars/u/5346?) is an ordinary link with an empty query.
func includesFile(rest string) bool {
	slash := strings.IndexByte(rest, '/')
	if slash < 0 || slash == len(rest)-1 {
		return true
	}
	last := rest[strings.LastIndexByte(rest, '/')+1:]
	return strings.IndexByte(last, '.') > 0
}

// hostOf extracts the host from "user@host:port/path?query".
func hostOf(rest string) string {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == '/' || c == '?' || c == '#' || c == '\\' || isSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' {
			end = i
			break
		}
	}
	auth := rest[:end]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	if strings.HasPrefix(auth, "[") {
		if j := strings.IndexByte(auth, ']'); j > 0 {
			return auth[:j+1]
		}
		return auth
	}
	if strings.Count(auth, ":") > 1 && !strings.Contains(auth[:strings.IndexByte(auth, ':')], ".") {
		return auth // bare IPv6 without brackets; "127.1.1.1:80:" is a host, a port and junk
	}
	if j := strings.IndexByte(auth, ':'); j >= 0 {
		auth = auth[:j]
	}
	return auth
}

// judgeURL judges one URL whose scheme is s[b:] and authority starts at a.
func (in *input) judgeURL(s string, b int, scheme string, a int) {
	if b > 0 && s[b-1] == ':' { // jar:http://, netdoc:..., nested schemes
		o := b - 1
		for o > 0 && isAlnum(s[o-1]) {
			o--
		}
		if _, _, sc := schemeRisk(s[o : b-1]); sc > 0 {
			b, scheme = o, s[o:b-1]
		}
	}
	if scheme == "data" {
		in.emit(RFI, "rfi-wrapper", 8, b, a+24)
		return
	}
	if c, rule, sc := schemeRisk(scheme); sc > 0 {
		if databaseScheme(scheme) && in.sink != sinkURL && !in.paranoid() {
			// A database connection string (DATABASE_URL=postgres://...)
			// is configuration, not a fetch: HTTP clients do not speak
			// these schemes, so only a parameter the application fetches
			// makes one a server-side request. gopher:// and dict://, the
			// schemes that smuggle commands to such servers, stay flagged
			// everywhere. No configuration points a database at the
			// metadata service or at an internal address in a disguise
			// (redis://169.254.169.254/, postgres://0x7f000001/): a
			// connection tester that takes such a URL is an SSRF sink,
			// so the host is judged as for any other scheme.
			if host := hostOf(s[a:]); host != "" {
				if k, _, obf := in.classifyHost(host); k == hostMetadata || k == hostInternal && obf {
					in.judgeHost(s, b, host, true, scheme)
				}
			}
			return
		}
		if scheme == "file" {
			if fo, _ := traversal.SensitiveFile(s[a:]); fo >= 0 {
				in.emit(PathTraversal, "lfi-file-url", 9, b, a+fo+16)
			}
			if b > 0 && isSpace(s[b-1]) || b > 0 && s[b-1] == '<' {
				// a file URL written inside a sentence ("references
				// of the form <file:///usr/doc/x> don't work") is
				// the writer's reference; as a whole value, or
				// anywhere in a parameter the application fetches,
				// it is a request for a local file
				if in.sink != sinkURL && !in.paranoid() {
					return
				}
			}
		}
		in.emit(c, rule, sc, b, a+24)
		return
	}
	host := hostOf(s[a:])
	if host == "" && a < len(s) && s[a] == '\\' {
		// \l\o\c\a\l\h\o\s\t: lenient parsers drop the backslashes
		host = s[a:]
		if e := strings.IndexAny(host, "/?# "); e >= 0 {
			host = host[:e]
		}
	}
	web := scheme == "http" || scheme == "https" || scheme == "ftp" || scheme == "ftps" || scheme == "ws" || scheme == "wss" || scheme == ""
	if !web {
		// any other scheme still must not point at metadata, nor at an
		// internal address written in a disguise (ssh://0177.0.0.1,
		// acap://①②⑦.⓪.⓪.①)
		if k, _, obf := in.classifyHost(host); k == hostMetadata || k == hostInternal && obf {
			in.judgeHost(s, b, host, true, scheme)
		}
		return
	}
	in.judgeHost(s, b, host, true, scheme)
	if in.certain() {
		return
	}
	if auth := s[a:min(len(s), a+256)]; strings.IndexByte(auth, '@') >= 0 && in.e.Enabled(SSRF) {
		if e := strings.IndexAny(auth, "/\\"); e >= 0 {
			auth = auth[:e]
		}
		if strings.Count(auth, "@") > 1 || strings.ContainsAny(auth, " #&") {
			userinfoHosts(auth, func(h string) bool {
				if k, _, _ := in.classifyHost(h); k != hostPublic {
					in.emit(SSRF, "ssrf-parser-confusion", 8, b, a+48)
					return true
				}
				return false
			})
		}
	}
	if in.e.disabledClass[RFI] {
		return
	}
	// Remote file inclusion: a remote URL where a file name is expected, or
	// a URL ending in '?' (to cut off an appended extension), or an IP-literal
	// URL as a parameter (the classic RFI shape).
	trailing := strings.TrimRight(s, " \t\r\n")
	switch {
	case in.sink == sinkFile && b == 0:
		in.emit(RFI, "rfi-include-param", 8, b, b+32)
	case b == 0 && strings.HasSuffix(trailing, "?") && len(host) > 0 && includesFile(s[a:len(trailing)-1]):
		in.emit(RFI, "rfi-trailing-question", 7, b, len(s))
	case b == 0 && strings.Contains(s, "?") && strings.HasSuffix(trailing, "??"):
		in.emit(RFI, "rfi-trailing-question", 7, b, len(s))
	}
	if _, isIP, _ := classifyHost(host); isIP && b == 0 {
		in.emit(RFI, "rfi-ip-url", 5, b, b+32)
	}
	if !in.paranoid() {
		return
	}
	if in.v.Part == event.PartPath && b > 0 && s[b-1] == '/' && host != "" {
		// a URL as a path segment, "/get/https://example.com/": proxies
		// and fetchers that take their target from the path
		in.emit(RFI, "rfi-path-url", 5, b, b+32)
		return
	}
	if h2 := pathUserinfoHost(s[a:min(len(s), a+512)]); h2 != "" && h2 != host {
		in.emit(RFI, "rfi-url-confusion", 5, b, b+48)
	}
}

// judgeHost emits SSRF signals for an internal or metadata host. urlish says
// the host was seen in URL position (scheme or URL parameter).
func (in *input) judgeHost(s string, off int, host string, urlish bool, scheme string) {
	if host == "" || !in.e.Enabled(SSRF) {
		return
	}
	k, isIP, obf := in.classifyHost(host)
	switch {
	case obf && k == hostPublic && strings.IndexByte(host, '\\') >= 0 && urlish:
		// a name spelled with backslashes between its letters
		in.emit(SSRF, "ssrf-ip-obfuscation", 6, off, off+48)
	case k == hostMetadata:
		in.emit(SSRF, "ssrf-metadata", 9, off, off+48)
	case k == hostInternal && obf:
		in.emit(SSRF, "ssrf-ip-obfuscation", 8, off, off+48)
	case obf && isIP && urlish:
		in.emit(SSRF, "ssrf-ip-obfuscation", 6, off, off+48)
	case k == hostInternal && in.sink == sinkURL:
		in.emit(SSRF, "ssrf-internal", 7, off, off+48)
	}
}

// classifyHost classifies host after folding the Unicode look-alikes and
// backslashes a resolver or lenient parser removes (see foldHost); a
// folded host counts as obfuscated.
func (in *input) classifyHost(host string) (k hostKind, isIP, obfuscated bool) {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 0x80 || c == '\\' {
			var buf [128]byte
			if len(host) > 4*len(buf) {
				break
			}
			f, changed := foldHost(buf[:0], host)
			if !changed {
				break
			}
			k, isIP, _ = classifyHost(string(f))
			return k, isIP, true
		}
	}
	return classifyHost(host)
}

// pathUserinfoHost reads rest (a URL after "://") the way a parser that
// ends the authority at the last '@' before the query does:
// "example.com/:x@evil.com/" (an encoded "/" the application decoded)
// goes to evil.com there and to example.com elsewhere. It returns that
// host when it looks like one (a dotted name or an IP literal), else "".
// "medium.com/@user/post" names a user, not a host.
func pathUserinfoHost(rest string) string {
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return ""
	}
	r := rest
	if q := strings.IndexAny(r, "?#"); q >= 0 {
		r = r[:q]
	}
	at := strings.LastIndexByte(r, '@')
	if at < slash {
		return ""
	}
	h := hostOf(r[at+1:])
	if strings.IndexByte(h, '.') <= 0 || strings.HasSuffix(h, ".") {
		return ""
	}
	return h
}
