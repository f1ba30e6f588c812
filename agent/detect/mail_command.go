package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// mailVerbs are SMTP commands that carry a message envelope or open a
// session, and IMAP commands, which need a tag ("a001 select inbox").
var imapVerbs = map[string]bool{
	"login": true, "authenticate": true, "select": true, "examine": true, "create": true, "delete": true,
	"rename": true, "subscribe": true, "unsubscribe": true, "list": true, "lsub": true, "status": true,
	"append": true, "check": true, "close": true, "expunge": true, "search": true, "fetch": true,
	"store": true, "copy": true, "uid": true, "logout": true, "capability": true, "starttls": true,
	"idle": true, "move": true, "enable": true, "getquota": true, "setacl": true, "getacl": true,
}

// mailCommand finds a mail protocol command injected after a CRLF, the
// line break SMTP, POP3 and IMAP frame commands with (IMAP/SMTP header
// injection into a mail library): "\r\nRCPT TO:<x>" (the envelope after
// a bare LF too), "\r\nEHLO host", "\r\na001 uid store 1:2", and at
// paranoia 2 POP3 verbs with their arguments, "\r\nRETR 1",
// "\r\nTOP 1 2", "\r\nAPOP user <md5>". s is lower-cased.
func mailCommand(s string, paranoid bool) int {
	end := -2 // where the next message end line starts, -1 none, -2 not looked for
	for off := 0; off < len(s); {
		n := strings.IndexByte(s[off:], '\n')
		if n < 0 {
			return -1
		}
		n += off
		off = n + 1
		i, crlf := n, n > 0 && s[n-1] == '\r'
		if crlf {
			i--
		}
		line := s[n+1:]
		if e := strings.IndexAny(line, "\r\n"); e >= 0 {
			line = line[:e]
		}
		if len(line) < 4 || len(line) > 512 {
			continue
		}
		if strings.HasPrefix(line, "mail from:") || strings.HasPrefix(line, "rcpt to:") ||
			strings.HasPrefix(line, "mail from :") || strings.HasPrefix(line, "rcpt to :") {
			// the envelope, after a bare LF too: servers that take one as
			// a line end are what SMTP smuggling relies on
			return i
		}
		if !crlf {
			// IMAP servers take a bare LF as a line end too (Dovecot,
			// Courier): a client library's tag and a verb are the
			// command there, "INBOX\nV100 CAPABILITY"
			if tag, verb, args := imapLine(line); imapVerbs[verb] && imapTag(tag) && imapShaped(args) {
				return i
			}
			continue
		}
		if line == "data" {
			// a message smuggled into the session: DATA, then a line
			// with a lone "." that ends it
			if end < -1 || end >= 0 && end < off {
				end = messageEnd(s, off) // once per end line, however many DATA lines
			}
			if end >= 0 {
				return i
			}
		}
		switch {
		case strings.HasPrefix(line, "ehlo ") || strings.HasPrefix(line, "helo "):
			if h := strings.TrimSpace(line[5:]); h != "" && strings.IndexByte(h, ' ') < 0 {
				return i
			}
		case strings.HasPrefix(line, "vrfy ") || strings.HasPrefix(line, "expn "):
			return i
		}
		// IMAP: tag SP verb, the tag a client library generates (a001)
		if tag, verb, args := imapLine(line); imapVerbs[verb] && (imapTag(tag) || shortTag(tag) && imapArguments(args)) {
			return i
		}
		if pop3Command(line, paranoid) {
			return i
		}
	}
	return -1
}

// imapLine splits a command line as IMAP frames one: a tag of one to ten
// characters, a space, the verb, and the rest (its arguments); tag is ""
// when the line has no such shape.
func imapLine(line string) (tag, verb, args string) {
	sp := strings.IndexByte(line, ' ')
	if sp < 1 || sp > 10 {
		return "", "", ""
	}
	tag, verb = line[:sp], line[sp+1:]
	if e := strings.IndexByte(verb, ' '); e >= 0 {
		verb, args = verb[:e], verb[e:]
	}
	return tag, verb, args
}

