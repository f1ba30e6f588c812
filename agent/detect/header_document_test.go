package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestFieldsOfDocumentsInHeadersAreNamedAsParameters: a standard
// header's value is the protocol's, and its name says nothing of a sink;
// a custom header ("X-File-Name") and a field of a document a header
// carries (a JSON Web Token's claim, JSON in a custom header) are the
// application's, and their names are read as a parameter's are.
func TestFieldsOfDocumentsInHeadersAreNamedAsParameters(t *testing.T) {
	e := New(Options{})
	claim := func(name, text string, decoded ...string) event.Value {
		return event.Value{Part: event.PartHeader, Location: "header.authorization." + name, Key: name, Text: text, Record: -1, Decoded: decoded}
	}
	tests := []struct {
		name   string
		v      event.Value
		attack bool
	}{
		{"a command where a JWT claim names a host", claim("host", "sleep 10", "jwt"), true},
		{"a system file where a JSON field in a header names a file", event.Value{Part: event.PartHeader, Location: "header.x-data.file", Key: "file", Text: "/etc/cron.d/job", Record: -1, Decoded: []string{"json"}}, true},
		{"the same command as a header's own value", hdr("x-host", "sleep 10"), false},
		{"a climb in a custom header that names a file", hdr("x-file-name", "../app/config.yml"), true},
		{"a system file in a custom header that names a path", hdr("x-file-path", "/etc/cron.d/job"), true},
		{"the same climb in a standard header", hdr("referer", "../app/config.yml"), false},
		{"the same climb in a custom header named as no sink", hdr("x-request-id", "../app/config.yml"), false},
		{"a log directory in a custom header that names a path", hdr("x-log-path", "/var/log/myapp"), false},
		{"a header named host decoded from base64", event.Value{Part: event.PartHeader, Location: "header.host", Key: "host", Text: "sleep 10", Record: -1, Decoded: []string{"base64"}}, false},
		{"a claim named as no sink", claim("sub", "sleep 10", "jwt"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := e.Inspect(tt.v, nil)
			attack := false
			for _, s := range sigs {
				attack = attack || s.Class.IsAttack()
			}
			if attack != tt.attack {
				t.Errorf("%s %q: %s, want attack %v", tt.v.Location, tt.v.Text, classes(sigs), tt.attack)
			}
		})
	}
}
