// Package traversal reads a value as a file path the way a file system
// would: it normalises every encoding of dots and slashes (residual
// percent-escapes, overlong UTF-8, backslashes, look-alike slashes, NUL),
// counts the segments that climb out of a directory and names the
// sensitive system files a path reaches. Package detect turns what it finds
// into signals.
package traversal

import (
	"bytes"
	"iter"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Normalize writes a path-normalised copy of s into dst: lower case, '\' and
// look-alike slashes as '/', residual percent-encodings of dots and slashes
// decoded, overlong UTF-8 dots/slashes folded, NUL bytes dropped (reported
// through nul). Repeated slashes collapse.
func Normalize(dst []byte, s string) (out []byte, nul bool) {
	for i := 0; i < len(s); i++ {
		if pathPlain[s[i]] {
			// a run of bytes copied as they are, in one append
			j := i + 1
			for j < len(s) && pathPlain[s[j]] {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j - 1
			continue
		}
		c := s[i]
		switch {
		case c == '%' && i+5 < len(s) && s[i+3] == '%' && (s[i+1] == 'c' || s[i+1] == 'C') && (s[i+2] == '0' || s[i+2] == '1'):
			// %c0%af, %c0%2e, %c1%9c: a two-byte overlong sequence that
			// lenient UTF-8 decoders (old IIS, Tomcat) read as the
			// character its low bits spell
			if b2, ok := lex.Unhex2(s[i+4], s[i+5]); ok {
				if ch := (s[i+2]-'0')<<6 | b2&0x3f; ch == '.' || ch == '/' || ch == '\\' {
					c = ch
					i += 5
				}
			}
		case c == '0' && (i == 0 || !lex.IsWord(s[i-1]) || i >= 4 && s[i-4] == '0' && s[i-3] == 'x'):
			// 0x2e0x2e0x2f: the bytes of ../ spelled as hex literals
			if h, ok := hexPathByte(s, i); ok {
				c = h
				i += 3
			}
		case c == '%' && i+2 < len(s):
			if h, ok := lex.Unhex2(s[i+1], s[i+2]); ok && (h == '.' || h == '/' || h == '\\' || h == 0 || h == '%') {
				c = h
				i += 2
				if c == '%' { // double encoding: decode the next level too
					if i+2 < len(s) {
						if h2, ok := lex.Unhex2(s[i+1], s[i+2]); ok && (h2 == '.' || h2 == '/' || h2 == '\\') {
							c = h2
							i += 2
						}
					}
				}
			} else if i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
				h, ok1 := lex.Unhex2(s[i+2], s[i+3])
				l, ok2 := lex.Unhex2(s[i+4], s[i+5])
				if ok1 && ok2 {
					switch {
					case h == 0 && (l == '.' || l == '/' || l == '\\'):
						c = l
						i += 5
					case h == 0x22 && (l == 0x15 || l == 0x16), h == 0xff && (l == 0x0f || l == 0x3c), h == 0x20 && l == 0x44,
						h == 0xef && l == 0xc8, h == 0xf0 && l == 0x25:
						// ∕ ∖ ／ ＼ ⁄, and the private-use code points
						// IIS's best-fit mapping reads as separators
						c = '/'
						i += 5
					case h == 0xff && l == 0x0e:
						c = '.'
						i += 5
					}
				}
			}
		case c == 0xc0 || c == 0xc1:
			if i+1 < len(s) {
				switch s[i+1] {
				case 0xae:
					c = '.'
					i++
				case 0xaf, 0x9c, 0x81:
					c = '/'
					i++
				}
			}
		case c == 0xe0 && i+2 < len(s) && s[i+1] == 0x80:
			switch s[i+2] {
			case 0xae:
				c = '.'
				i += 2
			case 0xaf:
				c = '/'
				i += 2
			}
		case c == 0xef && i+2 < len(s) && s[i+1] == 0xbc: // fullwidth ．／＼
			switch s[i+2] {
			case 0x8e:
				c = '.'
				i += 2
			case 0x8f, 0xbc:
				c = '/'
				i += 2
			}
		case c == 0xe2 && i+2 < len(s) && (s[i+1] == 0x88 && (s[i+2] == 0x95 || s[i+2] == 0x96) || s[i+1] == 0x81 && s[i+2] == 0x84): // ∕ ∖ ⁄
			c = '/'
			i += 2
		case c == 0xee && i+2 < len(s) && s[i+1] == 0xbf && s[i+2] == 0x88, c == 0xef && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0xa5:
			// U+EFC8, U+F025: separators to IIS's best-fit mapping
			c = '/'
			i += 2
		}
		if c == 0 {
			nul = true
			continue
		}
		if c == '\\' {
			c = '/'
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '/' && len(dst) > 0 && dst[len(dst)-1] == '/' {
			continue
		}
		dst = append(dst, c)
	}
	if bareHexAfterDots(dst) {
		dst = decodeBareHex(dst)
	}
	return dst, nul
}

// bareHexAfterDots reports whether p (lower case) holds "..2f" or "..5c":
// a slash or backslash written as the two hex digits of its escape with
// the '%' left out ("..2f..2fetc2fpasswd"), which decoders that strip a
// '%' they cannot place (or a second decoding after one that removed it)
// turn back into the separator.
func bareHexAfterDots(p []byte) bool {
	return bytes.Contains(p, []byte("..2f")) || bytes.Contains(p, []byte("..5c"))
}

// decodeBareHex rewrites, in place, every "2f" and "5c" right after ".."
// as '/'.
func decodeBareHex(p []byte) []byte {
	w := 0
	for r := 0; r < len(p); r++ {
		if r+1 < len(p) && w >= 2 && p[w-1] == '.' && p[w-2] == '.' && (p[r] == '2' && p[r+1] == 'f' || p[r] == '5' && p[r+1] == 'c') {
			p[w] = '/'
			w++
			r++
			continue
		}
		p[w] = p[r]
		w++
	}
	return p[:w]
}

// pathPlain marks the bytes Normalize copies unchanged whatever surrounds
// them: not an escape's first byte, not the lead byte of an overlong or
// look-alike dot or slash, not NUL, a backslash, a slash (runs collapse)
// or an upper-case letter.
var pathPlain = func() (t [256]bool) {
	for c := range t {
		t[c] = true
	}
	for _, c := range []byte{'%', '0', 0xc0, 0xc1, 0xe0, 0xee, 0xef, 0xe2, 0, '\\', '/'} {
		t[c] = false
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = false
	}
	return t
}()

// sensitiveFiles are files whose names in a parameter mean local file
// inclusion, matched on segment boundaries of the normalised path.
var sensitiveFiles = [...]string{
	"etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/hostname", "etc/sudoers",
	"etc/crontab", "etc/fstab", "etc/resolv.conf", "etc/motd", "etc/profile", "etc/environment", "etc/security/",
	"etc/mysql/", "etc/httpd/", "etc/apache2/", "etc/nginx/", "etc/ssh/", "etc/ssl/private", "etc/master.passwd",
	"etc/pwd.db", "etc/spwd.db", "etc/subuid", "etc/subgid", "etc/gshadow", "etc/os-release", "etc/lsb-release", "etc/redhat-release",
	"proc/self/", "proc/version", "proc/cpuinfo", "proc/meminfo", "proc/net/", "proc/mounts", "proc/1/",
	// a log file (see FileBoundary), or the system's logs by name; not
	// /var/log as such: /var/log/myapp is an application's own log
	// directory in its configuration
	"var/log/", "var/log/syslog", "var/log/messages", "var/log/secure", "var/log/wtmp", "var/log/btmp",
	"var/log/lastlog", "var/log/apache", "var/log/httpd/", "var/log/nginx/", "var/log/mail",
	"var/log/audit/", "var/log/faillog", "var/log/cloud-init", "var/run/secrets", "var/lib/mysql", "var/mail/", "var/spool/", "var/task/", "var/runtime/",
	"root/.", ".bash_history", ".zsh_history", ".ssh/", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
	"authorized_keys", "known_hosts", ".aws/credentials", ".aws/config", ".kube/config", ".docker/config.json",
	".git/config", ".git/head", ".gitconfig", ".git-credentials", ".svn/entries", ".hg/", ".env", ".htaccess",
	".htpasswd", "web.config", "wp-config.php", "boot.ini", "win.ini", "system.ini", "windows/system32",
	"winnt/system32", "system32/config", "system32/drivers/etc", "inetpub/", "autoexec.bat", "config.sys",
	".bashrc", ".bash_profile", ".profile", ".npmrc", ".pgpass", ".my.cnf", ".netrc", "php.ini", "my.ini",
	"my.cnf", "httpd.conf", "nginx.conf", "tomcat-users.xml", "web-inf/", "meta-inf/", "server.xml",
	"applicationhost.config", "sam", "ntds.dit", "repair/sam", "opt/extensions", "usr/local/etc",
	"dev/tcp/", "dev/udp/", "dev/stdin", "dev/fd/", "localsettings.php", "configuration.php", "settings.php",
	"database.yml", "secrets.yml", "credentials.xml", "appsettings.json", ".dockerenv",
	"etc/subuid", "etc/subgid", "etc/gshadow", "etc/login.defs", "etc/inittab", "etc/shells", "sys/class/",
	"sys/kernel/", "sys/firmware/", "sys/module/", "sys/devices/", "sys/class", "debug.log", "error.log",
	"errors.log", "access.log", ".claude/", ".cursor/", ".zed/", ".roo/", ".opencode/", ".a0proj/", ".docker/",
	".vscode/", ".idea/", ".gnupg/", ".azure/", ".gcloud/", ".terraform/", ".config/gcloud", "wp-content/debug",
	".continue/", ".aider/", ".cline/", ".kiro/", ".windsurf/", ".rovodev/", ".codex/", ".plandex/", ".fabric/",
	".n8n/", ".junie/", ".aiignore", ".cursorignore", ".clinerules", ".cursorrules", ".gemini/", ".copilot/",
	"proc/interrupts", "proc/kallsyms", "proc/sched_debug", "proc/modules", "proc/partitions", "proc/kcore",
	// web server logs by their default names (log poisoning), the
	// System V and AIX log directory, shells' and clients' histories
	"access_log", "error_log", "var/adm/", "apache/logs/", "apache2/logs/", "var/cpanel/", "cpanel/logs",
	"var/log/maillog", "var/log/dmesg", "var/log/exim", "var/log/cron", "var/log/daemon", "var/log/samba",
	"var/log/acct", "var/log/xferlog", "var/log/proftpd", "var/log/vsftpd",
	"windows/repair/", "winnt/repair/", ".rhosts", ".sh_history", ".mysql_history", ".psql_history", ".viminfo", ".xauthority", "metabase.xml",
}

// sensitiveFileIndex searches sensitiveFiles in one pass over a path;
// slashlessFileIndex searches those of them without a '/', the only ones
// a path without one can hold (a sentence, most often).
var (
	sensitiveFileIndex = lex.NewFirstIndex(sensitiveFiles[:])
	slashlessFiles     = func() (out []string) {
		for _, f := range sensitiveFiles {
			if !strings.Contains(f, "/") {
				out = append(out, f)
			}
		}
		return out
	}()
	slashlessFileIndex = lex.NewFirstIndex(slashlessFiles)
)

// SensitiveFiles yields the sensitive file names in the order
// SensitiveFile prefers them, for readings that match them another way
// (shell globs).
func SensitiveFiles() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, f := range sensitiveFiles {
			if !yield(f) {
				return
			}
		}
	}
}

