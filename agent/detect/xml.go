package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// detectXXE judges XML: external and parameter entities, entity expansion
// bombs, XInclude and XSLT extension functions.
func (in *input) detectXXE() {
	if !in.e.Enabled(XXE) {
		return
	}
	m := in.mask
	if !m.has(bLT) || !m.has(bBang|bColon|bQuestion) {
		return
	}
	s := in.lower()
	have := in.lowerBytes() // most values hold none of the markers below
	if i := lex.IndexIn(s, have, "<!entity"); i >= 0 {
		rest := s[i:]
		switch {
		case strings.Contains(rest, "<!entity %") || strings.Contains(rest, "<!entity\t%"):
			in.emit(XXE, "xxe-parameter-entity", 9, i, i+48)
		case strings.Contains(rest, "system") || strings.Contains(rest, "public"):
			in.emit(XXE, "xxe-external-entity", 9, i, i+48)
		case strings.Count(rest, "<!entity") >= 3 && strings.Count(rest, "&") >= 6:
			in.emit(XXE, "xml-entity-expansion", 8, i, i+48)
		default:
			in.emit(XXE, "xml-entity-declaration", 6, i, i+48)
		}
		return
	}
	// every declaration: an HTML one first must not hide an external one
	if i := lex.IndexWhere(s, "<!doctype", func(i int) bool {
		end := strings.IndexByte(s[i+1:], '<') // the next markup ends what this one can say
		decl := s[i:]
		if end >= 0 {
			decl = s[i : i+1+end]
		}
		if e := strings.IndexByte(decl, '>'); e >= 0 {
			decl = decl[:e]
		}
		return strings.Contains(decl, "system") || strings.Contains(decl, " public ") && strings.Count(decl, "\"") >= 4 && !strings.Contains(decl, "-//w3c//dtd")
	}); i >= 0 {
		in.emit(XXE, "xxe-external-dtd", 8, i, i+48)
		return
	}
	if i := lex.IndexIn(s, have, "xinclude"); i >= 0 && strings.Contains(s, "include") && (strings.Contains(s, "<xi:include") || strings.Contains(s, "2001/xinclude")) {
		in.emit(XXE, "xinclude", 8, i, i+48)
		return
	}
	if i := cdataInjection(s, have); i >= 0 {
		in.emit(XXE, "xml-cdata", 6, i, i+48)
		return
	}
	if i := lex.IndexIn(s, have, "<?xml-stylesheet"); i >= 0 && externalStylesheet(s[i:]) {
		in.emit(XXE, "xslt-injection", 7, i, i+48)
		return
	}
	if i := lex.IndexIn(s, have, "<xsl:"); i >= 0 {
		for _, f := range [...]string{"document(", "system-property(", "php:function", "java:", "xalan:", "unparsed-text(", "<xsl:include", "<xsl:import"} {
			if strings.Contains(s, f) {
				in.emit(XXE, "xslt-injection", 7, i, i+48)
				return
			}
		}
	}
}

// externalStylesheet reports whether an xml-stylesheet processing
// instruction (s opens with it, lower case) points its href at another
// server (an absolute or protocol-relative URL), at script (javascript:,
// data:) or at a stylesheet inside the document itself (a fragment, "#"):
// whatever processes the document then runs a transformation the sender
// chose. A stylesheet beside the document ("style.xsl") is not read.
func externalStylesheet(s string) bool {
	if e := strings.Index(s, "?>"); e >= 0 {
		s = s[:e]
	}
	i := strings.Index(s, "href")
	if i < 0 {
		return false
	}
	j := lex.SkipSpace(s, i+4)
	if j >= len(s) || s[j] != '=' {
		return false
	}
	j = lex.SkipSpace(s, j+1)
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		j++
	}
	v := s[j:]
	if strings.HasPrefix(v, "#") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") {
		return true
	}
	k := 0
	for k < len(v) && (lex.IsAlnum(v[k]) || v[k] == '+' || v[k] == '-' || v[k] == '.') {
		k++
	}
	return k > 0 && strings.HasPrefix(v[k:], "://")
}

// cdataInjection returns where lower-cased s carries a CDATA section to
// the XML document it is written into, or -1: a section at the value's
// own top level, whose content then passes the document's escaping, or a
// section end before any start, closing the document's own section with
// markup after it. A document in the value whose elements hold CDATA (an
// RSS item sent as a string) is its own, and not read. have is the byte
// set of s (see lex.IndexIn).
func cdataInjection(s string, have *lex.ByteSet) int {
	start := lex.IndexIn(s, have, "<![cdata[")
	end := lex.IndexIn(s, have, "]]>")
	switch {
	case end >= 0 && (start < 0 || end < start):
		if strings.IndexByte(s[end+3:], '<') >= 0 {
			return end
		}
	case start >= 0 && end > start:
		for k := 0; k < start; k++ {
			if s[k] == '<' && k+1 < start && lex.IsAlpha(s[k+1]) {
				return -1 // inside an element of the value's own document
			}
		}
		return start
	}
	return -1
}