// imapShaped reports arguments that read as IMAP's, not as the rest of a
// sentence: none ("V100 CAPABILITY"), those imapArguments knows, or a
// sequence set first ("4791", "1:5,7", "2:*").
func imapShaped(args string) bool {
	f := strings.Fields(args)
	if len(f) == 0 || imapArguments(args) {
		return true
	}
	return strings.Trim(f[0], "0123456789:,*") == "" && strings.Trim(f[0], ":,*") != ""
}

// messageEnd returns where the first line with a lone "." (the end of an
// SMTP message) starts in s at or after from, or -1.
func messageEnd(s string, from int) int {
	for off := from; off < len(s); {
		i := strings.Index(s[off:], "\n.")
		if i < 0 {
			return -1
		}
		j := off + i + 3
		if j == len(s) || s[j] == '\r' || s[j] == '\n' {
			return off + i + 1
		}
		off = j
	}
	return -1
}

// imapTag reports a client-generated IMAP command tag: letters then at
// least three digits ("a001", "A003"); "A1" starts a numbered list.
func imapTag(t string) bool {
	j := 0
	for j < len(t) && isAlpha(t[j]) {
		j++
	}
	for k := j; k < len(t); k++ {
		if !isDigit(t[k]) {
			return false
		}
	}
	return j >= 1 && len(t)-j >= 3
}

// shortTag reports a tag of one to four letters and digits ("a", "A1"):
// a client's own tags can be that short, and so can the numbering of a
// list, so such a tag counts only with arguments of IMAP's own shape.
func shortTag(t string) bool {
	if len(t) > 4 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !lex.IsAlnum(t[i]) {
			return false
		}
	}
	return t != ""
}

// imapArguments reports arguments only IMAP writes, in the rest of a
// command line after the verb (lower-cased): a sequence set to the last
// message ("1:*"), a flag list or system flag ("+flags", "\\deleted"), a
// message part ("body[", "body.peek[", "rfc822"), the empty reference and
// wildcard of LIST ("\"\" \"*\""), or INBOX as the only argument.
func imapArguments(rest string) bool {
	for _, w := range [...]string{"+flags", "-flags", "\\deleted", "\\seen", "\\flagged", "body[", "body.peek[", "rfc822", "\"\" \"*\"", "\"\" *"} {
		if strings.Contains(rest, w) {
			return true
		}
	}
	// a sequence set to the last message ("1:*"; "2:30" is a time), or
	// the mailbox the protocol names alone ("delete inbox")
	if i := strings.Index(rest, ":*"); i > 0 && lex.IsDigit(rest[i-1]) {
		return true
	}
	a := strings.Trim(strings.TrimSpace(rest), "\"")
	return a == "inbox"
}

// pop3Command reads a POP3 command line with its arguments: RETR, DELE
// and UIDL with a message number, APOP with a user and an MD5 digest,
// words no line of text opens with so; and at paranoia 2 (paranoid) also
// LIST with a number, TOP with two and AUTH with a mechanism, which a
// numbered list or a heading can ("List 2", "Top 10 5").
func pop3Command(line string, paranoid bool) bool {
	f := strings.Fields(line)
	if len(f) < 2 || len(f) > 3 {
		return false
	}
	switch f[0] {
	case "retr", "dele", "uidl":
		return len(f) == 2 && lex.IsDigits(f[1])
	case "apop":
		return len(f) == 3 && len(f[2]) == 32 && strings.Trim(f[2], "0123456789abcdef") == ""
	}
	if !paranoid {
		return false
	}
	switch f[0] {
	case "list":
		return len(f) == 2 && lex.IsDigits(f[1])
	case "top":
		return len(f) == 3 && lex.IsDigits(f[1]) && lex.IsDigits(f[2])
	case "auth":
		return isAlpha(f[1][0])
	}
	return false
}