// FileBoundary reports whether the sensitive name f matches at i in p on
// path-segment boundaries.
func FileBoundary(p string, i int, f string) bool {
	if i > 0 {
		b := p[i-1]
		if f[0] != '.' && b != '/' && b != ':' && b != '=' && b != ' ' && b != '"' && b != '\'' && b != '(' && b != '|' && b != ';' && b != '@' && b != '$' && b != '{' && b != ',' && b != '<' && b != '>' {
			return false
		}
		if f[0] == '.' && b != '/' && b != '=' && b != ':' {
			return false
		}
	}
	e := i + len(f)
	if f == "var/log/" {
		// a file under /var/log (/var/log/auth.log, x.gz), not a
		// directory an application logs to (/var/log/myapp)
		rest := p[e:]
		if k := strings.IndexAny(rest, " \t\"'<>|;&)"); k >= 0 {
			rest = rest[:k]
		}
		return strings.IndexByte(rest[strings.LastIndexByte(rest, '/')+1:], '.') > 0
	}
	if f[len(f)-1] == '/' {
		return true
	}
	if (f == "sam" || f == "access_log" || f == "error_log") && (i == 0 || p[i-1] != '/') {
		// names that are words alone: files only as a path's last segment
		return false
	}
	// a trailing "-" names the backup copy: /etc/passwd-, /etc/subuid-
	return e == len(p) || p[e] == '-' && e+1 == len(p) || !lex.IsWord(p[e]) && p[e] != '-' && !(p[e] == '.' && e+1 < len(p) && lex.IsAlpha(p[e+1]) && f[0] != '.')
}

