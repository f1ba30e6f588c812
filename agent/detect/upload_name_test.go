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
