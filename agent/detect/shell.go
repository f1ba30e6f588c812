package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/evasion"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/glob"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/lookalike"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/sqlite"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/windows"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// cmdPhrase emits a signal for the first shell phrase in s; have is the
// byte set of s, or nil to build it here.
func (in *input) cmdPhrase(s string, have *lex.ByteSet) bool {
	if have == nil {
		set := lex.BytesOf(s)
		have = &set
	}
	if i := shell.Phrase(s, have); i >= 0 {
		in.emit(CommandInj, "cmdi-shell", 9, i, i+32)
		return true
	}
	if i := shell.NetcatShell(s, have); i >= 0 {
		in.emit(CommandInj, "cmdi-shell", 9, i, i+32)
		return true
	}
	return false
}

// shellNormalized returns lower() as shell.Normalize writes it (in
// sc.tmp), or lower() itself where Normalize changed nothing: the text
// whose Pairs lowerBytes made, which the keyword lists then use (a copy
// is another text to them).
func (in *input) shellNormalized() string {
	in.sc.tmp = shell.Normalize(in.sc.tmp[:0], in.lower())
	if norm := unsafeString(in.sc.tmp); norm != in.lower() {
		return norm
	}
	return in.lower()
}

// normalizedBytes returns a byte set of norm, the value as shell.Normalize
// wrote it: the value's own where Normalize changed nothing, as in most
// text, and otherwise that set with the bytes Normalize writes of its own
// (a blank for ${IFS} or '+', '/' for ${PATH:0:1}, "sh" for $0, ';' before
// a brace expansion) added, in buf: a superset either way, and no read of
// norm.
func (in *input) normalizedBytes(norm string, buf *lex.ByteSet) *lex.ByteSet {
	if norm == in.lower() {
		return in.lowerBytes()
	}
	*buf = *in.lowerBytes()
	for _, c := range normalizeWrites {
		buf.Add(c)
	}
	return buf
}

// normalizeWrites are the bytes shell.Normalize writes that its input need
// not hold.
var normalizeWrites = []byte(" /sh;")

// detectCmdPhrases is the cheap check for plain text: shell phrases only.
func (in *input) detectCmdPhrases() {
	if in.e.Enabled(CommandInj) {
		in.cmdPhrase(in.lower(), in.lowerBytes())
	}
}

// ifsWords are the expansions of IFS that pad a command: ${IFS}, $IFS.
var ifsWords = lex.NewWordList("${ifs", "$ifs")

// cmdSeparators marks the bytes after which detectCmd looks for a command
// word: the separators, a backtick, and '(' of "$(", "<(", ">(".
var cmdSeparators = [256]bool{';': true, '\n': true, '`': true, '|': true, '&': true, '(': true}

