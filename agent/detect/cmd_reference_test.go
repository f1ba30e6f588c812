package detect

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/glob"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/lookalike"
	"github.com/lambdawaf/lambdawaf/agent/detect/shell/windows"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// detectCmdBefore is detectCmd as it was before it turned away, without a
// call, the separators after which CommandWordAt finds no word. The
// oracle for TestCmdAgreesWithCommandWordAtEverySeparator.
func (in *input) detectCmdBefore() {
	if !in.e.Enabled(CommandInj) {
		return
	}
	m := in.mask
	if in.detectShellShapes() {
		return
	}
	if !m.has(bSemi|bPipe|bAmp|bDollar|bBacktick|bNewline|bLT|bGT|bParen|bSlash|bBackslash|bLBrace) && in.sink != sinkCmd && !hostParam(&in.v) {
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
			in.sc.tmp = shell.Normalize(in.sc.tmp[:0], in.lower())
			if in.cmdPhrase(unsafeString(in.sc.tmp), nil) {
				return
			}
			in.detectCmdWords(unsafeString(in.sc.tmp))
			return
		}
		if in.cmdPhrase(in.lower(), in.lowerBytes()) {
			return
		}
		in.detectCmdWords(in.lower())
		return
	}
	in.sc.tmp = shell.Normalize(in.sc.tmp[:0], in.lower())
	s := unsafeString(in.sc.tmp)
	raw := in.lower()
	if strings.Contains(raw, "${ifs") || strings.Contains(raw, "$ifs") {
		in.emit(CommandInj, "cmdi-ifs", 8, strings.Index(raw, "ifs")-2, strings.Index(raw, "ifs")+16)
		return
	}
	if in.cmdPhrase(s, nil) {
		return
	}
	// Fork bomb: a shell function that calls itself through a pipe or in
	// the background, :(){ :|:& };:
	if i := strings.Index(raw, "()"); i > 0 {
		b := i
		for b > 0 && (isWord(raw[b-1]) || raw[b-1] == ':') {
			b--
		}
		name := raw[b:i]
		if rest := strings.TrimLeft(raw[i+2:], " \t"); name != "" && strings.HasPrefix(rest, "{") && (strings.Contains(rest, name+"|") || strings.Contains(rest, name+"()|") || strings.Contains(rest, name+"() |") || strings.Contains(rest, name+"() &") || strings.Contains(rest, name+"&")) {
			in.emit(CommandInj, "cmdi-fork-bomb", 8, b, b+32)
			return
		}
	}
	// Shellshock: a function definition where a variable is expected.
	if i := strings.Index(raw, "()"); i >= 0 && strings.HasPrefix(strings.TrimLeft(raw[i+2:], " \t"), "{") && strings.TrimSpace(raw[:i]) == "" {
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
	markdown := strings.Contains(s, "```") || strings.Count(s, "`") >= 2 && wordsOutsideBackticksBefore(s) >= 4
	// Command positions: start of value and after separators.
	inSpan := false // inside a markdown code span of prose
	doc := lookalike.Document(s)
	lastTick := strings.LastIndexByte(s, '`')
	comment := -1 // a comment runs from a separator to the end of its line
	for i := 0; i <= len(s); i++ {
		if i <= comment {
			continue
		}
		atStart := i == 0
		sep := ""
		if !atStart {
			c := s[i-1]
			if c == '|' && in.sink != sinkCmd && !in.paranoid() && lookalike.InstallOneLiner(s, i-1) {
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
		if j := strings.IndexFunc(s[i:], func(r rune) bool { return !lex.IsSpace(byte(r)) || r >= 0x80 }); !atStart && j >= 0 && s[i+j] == '#' {
			comment = len(s)
			if nl := strings.IndexByte(s[i+j:], '\n'); nl >= 0 {
				comment = i + j + nl
			}
			continue
		}
		if sep == "|" && spanPipesToShell(s, i) {
			// fed to a shell behind a prefix: | env X=1 sh, | nice -n 5 sh
			in.emit(CommandInj, "cmdi-separator", 8, i-1, i+24)
			return
		}
		w, ws, we := shell.CommandWordAt(s, i)
		if (w == "curl" || w == "wget") && in.sink != sinkCmd && !in.paranoid() && lookalike.InstallOneLinerAt(s, ws) {
			continue
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
			if (strong && in.sink == sinkCmd || hostParam(&in.v) && we < len(s) && args) && commandLineShaped(s, we) && !lookalike.DeviceVerb(s) ||
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
			if sep == "$(" && (hostParam(&in.v) || in.sink == sinkCmd) {
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

// TestCmdAgreesWithCommandWordAtEverySeparator holds detectCmd to the code
// it replaced on the corpora, hostile random strings, texts of separators,
// command words and arguments, their mutations and long runs, as a body
// value and as a query parameter named like a command. (It holds later
// changes to detectCmd too: the IFS expansions read in one pass, the
// function definition's "()" searched for once; hence the pieces of
// those.)
func TestCmdAgreesWithCommandWordAtEverySeparator(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	r := rand.New(rand.NewPCG(127, 131))
	pieces := []string{";", "|", "||", "&", "&&", "\n", "`", "$(", "<(", ">(", "(", ")", "{", "!", " ", "\t", "id", "cat", "/etc/passwd", "whoami", "ls", "-la", "sh", "bash -c", "nc", "-e", "/bin/", "./x", "x.exe", "python3.10", "sudo", "time", "date", ":", "'", "\"", "é", "a", "1", "${ifs}", "$ifs", "ifs", "()", "() ", "{", ":|:&", "};"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 10000, 12)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(8) == 0 { // mutations of an eighth: the oracle is slow
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		for _, v := range []event.Value{body("q", s), q("cmd", s)} {
			if got, want := judgeOne(e, v, (*input).detectCmd), judgeOne(e, v, (*input).detectCmdBefore); !reflect.DeepEqual(got, want) {
				t.Fatalf("detectCmd(%s, %.80q) = %v, CommandWordAt at every separator %v", v.Location, s, got, want)
			}
		}
	}
}

// wordsOutsideBackticksBefore is shell.WordsOutsideBackticks as it was
// before it stopped at the words asked for: the count of all of them.
func wordsOutsideBackticksBefore(s string) int {
	n, in, word := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '`' {
			in = !in
			word = false
			continue
		}
		if in {
			continue
		}
		if lex.IsAlpha(c) {
			if !word {
				n++
			}
			word = true
		} else {
			word = false
		}
	}
	return n
}

// TestWordsOutsideBackticksAgreesWithCount holds shell.WordsOutsideBackticks
// to the full count on the corpora and hostile strings with backtick spans,
// for every threshold up to 6.
func TestWordsOutsideBackticksAgreesWithCount(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(137, 139))
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	for _, s := range texts {
		c := wordsOutsideBackticksBefore(s)
		for n := 0; n <= 6; n++ {
			if got := shell.WordsOutsideBackticks(s, n); got != (c >= n) {
				t.Fatalf("WordsOutsideBackticks(%.80q, %d) = %v, count %d", s, n, got, c)
			}
		}
	}
}