// SensitiveFile returns the span of the first sensitive file name in
// p (first in sensitiveFiles order, at its leftmost boundary match), or -1.
func SensitiveFile(p string) (int, int) {
	index, names := sensitiveFileIndex, sensitiveFiles[:]
	if strings.IndexByte(p, '/') < 0 {
		index, names = slashlessFileIndex, slashlessFiles
	}
	k, at := index.Find(p, FileBoundary)
	if k < 0 {
		return -1, -1
	}
	return at, at + len(names[k])
}

// Traversals counts "..", "...", "..;" segments in a normalised path.
func Traversals(p string) (n, first int) {
	first = -1
	jumps := 0 // strings.IndexByte calls so far: at most one per 16 bytes, past the first 8
	for i := 0; i < len(p); i++ {
		if p[i] != '.' && jumps < 8+i>>4 {
			// the next dot by a vector search, while dots are sparse
			// (where they are dense, ".a.a.a", a call per dot would
			// cost more than the byte loop)
			jumps++
			k := strings.IndexByte(p[i:], '.')
			if k < 0 {
				break
			}
			i += k
		}
		if p[i] != '.' || i > 0 && p[i-1] != '/' && p[i-1] != '=' && p[i-1] != ':' && p[i-1] != ' ' && p[i-1] != '"' && p[i-1] != '\'' {
			continue
		}
		j := i
		for j < len(p) && p[j] == '.' {
			j++
		}
		if j-i < 2 {
			continue
		}
		if j < len(p) && p[j] == ';' {
			// Tomcat path parameters: "..;x" is ".." carrying
			// parameter x, up to the next "/"
			j++
			for j < len(p) && p[j] != '/' {
				j++
			}
		}
		if j == len(p) && (i > 0 && p[i-1] == '/') || j < len(p) && p[j] == '/' {
			if first < 0 {
				first = i
			}
			n++
		}
		i = j
	}
	return n, first
}