// detectCmd lexes text as shell input: after a command separator or
// substitution ($(, `, ;, |, ||, &&, newline) a known command word means
// command injection; so do ${IFS} padding, /dev/tcp reverse shells and
// Windows cmd/PowerShell invocations.
func (in *input) detectCmd() {
	if !in.e.Enabled(CommandInj) {
		return
	}
	m := in.mask
	if in.detectShellShapes() {
		return
	}
	host := hostParam(&in.v)
	if (m.has(bDash) || m.has(bDollar)) && host && in.detectHostArgument() {
		return
	}
	if !m.has(bSemi|bPipe|bAmp|bDollar|bBacktick|bNewline|bLT|bGT|bParen|bSlash|bBackslash|bLBrace) && in.sink != sinkCmd && !host {
		// cmd.exe IF/FOR statements need none of those characters
		if l := in.lower(); len(l) > 4 && (l[0] == 'i' || l[0] == 'f') {
			if i := windows.Batch(l); i >= 0 {
				in.emit(CommandInj, "cmdi-batch", 7, i, i+32)
			}
		} else if shell.AliasDef(l) {
			in.emit(CommandInj, "cmdi-alias", 6, 0, 32)
		} else if shell.TildeStack(l) || shell.HistoryEvents(l) {
			in.emit(CommandInj, "cmdi-expansion", 5, 0, len(l))
		}
		// Quotes the shell removes hide command words: ti''me sh -c id,
		// 'TiMe Sh -c whoami.
		if m.has(bQuote | bDQuote) {
			norm := in.shellNormalized()
			var set lex.ByteSet
			if in.cmdPhrase(norm, in.normalizedBytes(norm, &set)) {
				return
			}
			in.detectCmdWords(norm)
			return
		}
		// shell phrases need none of them either: powershell -enc ...
		if in.cmdPhrase(in.lower(), in.lowerBytes()) {
			return
		}
		in.detectCmdWords(in.lower())
		return
	}
	s := in.shellNormalized()
	raw := in.lower()
	var set lex.ByteSet
	sHave := in.normalizedBytes(s, &set)
	if ifsWords.Contains(raw, in.lowerBytes()) {
		i := strings.Index(raw, "ifs")
		in.emit(CommandInj, "cmdi-ifs", 8, i-2, i+16)
		return
	}
	if in.cmdPhrase(s, sHave) {
		return
	}
	// Fork bomb: a shell function that calls itself through a pipe or in
	// the background, :(){ :|:& };:
	paren := lex.Index(raw, "()") // a function definition's, read by both shapes below
	if i := paren; i > 0 {
		b := i
		for b > 0 && (isWord(raw[b-1]) || raw[b-1] == ':') {
			b--
		}
		name := raw[b:i]
		if rest := lex.TrimBlanksLeft(raw[i+2:]); name != "" && strings.HasPrefix(rest, "{") && (strings.Contains(rest, name+"|") || strings.Contains(rest, name+"()|") || strings.Contains(rest, name+"() |") || strings.Contains(rest, name+"() &") || strings.Contains(rest, name+"&")) {
			in.emit(CommandInj, "cmdi-fork-bomb", 8, b, b+32)
			return
		}
	}
	// Shellshock: a function definition where a variable is expected.
	if i := paren; i >= 0 && strings.HasPrefix(lex.TrimBlanksLeft(raw[i+2:]), "{") && strings.TrimSpace(raw[:i]) == "" {
		in.emit(CommandInj, "cmdi-shellshock", 9, i, i+32)
		return
	}
	if i := windows.Batch(s); i >= 0 || windows.BatchIf(raw) {
		in.emit(CommandInj, "cmdi-batch", 7, max(i, 0), max(i, 0)+32)
		return
	}
	if strings.HasPrefix(s, "alias ") && strings.IndexByte(s, '=') > 0 {
		in.emit(CommandInj, "cmdi-alias", 6, 0, 32)
		return
	}
	if shell.VarAssignedCommand(raw) {
		in.emit(CommandInj, "cmdi-expansion", 7, 0, 24)
		return
	}
	if i := shell.ExpansionSyntax(raw, in.lowerBytes()); i >= 0 {
		in.emit(CommandInj, "cmdi-expansion", 7, i, i+24)
		return
	}
	if i := shell.Expansion(raw); i >= 0 {
		in.emit(CommandInj, "cmdi-expansion", 7, i, i+24)
		return
	}
	if i := glob.File(s); i >= 0 {
		in.emit(CommandInj, "cmdi-glob", 7, i, i+32)
		return
	}
	proseish := strings.Count(s, " ") > 8
	markdown := strings.Contains(s, "```") || strings.Count(s, "`") >= 2 && shell.WordsOutsideBackticks(s, 4)
	// Command positions: start of value and after separators.
	inSpan := false // inside a markdown code span of prose
	doc := lookalike.Document(s)
	lastTick := lex.LastIndexByte(s, '`')
	for i := 0; i <= len(s); i++ {
		if i > 0 && !cmdSeparators[s[i-1]] {
			// No separator ends here, so there is nothing to read:
			// pass to the byte after the next one in a tight loop.
			j := i
			for j < len(s) && !cmdSeparators[s[j]] {
				j++
			}
			i = j // the loop's i++ stands after s[j]
			continue
		}
		atStart := i == 0
		sep := ""
		if !atStart {
			c := s[i-1]
			if c == '|' && in.sink != sinkCmd && !in.paranoid() && lookalike.InstallOneLiner(s, i-1) {
				// "curl -fsSL https://get.example.io | sh" in a README,
				// a ticket or a chat: a tool's install line, not a
				// value breaking out of a command
				continue
			}
			if (inSpan || doc) && (c == ';' || c == '\n' || c == '|' || c == '&') || doc && c == '(' && i >= 2 && s[i-2] == '$' {
				// A pipeline quoted in prose ("use `ps aux | grep
				// node`") shows a command line; its separators
				// chain the quoted commands, not the writer's
				// value to a new one. A pipe into a shell runs
				// whatever it is fed, however it is prefixed.
				if spanPipesToShell(s, i) {
					in.emit(CommandInj, "cmdi-separator", 8, i-1, i+24)
					return
				}
				if !spanCommandRuns(s, i) {
					continue
				}
			}
			switch c {
			case ';':
				sep = ";"
			case '\n':
				sep = "\n"
			case '`':
				if markdown {
					// a span opens only where a backtick closes it
					inSpan = !inSpan && i-1 < lastTick
					continue // inline code in prose or a fenced block
				}
				sep = "`"
			case '|':
				sep = "|"
			case '&':
				if i >= 2 && s[i-2] == '&' {
					sep = "&&"
				} else if i < len(s) && s[i] == '&' {
					continue
				} else {
					sep = "&"
				}
			case '(':
				if i >= 2 && (s[i-2] == '$' || s[i-2] == '<' || s[i-2] == '>') {
					sep = "$("
				} else {
					continue
				}
			default:
				continue
			}
		}
		if j := skipSpace(s, i); !atStart && j < len(s) && s[j] == '#' {
			// A word that starts with '#' begins a comment, which runs
			// to the end of the line: "yuck&#x2e;7z" is "yuck" sent to
			// the background and a comment to a POSIX shell (and a
			// command named "#x2e" to cmd.exe), so an HTML character
			// reference is no separator and the ';' ending it chains
			// nothing. Reading resumes at the line's end.
			nl := strings.IndexByte(s[j:], '\n')
			if nl < 0 {
				break
			}
			i = j + nl // the loop's i++ reads the newline as a separator
			continue
		}
		if sep == "|" && spanPipesToShell(s, i) {
			// fed to a shell behind a prefix: | env X=1 sh, | nice -n 5 sh
			in.emit(CommandInj, "cmdi-separator", 8, i-1, i+24)
			return
		}
		if i == len(s) || !shell.MayStartCommandWord(s[i]) {
			continue // CommandWordAt finds no word here ("", i, i): ";;;;…"
		}
		w, ws, we := shell.CommandWordAt(s, i)
		if (w == "curl" || w == "wget") && in.sink != sinkCmd && !in.paranoid() && lookalike.InstallOneLinerAt(s, ws) {
			continue // the line or span of an install one-liner, read at its download
		}
		strong, known := shell.Command(w)
		if w == "" || !known || !shell.WordEnds(s, we) {
			// Every separator in the blanks cmdWordAt skipped leads to
			// the same word: go on after them (linear on "\n\n\n...").
			if ws-1 > i {
				i = ws - 1
			}
			continue
		}
		// a command named by its path in a system directory
		// (/usr/bin/id, /bin/ls) is one, however common its name
		binPath := strings.Contains(s[ws:we], "bin/")
		strong = strong || binPath
		args := shell.CommandArgs(w, s, we)
		switch {
		case atStart:
			// No separator: only an explicit shell invocation with
			// shell-like arguments in a command-like parameter, or a
			// command word chained to the next one ("whoami;", "id|").
			if (strong && in.sink == sinkCmd || host && we < len(s) && args) && commandLineShaped(s, we) && !lookalike.DeviceVerb(s) ||
				binPath ||
				strong && we < len(s) && strings.IndexByte(";|`", s[we]) >= 0 && !proseish {
				in.emit(CommandInj, "cmdi-command", 7, ws, we+24)
				return
			}
		case chainedToArgument(s[:i-len(sep)], sep, strong, args):
			// the value was one argument of a command line ("1", "a",
			// "127.0.0.1"), or nothing, and the separator chains a
			// command on to it (on a new line, only one with a shell's
			// arguments: "1\nSet the table" is a numbered list)
			in.emit(CommandInj, "cmdi-separator", 7, i-1, we+24)
			return
		case sep == "&":
			if (strong && (args || strings.HasPrefix(s[skipSpace(s, we):], "&")) || !strong && shell.ChainedOn(s, we)) && !proseish {
				in.emit(CommandInj, "cmdi-separator", 7, i-1, we+24)
				return
			}
		default:
			if sep == "|" && (!strong && lookalike.InertAlternative(s, ws, we) || lookalike.HarmlessFilter(s, i)) ||
				(sep == "$(" || sep == "`") && w == "date" && lookalike.TimestampSubst(s, we, sep[len(sep)-1]) {
				continue
			}
			if sep == "\n" {
				// Lines of a text area start with words: a newline
				// separates commands only with shell-like arguments.
				if strong && args && !proseish || shell.SegmentLooksShell(s, we) || we == len(s) && len(s) < 64 && strings.Count(s, " ") < 3 {
					in.emit(CommandInj, "cmdi-separator", 7, i-1, we+24)
					return
				}
				continue
			}
			if sep == "$(" && (host || in.sink == sinkCmd) {
				// where a host name or a command line is expected, a
				// substitution runs the command it names, however
				// harmless its name ($(echo x), $(printf 'id')); not a
				// backtick, which prose quotes code with
				in.emit(CommandInj, "cmdi-separator", 8, i-1, we+24)
				return
			}
			if lookalike.InterpreterRunsLocalScript(s, w, we) {
				continue // "$env:DEBUG='app';node app.js": the application's own program
			}
			if strong && (!proseish || args) || !strong && args {
				in.emit(CommandInj, "cmdi-separator", 8, i-1, we+24)
				return
			}
		}
	}
	in.detectCmdWords(s)
}

