package ssrf

import (
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// FoldHost maps the Unicode look-alikes that IDNA (UTS #46) folds to
// ASCII in host names: enclosed alphanumerics (①②⑦.⓪.⓪.①, ⓛⓞⓒⓐⓛ),
// fullwidth forms (１２７．０．０．１) and the ideographic and fullwidth
// full stops (169。254。169。254). A resolver folds them before lookup, so
// "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ" reaches localhost; no client writes a host that way except
// to slip past a filter. Backslashes between the letters
// (\l\o\c\a\l\h\o\s\t), which lenient URL parsers drop, go too. changed
// reports whether anything was folded.
func FoldHost(dst []byte, h string) (out []byte, changed bool) {
	for i := 0; i < len(h); {
		c := h[i]
		if c == '\\' {
			changed = true
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(h[i:])
		i += n
		changed = true
		switch {
		case r >= '①' && r <= '⑳': // 1-20
			v := int(r-'①') + 1
			if v >= 10 {
				dst = append(dst, byte('0'+v/10))
			}
			dst = append(dst, byte('0'+v%10))
		case r == '⓪' || r == '⓿' || r == '０':
			dst = append(dst, '0')
		case r >= '⓵' && r <= '⓽': // double circled 1-9
			dst = append(dst, byte('1'+r-'⓵'))
		case r >= '❶' && r <= '❾':
			dst = append(dst, byte('1'+r-'❶'))
		case r >= 'ⓐ' && r <= 'ⓩ':
			dst = append(dst, byte('a'+r-'ⓐ'))
		case r >= 'Ⓐ' && r <= 'Ⓩ':
			dst = append(dst, byte('a'+r-'Ⓐ'))
		case r >= '１' && r <= '９':
			dst = append(dst, byte('1'+r-'１'))
		case r >= 'ａ' && r <= 'ｚ':
			dst = append(dst, byte('a'+r-'ａ'))
		case r >= 'Ａ' && r <= 'Ｚ':
			dst = append(dst, byte('a'+r-'Ａ'))
		case r == '。' || r == '．' || r == '｡':
			dst = append(dst, '.')
		default:
			// an ordinary internationalised name: leave it
			return dst, false
		}
	}
	return dst, changed
}

// UserinfoHosts returns, for a URL authority written with several '@'
// or blanks ("google.com:80 &@google.com:80# @127.88.23.245:22"), the
// hosts that some parser reads after an '@': URL libraries disagree on
// which '@' ends the user information, and SSRF filters check one while
// the client connects to another. The authority runs to the first '/'.
func UserinfoHosts(auth string, visit func(host string) bool) {
	n := 0
	for i := 0; i < len(auth) && n < 8; i++ {
		if auth[i] != '@' {
			continue
		}
		n++
		r := lex.TrimBlanksLeft(auth[i+1:])
		if visit(HostOf(r)) {
			return
		}
	}
}

// ClassifyFolded classifies host after folding the Unicode look-alikes and
// backslashes a resolver or lenient parser removes (see FoldHost); a
// folded host counts as obfuscated.
func ClassifyFolded(host string) (k HostKind, isIP, obfuscated bool) {
	if f, ok := folded(host); ok {
		k, isIP, _ = ClassifyHost(f)
		return k, isIP, true
	}
	return ClassifyHost(host)
}

// folded is host as FoldHost writes it, and whether that changed it. A
// host with nothing to fold is not copied, nor one too long to be a host.
func folded(host string) (string, bool) {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 0x80 || c == '\\' {
			var buf [128]byte
			if len(host) > 4*len(buf) {
				return host, false
			}
			if f, changed := FoldHost(buf[:0], host); changed {
				return string(f), true
			}
			return host, false
		}
	}
	return host, false
}