// Evasive reports encodings a legitimate relative path never needs:
// percent-escapes left after decoding, backslashes, overlong UTF-8, NUL.
func Evasive(s string) bool {
	return strings.ContainsAny(s, "%\\\x00\xc0\xc1") || strings.Contains(s, "..;")
}

// systemDirs are the directories of the operating system itself, whose
// files no application serves by name (SystemPath is asked only where a
// file name is expected).
var systemDirs = [...]string{"/etc/", "/proc/", "/sys/", "/root/", "/boot/", "/dev/", "c:/windows/",
	// the System V and AIX logs and queues, where no application keeps
	// its own files (/var/log/myapp and /var/spool/myapp are settings)
	"/var/adm/", "/var/cron/", "/var/saf/", "/var/lp/",
	// the system's libraries and their settings, and the state of running
	// daemons (pid files, locks, sockets): never an application's setting.
	// Program directories are left out: a file name generator's random
	// "/bin/report.html" reads as one more name
	"/usr/lib/", "/var/run/", "/run/", "/var/lock/"}

// SystemPath reports whether p, as Normalize writes a path (lower case,
// forward slashes), is an absolute path into one of the system's own
// directories, with a name after it, and nothing else: a sentence that
// starts with one mentions it.
func SystemPath(p string) bool {
	p = strings.TrimSpace(p)
	if strings.IndexAny(p, " \t\r\n") >= 0 {
		return false
	}
	for _, d := range systemDirs {
		if len(p) > len(d) && strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

// hexPathByte reads a hex literal at s[i] ("0x2f") and returns the byte it
// spells when that is one a path is made of: '.', '/' or '\\'.
func hexPathByte(s string, i int) (byte, bool) {
	if i+3 >= len(s) || s[i] != '0' || s[i+1] != 'x' && s[i+1] != 'X' {
		return 0, false
	}
	h, ok := lex.Unhex2(s[i+2], s[i+3])
	return h, ok && (h == '.' || h == '/' || h == '\\')
}

// HexSeparator reports whether s spells a dot or a slash as a hex literal
// ("..0x2f..0x2fboot.ini") or as an escape without its '%' after two dots
// ("..2f..2fetc2fpasswd"), which Normalize decodes: a value of letters,
// digits and dots holding one is worth reading as a path.
func HexSeparator(s string) bool {
	for _, h := range [...]string{"..2f", "..2F", "..5c", "..5C"} {
		if strings.Contains(s, h) {
			return true
		}
	}
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "0x")
		if i < 0 {
			return false
		}
		i += off
		if _, ok := hexPathByte(s, i); ok {
			return true
		}
		off = i + 2
	}
	return false
}
