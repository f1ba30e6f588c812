package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// restrictedUploads are file names that configure a shell, an
// interpreter, a web server or a cloud client when written where they are
// read: uploading one is a path to code execution or credential theft.
var restrictedUploads = map[string]int{
	".htaccess": 8, ".htpasswd": 8, ".user.ini": 8, "php.ini": 7, "web.config": 7, ".bashrc": 7, ".bash_profile": 7,
	".bash_login": 7, ".profile": 7, ".zshrc": 7, ".zprofile": 7, ".bash_logout": 6, ".boto": 7, ".s3cfg": 7, ".netrc": 7,
	".npmrc": 7, ".pypirc": 7, ".pgpass": 7, ".my.cnf": 7, ".env": 6, "authorized_keys": 8, "id_rsa": 7, "id_ed25519": 7,
	".gitconfig": 6, ".vimrc": 6, ".exrc": 6, ".inputrc": 5, ".wgetrc": 6, ".curlrc": 6, "config.yml": 5, "config.yaml": 5,
	"mtrr": 5, "acpi": 5,
}

// restrictedUpload scores an uploaded file name (lower-cased, trailing
// blanks and dots removed): a restricted name, or a copy of a PHP
// configuration file such as wp-config.php.bak or wp-config_php.txt.
func restrictedUpload(name string) int {
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	if sc := restrictedUploads[name]; sc > 0 {
		return sc
	}
	if strings.HasPrefix(name, "wp-config") || strings.HasPrefix(name, "configuration.php") || strings.HasPrefix(name, "localsettings.php") {
		return 7
	}
	return 0
}

// scriptExtensions run as code when a server stores and serves an upload.
var scriptExtensions = map[string]bool{"php": true, "phpt": true, "php3": true, "php4": true, "php5": true, "php7": true, "php8": true, "phtml": true, "pht": true, "phps": true, "phar": true, "pgif": true, "shtml": true, "jsp": true, "jspx": true, "jspf": true, "jsw": true, "jsv": true, "asp": true, "aspx": true, "ashx": true, "asmx": true, "asa": true, "cer": true, "cfm": true, "cgi": true, "htaccess": true, "war": true}

// detectUpload judges file names (multipart filename, X-Filename headers)
// for server-side script extensions, after the trailing dots, blanks and
// NUL bytes servers strip.
func (in *input) detectUpload() {
	var buf [32]byte
	k := in.v.Key
	if len(k) > len(buf) {
		return
	}
	lk := unsafeString(appendLower(buf[:0], k))
	if !(strings.Contains(lk, "filename") || strings.Contains(lk, "file-name") || strings.Contains(lk, "file_name") || strings.HasSuffix(in.v.Location, ".filename")) {
		return
	}
	name := strings.TrimRight(in.lower(), " .\t\x00/\\")
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	if sc := restrictedUpload(name); sc > 0 {
		// The weakest names (config.yml) are dangerous only as the
		// name a file is stored under: a multipart file name or an
		// upload header. A field of a JSON document whose key says
		// file name ("single_file_name": "config.yml") names a file
		// elsewhere, as GitHub's installation payloads do.
		if sc > 5 || in.v.Part == event.PartHeader || strings.HasSuffix(in.v.Location, ".filename") {
			in.emit(CodeInj, "script-upload", sc, 0, len(name))
		}
		return
	}
	base := name
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		base = name[i+1:] // /tmp/sess_x, C:\temp\sess_x
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 || dot < len(name)-len(base) {
		if strings.HasPrefix(base, "sess_") {
			in.emit(CodeInj, "script-upload", 6, 0, len(name))
		}
		return
	}
	ext := strings.TrimSpace(name[dot+1:])
	// Apache runs x.php5 and x.php907 alike where the handler matches
	// a "php" prefix
	if strings.HasPrefix(ext, "php") && strings.Trim(ext[3:], "0123456789") == "" {
		ext = "php"
	}
	if scriptExtensions[ext] {
		in.emit(CodeInj, "script-upload", 7, dot, len(name))
	}
}
