package ssrf

import "testing"

// TestClassifyHostReadsEveryAddressForm checks that metadata and internal
// addresses are recognised in every form a resolver accepts, with the
// non-canonical forms marked obfuscated, and that public names and
// addresses stay public.
func TestClassifyHostReadsEveryAddressForm(t *testing.T) {
	for _, c := range []struct {
		name, host       string
		kind             HostKind
		isIP, obfuscated bool
	}{
		{"metadata dotted quad", "169.254.169.254", Metadata, true, false},
		{"metadata as one integer", "2852039166", Metadata, true, true},
		{"metadata in hex", "0xa9fea9fe", Metadata, true, true},
		{"metadata ipv4-mapped ipv6", "[::ffff:a9fe:a9fe]", Metadata, true, true},
		{"aws imds over ipv6", "[fd00:ec2::254]", Metadata, true, false},
		{"gcp metadata name", "metadata.google.internal", Metadata, false, false},
		{"loopback", "127.0.0.1", Internal, true, false},
		{"octal loopback", "0177.0.0.1", Internal, true, true},
		{"short loopback", "127.1", Internal, true, true},
		{"localhost", "localhost", Internal, false, false},
		{"private range", "10.0.0.5", Internal, true, false},
		{"public name", "example.com", Public, false, false},
		{"public address", "93.184.216.34", Public, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, isIP, obf := ClassifyHost(c.host)
			if k != c.kind || isIP != c.isIP || obf != c.obfuscated {
				t.Errorf("ClassifyHost(%q) = %v, %v, %v; want %v, %v, %v", c.host, k, isIP, obf, c.kind, c.isIP, c.obfuscated)
			}
		})
	}
}

// TestClassifyHostFollowsWildcardDNS checks names of wildcard-DNS services
// that resolve to the address they embed, and a public name that embeds
// nothing.
func TestClassifyHostFollowsWildcardDNS(t *testing.T) {
	for _, c := range []struct {
		name string
		want HostKind
	}{
		{"169.254.169.254.nip.io", Metadata},
		{"app.169-254-169-254.sslip.io", Metadata},
		{"127.0.0.1.nip.io", Internal},
		{"shop.example.org", Public},
	} {
		if got, _, _ := ClassifyHost(c.name); got != c.want {
			t.Errorf("ClassifyHost(%q) kind = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestHostOfSkipsUserinfoAndPort checks that the host is read after any
// userinfo and before the port, path and query.
func TestHostOfSkipsUserinfoAndPort(t *testing.T) {
	for _, c := range []struct{ rest, want string }{
		{"example.com/path", "example.com"},
		{"user:pw@10.0.0.1:8080/x", "10.0.0.1"},
		{"[::1]:80/", "[::1]"},
		{"host?q=1", "host"},
	} {
		if got := HostOf(c.rest); got != c.want {
			t.Errorf("HostOf(%q) = %q, want %q", c.rest, got, c.want)
		}
	}
}

// TestPathUserinfoHostFindsSecondAuthority checks the host a parser that
// ends the authority at the last '@' reads, and that a user path is not
// one.
func TestPathUserinfoHostFindsSecondAuthority(t *testing.T) {
	for _, c := range []struct{ rest, want string }{
		{"example.com/:x@evil.com/", "evil.com"},
		{"medium.com/@user/post", ""},
		{"example.com/page", ""},
	} {
		if got := PathUserinfoHost(c.rest); got != c.want {
			t.Errorf("PathUserinfoHost(%q) = %q, want %q", c.rest, got, c.want)
		}
	}
}