// detectShellShapes runs the structural shell checks of this file that
// hold at paranoia 1; it reports whether one fired.
func (in *input) detectShellShapes() bool {
	m := in.mask
	raw := in.lower()
	if m.has(bQuote | bDQuote | bBackslash | bDollar | bBacktick | bBracket | bLT | bGT) {
		var a, b int
		if a, b, in.sc.norm = evasion.EvadedCommand(raw, in.sc.norm); a >= 0 && !backslashedWordInProse(raw, a, b) {
			in.emit(CommandInj, "cmdi-evasion", 8, a, b+16)
			return true
		}
	}
	if m.hasAll(bEq | bDollar) {
		var i int
		if i, in.sc.norm = evasion.VarCommand(raw, in.sc.norm); i >= 0 {
			in.emit(CommandInj, "cmdi-variable", 8, i, i+32)
			return true
		}
	}
	if m.hasAll(bParen | bLBrace) {
		if i := evasion.SelfCallingFunction(raw); i >= 0 {
			in.emit(CommandInj, "cmdi-fork-bomb", 8, i, i+32)
			return true
		}
	}
	if m.hasAll(bSemi | bDot) {
		if i := sqlite.Shell(raw, in.paranoid()); i >= 0 {
			in.emit(CommandInj, "cmdi-sqlite-shell", 8, i, i+32)
			return true
		}
	}
	if m.has(bNewline) {
		if i := mailCommand(raw, in.paranoid()); i >= 0 {
			in.emit(CommandInj, "cmdi-mail-command", 7, i, i+32)
			return true
		}
		if i := cacheCommand(raw); i >= 0 {
			in.emit(CommandInj, "cmdi-cache-command", 7, i, i+32)
			return true
		}
	}
	if m.has(bSlash) && m.has(bQuestion|bStar|bBracket) {
		if i := glob.Command(raw); i >= 0 {
			in.emit(CommandInj, "cmdi-glob", 8, i, i+32)
			return true
		}
	}
	return false
}

