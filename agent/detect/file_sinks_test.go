package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// uploadName is a multipart part's file name as the decoder locates it.
func uploadName(part, name string) event.Value {
	return event.Value{Part: event.PartBody, Location: "body." + part + ".filename", Key: part, Text: name, Record: -1}
}

// TestUploadFileNamesAreReadAsFilePaths: an upload's file name is where
// the handler may write it, whatever the part is called, so a system
// path or a climb out of the upload directory is read as a file name
// would be; a URL there is only a strange name, not an inclusion.
func TestUploadFileNamesAreReadAsFilePaths(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name string
		file string
		want string // a rule expected among the signals, or "" for no attack
	}{
		{"system file", "/etc/cron.d/job", "lfi-sensitive-file"},
		{"boot directory", "/boot/grub/grub.cfg", "lfi-sensitive-file"},
		{"a daemon's pid file", "/var/run/httpd.pid", "lfi-sensitive-file"},
		{"a lock", "/var/lock/samba", "lfi-sensitive-file"},
		{"a system library's settings", "/usr/lib/security/mkuser.default", "lfi-sensitive-file"},
		{"an application's log directory", "/var/log/myapp", ""},
		{"a name under a program directory", "/bin/report.html", ""},
		{"plain document", "Quarterly report (final).pdf", ""},
		{"photo", "IMG_20240312_190358.jpg", ""},
		{"dotted name", "archive.tar.gz", ""},
		{"a URL as a name", "https://example.com/picture.png", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := e.Inspect(uploadName("upload", tt.file), nil)
			attack, found := false, false
			for _, s := range sigs {
				attack = attack || s.Class.IsAttack()
				found = found || s.Rule == tt.want
			}
			if tt.want == "" && attack || tt.want != "" && !found {
				t.Errorf("%q: %s, want %q", tt.file, classes(sigs), tt.want)
			}
		})
	}
}

// TestPathSegmentsHoldingSlashesAreReadAsFilePaths: a route parameter
// sent with its slashes escaped (%2F) reaches the handler as one path,
// so a system path there is read as a file parameter's would be; one
// without a slash of its own is an identifier.
func TestPathSegmentsHoldingSlashesAreReadAsFilePaths(t *testing.T) {
	e := New(Options{})
	seg := func(text string) event.Value {
		return event.Value{Part: event.PartPath, Location: "path[3]", Text: text, Record: -1, Decoded: []string{"url"}}
	}
	tests := []struct {
		name   string
		v      event.Value
		attack bool
	}{
		{"a system file in one segment", seg("/etc/cron.d/job"), true},
		{"a document path in one segment", seg("docs/2024/report.pdf"), false},
		{"a URL in one segment", seg("https://example.com/a/b"), false},
		{"an identifier", seg("etc"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := e.Inspect(tt.v, nil)
			if got := hasClass(sigs, PathTraversal); got != tt.attack {
				t.Errorf("%q: %s, want path traversal %v", tt.v.Text, classes(sigs), tt.attack)
			}
		})
	}
}
