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
			continue
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
		if sp := strings.IndexByte(line, ' '); sp >= 1 && sp <= 10 {
			tag, rest := line[:sp], line[sp+1:]
			verb := rest
			if e := strings.IndexByte(rest, ' '); e >= 0 {
				verb = rest[:e]
			}
			if imapVerbs[verb] && (imapTag(tag) || shortTag(tag) && imapArguments(rest[len(verb):])) {
				return i
			}
		}
		if paranoid && pop3Command(line) {
			return i
		}
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

// pop3Command reads a POP3 command line with its arguments: RETR, LIST,
// DELE, UIDL and TOP with message numbers, APOP with a user and an MD5
// digest, AUTH with a mechanism.
func pop3Command(line string) bool {
	f := strings.Fields(line)
	if len(f) < 2 || len(f) > 3 {
		return false
	}
	switch f[0] {
	case "retr", "list", "dele", "uidl":
		return len(f) == 2 && lex.IsDigits(f[1])
	case "top":
		return len(f) == 3 && lex.IsDigits(f[1]) && lex.IsDigits(f[2])
	case "apop":
		return len(f) == 3 && len(f[2]) == 32 && strings.Trim(f[2], "0123456789abcdef") == ""
	case "auth":
		return isAlpha(f[1][0])
	}
	return false
}