// detectCmdWords is the paranoia-2 shell check: lone command words where
// a command could start. s is the shell-normalised text. Unix shells are
// case-sensitive, so a capitalised word ("Axel Smith", "Find your
// solution -> here") does not run a command; Windows tools are not looked
// for here.
func (in *input) detectCmdWords(s string) {
	if !in.e.Enabled(CommandInj) {
		return
	}
	if (in.v.Part != event.PartHeader || in.sink == sinkUserAgent) && shell.Prefixed(s, true) && shell.LowerStart(in.text) {
		// "time bsdtar", "nohup nc ...": a tool run under a prefix that
		// times, detaches or traces it is a probe, not a sentence.
		in.emit(CommandInj, "cmdi-command", 7, 0, 32)
		return
	}
	if !in.paranoid() {
		return
	}
	if in.v.Part == event.PartHeader && in.sink != sinkUserAgent && in.v.Key != "referer" {
		return
	}
	if in.v.Key == "referer" && !in.isKey {
		// the parameters of the page that linked here
		if q := strings.IndexByte(in.text, '?'); q >= 0 {
			for _, p := range strings.Split(in.text[q+1:], "&") {
				if _, v, ok := strings.Cut(p, "="); ok && shell.LowerStart(v) {
					if _, ok := shell.CommandStart(strings.ToLower(v), false); ok {
						in.emit(CommandInj, "cmdi-command-word", 6, q, q+32)
						return
					}
				}
			}
		}
		return
	}
	t, raw := s, in.text
	if in.sink == sinkUserAgent {
		// "code=ansible-console": a parameter pasted into the header
		if k, v, ok := strings.Cut(t, "="); ok && strings.IndexByte(k, ' ') < 0 && strings.IndexByte(k, '/') < 0 {
			t = v
			_, raw, _ = strings.Cut(raw, "=")
		}
	}
	// A whole command line is also what people paste into comment boxes
	// ("docker build -t app .", "ping 127.0.0.1"): in an ordinary
	// parameter only a short command of a tool that is not a product
	// name counts; command-like parameters, names, the User-Agent (a
	// client names itself there, "curl/8.0") and the Referer's parameters
	// take any.
	wide := in.sink == sinkCmd || in.sink == sinkUserAgent || in.isKey || in.sink == sinkKey
	if shell.LowerStart(raw) {
		if we, ok := shell.CommandStart(t, !in.isKey && in.sink != sinkKey); ok {
			name, _, _ := shell.CommandName(shell.LastPathElem(t[skipSpace(t, 0):we]))
			if wide || shell.WordCount(t) <= 3 && !shell.ProseCommand(name) || shell.Prefixed(t, false) {
				in.emit(CommandInj, "cmdi-command-word", 6, 0, 32)
				return
			}
		}
	}
	if i := evasion.GluedSeparatorCommand(in.lower()); i >= 0 && shell.LowerStart(in.text[i:]) {
		in.emit(CommandInj, "cmdi-command-word", 6, i, i+32)
		return
	}
	if tr := strings.TrimSpace(s); len(tr) >= 2 && tr[0] == '~' && strings.Trim(tr[1:], "0123456789") == "" {
		in.emit(CommandInj, "cmdi-expansion", 5, 0, len(tr))
	}
}

