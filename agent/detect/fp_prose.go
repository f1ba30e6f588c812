package detect

import "strings"

// Developers and customers write about files, commands and queries: a
// support ticket says "the log file /var/log/cleanup.log stays empty", a
// review comment says "use `ps aux | grep node`". The helpers here tell
// such a mention apart from a request that a file API, a shell or a
// database would execute. Each keeps the attack shapes that hide in
// prose: a traversal, a separator followed by a command ("; cat
// /etc/passwd"), a substitution ("$(id)").

// pathInCommand reports whether the sensitive path that starts at fo in
// the normalised text p is an argument of a command line rather than a
// word of a sentence. A path is a request when the value opens with a
// command word and the path is one of its arguments ("tail -f
// /var/log/syslog", "dd if=/etc/passwd of=/tmp/x"), when it follows a
// redirect ("< /etc/passwd"), or when it is glued to an assignment or
// a parameter inside its word ("if=/etc/passwd", "?page=/etc/passwd").
// Otherwise a path mid-sentence ("check /var/log/nginx/error.log on
// web-2?") is something the writer talks about: no file sink reads prose.
// Separated commands inside prose ("hello; cat /etc/passwd") are the shell
// detector's finding. One backward and one forward walk over p[:fo].
func pathInCommand(p string, fo int) bool {
	// the word holding the path: back to the previous blank
	ts := fo
	for ts > 0 && !isSpace(p[ts-1]) {
		ts--
	}
	if strings.ContainsAny(p[ts:fo], "=<") {
		return true
	}
	if k := ts; k > 0 {
		for k > 0 && isSpace(p[k-1]) {
			k--
		}
		if k > 0 && p[k-1] == '<' {
			return true
		}
	}
	// The value opens with a command word, and every word between it and
	// the path is an argument: a flag, a path, a number or an assignment.
	w, _, we := cmdWordAt(p, 0)
	if _, known := strongCommands[w]; !known || !wordEnds(p, we) || we > ts {
		return false
	}
	for i := skipSpace(p, we); i < ts; i = skipSpace(p, i) {
		j := i
		for j < ts && !isSpace(p[j]) {
			j++
		}
		if !shellArgWord(p[i:j]) {
			return false
		}
		i = j
	}
	return true
}

// shellArgWord reports whether w reads as a command's argument rather than
// an English word: a flag, a path, a number, or an option assignment.
func shellArgWord(w string) bool {
	if w == "" {
		return true
	}
	switch c := w[0]; {
	case c == '-', c == '/', c == '~', c == '.', c == '$', c == '\'', c == '"', isDigit(c):
		return true
	}
	return strings.ContainsAny(w, "/=")
}
