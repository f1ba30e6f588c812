package detect

import (
	"strings"
	"unicode/utf8"
)

// Header injection: a line break in a value that a server or a mail
// library writes into a header (a redirect target, a file name, a reply-to
// address, a cookie value), followed by a header of its own. The reading
// needs both halves: the value before the break is one token, as a
// header-bound value is (no blank, as in the first line of a message
// typed into a text area), and the line after it opens with a header
// name and a colon. "a@b.example\r\nBcc: x@evil.example" adds a
// recipient; "/home\r\nSet-Cookie: sid=1" sets a cookie through a
// redirect (response splitting).

// injectableHeaders are the headers an injection adds to redirect mail,
// set cookies or split a response.
var injectableHeaders = map[string]bool{
	"bcc": true, "cc": true, "to": true, "from": true, "reply-to": true, "subject": true, "sender": true,
	"return-path": true, "mime-version": true, "content-type": true, "content-length": true,
	"content-transfer-encoding": true, "content-disposition": true, "transfer-encoding": true,
	"set-cookie": true, "location": true, "refresh": true, "cache-control": true, "host": true, "cookie": true,
	"access-control-allow-origin": true, "access-control-allow-credentials": true, "x-xss-protection": true,
	"content-security-policy": true, "link": true, "authorization": true,
}

// headerInjection returns the offset of the line break that starts an
// injected header in s (lower-cased), or -1.
func headerInjection(s string) int {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 || i > 512 {
		return -1
	}
	if strings.ContainsAny(s[:i], " \t") {
		// a first line of words, as a subject or a name has: only a
		// recipient header whose value is nothing but addresses, ending
		// the value ("Hello there\r\nBcc: a@evil.example"); a text
		// area's next line reads "To: all staff, the meeting moved."
		return recipientsAfter(s, i)
	}
	j := i
	for j < len(s) && (s[j] == '\r' || s[j] == '\n') && j-i < 4 {
		j++
	}
	rest := s[j:]
	if strings.HasPrefix(rest, "http/1.") || strings.HasPrefix(rest, "http/2") {
		return i // a whole response after the break: response splitting
	}
	c := strings.IndexByte(rest, ':')
	if c <= 0 || c > 40 {
		return -1
	}
	name, val := rest[:c], rest[c+1:]
	if e := strings.IndexAny(val, "\r\n"); e >= 0 {
		val = val[:e]
	}
	if strings.TrimSpace(val) == "" {
		return -1 // a header without a value sets nothing
	}
	if injectableHeaders[name] || strings.HasPrefix(name, "x-") && strings.IndexByte(name, ' ') < 0 {
		return i
	}
	return -1
}

// recipientHeaders are the mail headers that add or redirect recipients.
var recipientHeaders = map[string]bool{"bcc": true, "cc": true, "to": true, "reply-to": true, "from": true, "sender": true, "return-path": true}

// recipientsAfter returns i when the line after the break at s[i] is a
// recipient header whose value is one or more e-mail addresses and the
// value ends there (nothing but blank lines after it), or -1.
func recipientsAfter(s string, i int) int {
	rest := strings.TrimLeft(s[i:], "\r\n")
	c := strings.IndexByte(rest, ':')
	if c <= 0 || c > 12 || !recipientHeaders[rest[:c]] {
		return -1
	}
	val := rest[c+1:]
	if e := strings.IndexAny(val, "\r\n"); e >= 0 {
		if strings.TrimSpace(val[e:]) != "" {
			return -1 // more lines: a message, not one header
		}
		val = val[:e]
	}
	n := 0
	for _, a := range strings.Split(val, ",") {
		a = strings.Trim(strings.TrimSpace(a), "<>")
		at := strings.IndexByte(a, '@')
		if at <= 0 || at == len(a)-1 || strings.ContainsAny(a, " \t") || strings.IndexByte(a[at+1:], '.') < 0 {
			return -1
		}
		n++
	}
	if n == 0 {
		return -1
	}
	return i
}

// detectHeaderInjection judges a value that holds a line break.
func (in *input) detectHeaderInjection() {
	if !in.e.Enabled(HeaderInj) {
		return
	}
	if in.mask.has(bNewline) {
		if i := headerInjection(in.lower()); i >= 0 {
			in.emit(HeaderInj, "crlf-header-injection", 7, i, i+32)
		}
		return
	}
	if in.mask.has(bHigh) {
		// a line break spelt as a character whose low byte is CR or LF
		// ("嘊嘍" is U+560A U+560D): a runtime that writes header
		// values as Latin-1 keeps only that byte
		if t, ok := latin1Breaks(in.lower()); ok {
			if i := headerInjection(t); i >= 0 {
				in.emit(HeaderInj, "crlf-header-injection", 7, 0, 32)
			}
		}
	}
}

// latin1Breaks returns s with every character above U+00FF whose low byte
// is CR or LF written as that byte, and whether there was one.
func latin1Breaks(s string) (string, bool) {
	// such a character's UTF-8 form ends in 0x8A or 0x8D: most text with
	// high bytes has neither and is not decoded
	if strings.IndexByte(s, 0x8a) < 0 && strings.IndexByte(s, 0x8d) < 0 {
		return s, false
	}
	var b []byte
	for i, r := range s {
		if r > 0xff && (r&0xff == '\r' || r&0xff == '\n') {
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[:i]...)
			}
			b = append(b, byte(r&0xff))
			continue
		}
		if b != nil {
			b = utf8.AppendRune(b, r)
		}
	}
	if b == nil {
		return s, false
	}
	return string(b), true
}