// chainedToArgument reports whether a separator sep chains a command on to
// a value that was one argument of a command line (shell.ArgumentBefore
// of before, the text ahead of sep): then any command word after it is
// the injection. On a new line ("1\nSet the table" is a numbered list),
// or at the very start of the value, a weak command word needs a shell's
// arguments (argsShell) too.
func chainedToArgument(before, sep string, strong, argsShell bool) bool {
	arg, empty := shell.ArgumentBefore(before)
	switch {
	case empty:
		return strong || argsShell
	case !arg:
		return false
	}
	return sep != "\n" || argsShell
}

// hostParam reports whether a parameter's name says it holds a host: the
// value a ping or lookup page hands to a command line, so a command line
// with arguments in its place is one run, where a host name has none. A
// header is not one: its name is the protocol's ("host: localhost"), as
// sinkOf reads it.
func hostParam(v *event.Value) bool {
	if headerOwn(v) {
		return false
	}
	var buf [48]byte
	name, _ := paramName(&buf, v.Key)
	switch name {
	case "host", "hostname", "target", "server", "domain", "addr", "address":
		return true
	}
	return false
}

// detectHostArgument judges a value where a host name or address is
// expected, which a tool such as ping, ssh or git takes as an argument: an
// option there is the tool's own (-oProxyCommand=..., --upload-pack=...,
// --help), and a value that is a shell variable ($USER, ${HOME}) is
// expanded by the shell that builds the command line. No host name or
// address starts with '-' or holds '$'. It reports whether it emitted a
// signal.
func (in *input) detectHostArgument() bool {
	s := strings.TrimSpace(in.lower())
	if len(s) >= 2 && s[0] == '-' && (lex.IsAlpha(s[1]) || s[1] == '-' && len(s) > 2 && lex.IsAlpha(s[2])) {
		in.emit(CommandInj, "cmdi-option-injection", 7, 0, 32)
		return true
	}
	if variableOnly(s) {
		in.emit(CommandInj, "cmdi-expansion", 7, 0, 24)
		return true
	}
	return false
}

// variableOnly reports whether s is one shell variable reference and
// nothing else: $USER, ${HOME}.
func variableOnly(s string) bool {
	name, ok := strings.CutPrefix(s, "$")
	if !ok {
		return false
	}
	if braced, ok := strings.CutPrefix(name, "{"); ok {
		if name, ok = strings.CutSuffix(braced, "}"); !ok {
			return false
		}
	}
	if name == "" || lex.IsDigit(name[0]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !lex.IsWord(name[i]) {
			return false
		}
	}
	return true
}

// commandLineShaped reports whether a value that opens with a command word
// (ending at we) reads as a command line rather than a sentence about the
// command ("ls uses the following defaults"): the word alone, arguments a
// shell's (a flag, a path, a redirect), or only a few of them.
func commandLineShaped(s string, we int) bool {
	return we == len(s) || shell.SegmentLooksShell(s, we) || strings.Count(s, " ") <= 3
}

// backslashedWordInProse reports whether the evaded word raw[a:b] is a
// short one split only by backslashes ("a\b", "d\u") in the middle of a
// sentence: a Windows path or an escape written about, not a command,
// which would stand at the value's start or after a separator ("i\d",
// "; l\s").
func backslashedWordInProse(raw string, a, b int) bool {
	w := raw[a:b]
	if len(w) > 5 || a == 0 || !blanksAtLeast(raw, 3) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !lex.IsAlpha(w[i]) && w[i] != '\\' {
			return false
		}
	}
	p := lex.SkipSpaceBack(raw, a)
	return p > 0 && !shell.Separator(raw[p-1]) && raw[p-1] != '`' && raw[p-1] != '('
}
