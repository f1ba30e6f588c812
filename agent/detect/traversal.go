package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// detectPath judges text as a file path: traversal sequences after
// normalisation, sensitive system files, NUL-byte extension truncation.
func (in *input) detectPath() {
	if !in.e.Enabled(PathTraversal) {
		return
	}
	m := in.mask
	if !m.has(bSlash | bBackslash | bPercent | bHigh | bNUL | bDot) {
		return
	}
	// a name a file is read from or written to, or a path segment that
	// holds a slash of its own (sent as %2F): a path in one parameter of
	// the route, which routers hand to the handler whole
	file := in.sink == sinkFile || in.sink == sinkUpload ||
		in.v.Part == event.PartPath && strings.HasPrefix(in.v.Location, "path[") && strings.IndexByte(in.text, '/') >= 0
	var nul bool
	in.sc.norm, nul = traversal.Normalize(in.sc.norm[:0], in.text)
	p := unsafeString(in.sc.norm)
	n, first := traversal.Traversals(p)
	fo, fe := traversal.SensitiveFile(p)
	// words of a sentence, also when a cookie or raw body left its blanks
	// percent-encoded
	prose := blanksAtLeast(p, 3)
	switch {
	case n > 0 && fo >= 0:
		in.emit(PathTraversal, "path-traversal", 9, first, fe)
	case n >= 2 && !prose, n >= 3:
		in.emit(PathTraversal, "path-traversal", 8, first, first+24)
	case n == 1 && !prose && (file && !assetUpOne(p, first) || in.v.Part == event.PartPath || in.v.Part != event.PartCookie && traversal.Evasive(in.text)):
		in.emit(PathTraversal, "path-traversal", 6, first, first+24)
	case fo >= 0 && (!prose || pathInCommand(p, fo)):
		// In prose a sensitive path is a mention unless the command line
		// around it makes it a request: no file sink reads a sentence,
		// and a shell runs one only from a command word, whatever the
		// parameter's name suggests ("content", "code").
		sc := 7
		if prose {
			sc = 5
		}
		in.emit(PathTraversal, "lfi-sensitive-file", sc, fo, fe)
	case file && traversal.SystemPath(p):
		// where a file name is expected, any file of the system's own
		// directories: /etc/services is as much a disclosure as
		// /etc/passwd is, only a less famous one
		in.emit(PathTraversal, "lfi-sensitive-file", 6, 0, min(len(p), 24))
	}
	if nul && m.has(bDot) && !prose && strings.IndexByte(in.text, 0) > 0 {
		i := strings.IndexByte(in.text, 0)
		if strings.IndexByte(in.text[:i], '.') >= 0 || strings.IndexByte(in.text[i:], '.') >= 0 {
			in.emit(PathTraversal, "null-byte", 6, i, i+16)
		}
	}
}

// blanksAtLeast reports whether s holds at least n blanks, spaces or
// encoded ones ("%20", and '+' as forms write them): what counting them
// all would say, but the count stops at n (a long text is not read to its
// end once it has them).
func blanksAtLeast(s string, n int) bool {
	for _, b := range [...]string{" ", "%20", "+"} {
		for off := 0; n > 0; n-- {
			i := strings.Index(s[off:], b)
			if i < 0 {
				break
			}
			off += i + len(b)
		}
	}
	return n <= 0
}
