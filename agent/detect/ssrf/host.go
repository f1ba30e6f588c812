// Package ssrf reads the hosts and schemes of URLs the way resolvers and
// lenient URL parsers do: IP literals in every form a resolver accepts,
// cloud metadata and internal addresses, wildcard DNS names that embed an
// IP, Unicode look-alikes a resolver folds, and authorities that parsers
// split differently. Package detect turns what it finds into signals.
package ssrf

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// HostKind classifies the host of a URL for SSRF.
type HostKind uint8

const (
	Public   HostKind = iota // any other host
	Internal                 // loopback, private and link-local addresses and names
	Metadata                 // cloud instance metadata services
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

// ParseIPish parses host as an IP literal in any form a resolver accepts:
// dotted quads with decimal/octal/hex parts, fewer than four parts, a single
// 32-bit integer, IPv6 (with IPv4-mapped forms). obfuscated is true when the
// form is not the canonical dotted quad.
func ParseIPish(host string) (ip netip.Addr, obfuscated, ok bool) {
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
	if h == "" || !lex.IsDigit(h[0]) {
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

// classifyAddr classifies an IP address: a metadata address, an internal
// (loopback, private, link-local, unspecified, 0.0.0.0/8, 100.64.0.0/10)
// one, or a public one.
func classifyAddr(a netip.Addr) HostKind {
	for _, m := range metadataAddrs {
		if a == m {
			return Metadata
		}
	}
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsLinkLocalMulticast() ||
		a.Is4() && a.As4()[0] == 0 || a.Is4() && a.As4()[0] == 100 && a.As4()[1]&0xc0 == 64 {
		return Internal
	}
	return Public
}

// EmbeddedIP finds the IP a wildcard-DNS name resolves to: "169.254.169.254",
// "app.169-254-169-254", "a9fea9fe".
func EmbeddedIP(name string) HostKind {
	labels := strings.Split(name, ".")
	if len(labels) >= 4 {
		if a, _, ok := ParseIPish(strings.Join(labels[len(labels)-4:], ".")); ok {
			return classifyAddr(a)
		}
	}
	for _, l := range labels {
		if strings.Count(l, "-") >= 3 {
			parts := strings.Split(l, "-")
			if a, _, ok := ParseIPish(strings.Join(parts[len(parts)-4:], ".")); ok {
				return classifyAddr(a)
			}
		}
		if len(l) == 8 {
			if v, err := strconv.ParseUint(l, 16, 32); err == nil {
				return classifyAddr(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}))
			}
		}
	}
	return Internal // a wildcard-DNS name in a request is suspicious on its own
}

// DatabaseScheme reports the schemes of database connection strings.
func DatabaseScheme(scheme string) bool {
	return scheme == "redis" || scheme == "mysql" || scheme == "postgres" || scheme == "memcache"
}

// IncludesFile reports whether a URL without scheme ("host/path/x.php")
// reads as a file to include: a bare host, or a path whose last segment has
// an extension. The '?' that follows it then cuts off the extension a
// vulnerable include appends; a page address ending in '?' (an avatar
// link, /avatars/u/5346?) is an ordinary link with an empty query.
func IncludesFile(rest string) bool {
	slash := strings.IndexByte(rest, '/')
	if slash < 0 || slash == len(rest)-1 {
		return true
	}
	last := rest[strings.LastIndexByte(rest, '/')+1:]
	return strings.IndexByte(last, '.') > 0
}

// HostOf extracts the host from "user@host:port/path?query".
func HostOf(rest string) string {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == '/' || c == '?' || c == '#' || c == '\\' || lex.IsSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' {
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

// PathUserinfoHost reads rest (a URL after "://") the way a parser that
// ends the authority at the last '@' before the query does:
// "example.com/:x@evil.com/" (an encoded "/" the application decoded)
// goes to evil.com there and to example.com elsewhere. It returns that
// host when it looks like one (a dotted name or an IP literal), else "".
// "medium.com/@user/post" names a user, not a host.
func PathUserinfoHost(rest string) string {
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
	h := HostOf(r[at+1:])
	if strings.IndexByte(h, '.') <= 0 || strings.HasSuffix(h, ".") {
		return ""
	}
	return h
}

// ClassifyHost classifies a lower-cased host name or IP literal.
func ClassifyHost(host string) (k HostKind, isIP, obfuscated bool) {
	if a, obf, ok := ParseIPish(host); ok {
		return classifyAddr(a), true, obf
	}
	h := strings.TrimSuffix(host, ".")
	for _, m := range metadataNames {
		if h == m {
			return Metadata, false, false
		}
	}
	switch h {
	case "localhost", "localhost.localdomain", "localhost4", "localhost6", "localhost4.localdomain4", "localhost6.localdomain6",
		// public names that resolve to the loopback address
		"localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "ip6-localhost", "ipv6-localhost", "ip6-loopback", "host.docker.internal",
		"gateway.docker.internal", "host.containers.internal", "kubernetes.docker.internal":
		return Internal, false, false
	}
	if strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".local") {
		return Internal, false, false
	}
	for _, w := range wildcardDNS {
		if strings.HasSuffix(h, w) {
			if w == ".localtest.me" || w == ".lvh.me" || w == ".vcap.me" || w == ".lacolhost.com" {
				return Internal, false, true
			}
			return EmbeddedIP(strings.TrimSuffix(h, w)), false, true
		}
	}
	return Public, false, false
}
