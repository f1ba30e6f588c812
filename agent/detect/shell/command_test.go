package shell

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// TestCommandPairsAdmitEveryCommand checks that the two-byte table in
// front of the command map turns away no command word, and some words.
func TestCommandPairsAdmitEveryCommand(t *testing.T) {
	for w, strong := range strongCommands {
		if s, known := Command(w); !known || s != strong {
			t.Errorf("Command(%q) = %v, %v; want %v, true", w, s, known, strong)
		}
	}
	for _, w := range []string{"amp", "qq", "zz9", "", "x"} {
		if _, known := Command(w); known {
			t.Errorf("Command(%q) is known", w)
		}
	}
}

// expansionSyntaxReference is the loop ExpansionSyntax replaced in
// detect's command reading: one strings.Index per word.
func expansionSyntaxReference(raw string) int {
	for _, w := range [...]string{"$((", "$[", "${!", "${#", "${ifs", "$(<"} {
		if i := strings.Index(raw, w); i >= 0 && (w != "$[" || strings.IndexByte(raw[i:], ']') > 0) {
			return i
		}
	}
	for i := 0; i+3 <= len(raw); i++ {
		if raw[i:i+3] == "<<<" && (i == 0 || raw[i-1] != '<') && (i+3 == len(raw) || raw[i+3] != '<') {
			return i
		}
	}
	return -1
}

// TestExpansionSyntaxAgrees checks ExpansionSyntax against the loop it
// replaced on short and long random texts of expansion pieces.
func TestExpansionSyntaxAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	pieces := []string{"$", "(", "((", "[", "]", "{", "!", "#", "ifs", "<", "<<", "x", " ", "${", "$[1]"}
	for n := range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8+n%200) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		have := lex.BytesOf(s)
		if got, want := ExpansionSyntax(s, &have), expansionSyntaxReference(s); got != want {
			t.Fatalf("ExpansionSyntax(%q) = %d, reference %d", s, got, want)
		}
	}
}

// TestMayStartCommandWordCoversCommandWordAt checks, for every byte and
// the texts after it, that CommandWordAt finds no word ("", i, i) where
// MayStartCommandWord says it cannot: the callers that skip the call then
// skip nothing it would have found.
func TestMayStartCommandWordCoversCommandWordAt(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, rest := range []string{"", "id", " id", ";", "(id", "/bin/sh", ":x", "-", "é"} {
			s := "x;" + string([]byte{byte(c)}) + rest
			w, start, end := CommandWordAt(s, 2)
			if !MayStartCommandWord(byte(c)) && (w != "" || start != 2 || end != 2) {
				t.Fatalf("CommandWordAt(%q, 2) = %q, %d, %d; MayStartCommandWord(%q) says no word", s, w, start, end, byte(c))
			}
		}
	}
}

func TestChainedOnNeedsASeparatorAfterTheArguments(t *testing.T) {
	for _, c := range []struct {
		s    string
		j    int // where the command word ends
		want bool
	}{
		{"&id&", 3, true},
		{"&sleep 60&", 6, true},
		{"& sleep 60 ;x", 7, true},
		{"& sleep 60", 7, false},     // the value ends the segment
		{"& cat & dog", 5, false},    // no argument: a blank, then the separator
		{"& cat food & x", 5, false}, // words are no shell arguments
	} {
		if got := ChainedOn(c.s, c.j); got != c.want {
			t.Errorf("ChainedOn(%q, %d) = %v, want %v", c.s, c.j, got, c.want)
		}
	}
}

func TestArgumentBeforeReadsOneArgument(t *testing.T) {
	for _, c := range []struct {
		p          string
		arg, empty bool
	}{
		{"1", true, false},
		{"127.0.0.1 ", true, false},
		{"x.example:8080", true, false},
		{"/tmp/a", true, false},
		{"a", true, false},
		{"1|", true, false}, // the first half of "||"
		{"", false, true},
		{" ", false, true},
		{"Tom ", false, false},          // a name
		{"Section 3 ", false, false},    // words
		{"Usage:", false, false},        // a label
		{"--boundary123", false, false}, // a flag or a multipart boundary
	} {
		if arg, empty := ArgumentBefore(c.p); arg != c.arg || empty != c.empty {
			t.Errorf("ArgumentBefore(%q) = %v, %v; want %v, %v", c.p, arg, empty, c.arg, c.empty)
		}
	}
}

func TestArgsLookShellTakesAnAmpersandOnlyWhereTheValueEnds(t *testing.T) {
	for _, c := range []struct {
		s    string
		j    int // where the command word ends
		want bool
	}{
		{"&&id&&", 4, true},
		{"&&id &", 4, true},
		{"; sort & serve", 6, false}, // a sentence goes on after it
		{"; id && x", 4, false},
	} {
		if got := ArgsLookShell(c.s, c.j); got != c.want {
			t.Errorf("ArgsLookShell(%q, %d) = %v, want %v", c.s, c.j, got, c.want)
		}
	}
}

func TestCommandArgsReadsSubcommandsAndToolsAsked(t *testing.T) {
	for _, c := range []struct {
		w, s string
		want bool
	}{
		{"net", "; net view", true},
		{"net", "& net user hacker p@ss /add", true},
		{"reg", "reg query", true},
		{"which", "which gcc", true},
		{"type", "; type wget", true},
		{"net", "; net start was fine", false}, // a sentence goes on
		{"which", "which python version", false},
		{"which", "which is it", false},
		{"net", "net viewing", false},
	} {
		j := strings.Index(c.s, c.w) + len(c.w)
		if got := CommandArgs(c.w, c.s, j); got != c.want {
			t.Errorf("CommandArgs(%q, %q, %d) = %v, want %v", c.w, c.s, j, got, c.want)
		}
	}
}

func TestExpansionSyntaxReadsAHereStringNotABanner(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"bash<<<id", true},
		{"cat <<< $x", true},
		{"<<<<< evacuation route <<<<<", false},
		{"a <<<< b", false},
	} {
		have := lex.BytesOf(c.s)
		if got := ExpansionSyntax(c.s, &have) >= 0; got != c.want {
			t.Errorf("ExpansionSyntax(%q) found = %v, want %v", c.s, got, c.want)
		}
	}
}
