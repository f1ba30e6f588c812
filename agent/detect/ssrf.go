package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/ssrf"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

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
	if (in.sink == sinkFile || in.sink == sinkURL || in.sink == sinkCmd) && m.has(bBackslash) && in.uncPath() {
		return
	}
	if !m.has(bColon|bSlash) && in.sink != sinkURL {
		return
	}
	s := in.lower()
	found := false
	for off := 0; off < len(s); {
		i := lex.Index(s[off:], "://")
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
			h := ssrf.HostOf(r)
			if in.sink == sinkURL {
				in.judgeHost(s, len(s)-len(r), h, true, scheme)
				return
			}
			if k, isIP, _ := ssrf.ClassifyHost(h); isIP && (len(h) >= 6 || h != "" && h[0] == '[') {
				if k == ssrf.Internal {
					in.emit(SSRF, "ssrf-ip-obfuscation", 8, 0, 48)
					return
				}
				in.judgeHost(s, len(s)-len(r), h, true, scheme+":")
				return
			}
		}
	}
	// Scheme-relative or bare host in a URL parameter: one word (a
	// sentence in a parameter named "data" or "source" is no host).
	if (in.sink == sinkURL || in.sink == sinkFile) && !m.has(bSpace|bNewline) {
		h := s
		if strings.HasPrefix(h, "//") {
			h = h[2:]
			if host := ssrf.HostOf(h); strings.IndexByte(host, '.') > 0 && in.e.Enabled(RFI) {
				if in.sink == sinkFile {
					in.emit(RFI, "rfi-include-param", 8, 0, 32)
				} else if strings.HasSuffix(strings.TrimSpace(s), "?") {
					in.emit(RFI, "rfi-trailing-question", 7, 0, len(s))
				}
			}
		}
		if host := ssrf.HostOf(h); h != s || !ssrf.PlainNumber(host) {
			// a bare number is a page or a count ("next=2"), not a host
			in.judgeHost(s, 0, host, in.sink == sinkURL || strings.HasPrefix(s, "//"), "")
		}
	}
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
		if ssrf.DatabaseScheme(scheme) && in.sink != sinkURL && !in.paranoid() {
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
			if host := ssrf.HostOf(s[a:]); host != "" {
				if k, _, obf := ssrf.ClassifyFolded(host); k == ssrf.Metadata || k == ssrf.Internal && obf {
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
	host := ssrf.HostOf(s[a:])
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
		if k, _, obf := ssrf.ClassifyFolded(host); k == ssrf.Metadata || k == ssrf.Internal && obf {
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
			ssrf.UserinfoHosts(auth, func(h string) bool {
				if k, _, _ := ssrf.ClassifyFolded(h); k != ssrf.Public {
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
	case b == 0 && strings.HasSuffix(trailing, "?") && len(host) > 0 && ssrf.IncludesFile(s[a:len(trailing)-1]):
		in.emit(RFI, "rfi-trailing-question", 7, b, len(s))
	case b == 0 && strings.Contains(s, "?") && strings.HasSuffix(trailing, "??"):
		in.emit(RFI, "rfi-trailing-question", 7, b, len(s))
	}
	if _, isIP, _ := ssrf.ClassifyHost(host); isIP && b == 0 {
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
	if h2 := ssrf.PathUserinfoHost(s[a:min(len(s), a+512)]); h2 != "" && h2 != host {
		in.emit(RFI, "rfi-url-confusion", 5, b, b+48)
	}
}

// judgeHost emits SSRF signals for an internal or metadata host. urlish says
// the host was seen in URL position (scheme or URL parameter).
func (in *input) judgeHost(s string, off int, host string, urlish bool, scheme string) {
	if host == "" || !in.e.Enabled(SSRF) {
		return
	}
	k, isIP, obf := ssrf.ClassifyFolded(host)
	switch {
	case obf && k == ssrf.Public && strings.IndexByte(host, '\\') >= 0 && urlish:
		// a name spelled with backslashes between its letters
		in.emit(SSRF, "ssrf-ip-obfuscation", 6, off, off+48)
	case k == ssrf.Metadata:
		in.emit(SSRF, "ssrf-metadata", 9, off, off+48)
	case k == ssrf.Internal && obf:
		in.emit(SSRF, "ssrf-ip-obfuscation", 8, off, off+48)
	case obf && isIP && urlish:
		in.emit(SSRF, "ssrf-ip-obfuscation", 6, off, off+48)
	case k == ssrf.Internal && in.sink == sinkURL:
		in.emit(SSRF, "ssrf-internal", 7, off, off+48)
	case k == ssrf.Internal && urlish && lambdaEndpointAfter(s[off:], host):
		// the function's own Runtime API or secrets, in any parameter
		in.emit(SSRF, "ssrf-internal", 8, off, off+48)
	}
}

// lambdaEndpointAfter reports whether the URL in s whose host is host
// names a loopback endpoint of the Lambda environment by its path.
func lambdaEndpointAfter(s, host string) bool {
	h := strings.Index(s, host)
	return h >= 0 && ssrf.LambdaLocalEndpoint(s[h:])
}

// uncPath judges a UNC path where a file name, a URL or a command is
// expected (\\host\share\file): Windows opens it over SMB, which includes
// or runs a remote file and hands the host the server's NTLM credentials.
func (in *input) uncPath() bool {
	s := in.lower()
	if !strings.HasPrefix(s, `\\`) || !in.e.Enabled(RFI) {
		return false
	}
	rest := s[2:]
	e := strings.IndexAny(rest, `\/`)
	if e <= 0 || e == len(rest)-1 {
		return false // a host and something on it
	}
	if host := rest[:e]; host == "?" || host == "." {
		return false // \\?\C:\ and \\.\ name local paths and devices
	}
	in.emit(RFI, "rfi-include-param", 8, 0, 32)
	return true
}
