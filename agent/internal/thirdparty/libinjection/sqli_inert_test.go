package libinjection

import (
	"math/rand/v2"
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// TestInertTextSpellsNoKeyword checks the keyword table facts sqliInert
// rests on: every key an inert text can spell (upper-cased letters,
// operators and spaces, no two letters side by side) is an operator or a
// logic operator, and no blacklisted fingerprint is made of barewords,
// operators and logic operators alone, or of them and the comment a '#'
// opens in MySQL's reading, but "nc".
func TestInertTextSpellsNoKeyword(t *testing.T) {
	spellable := func(key string) bool {
		letter := false
		for i := 0; i < len(key); i++ {
			c := key[i]
			switch {
			case c >= 'A' && c <= 'Z':
				if letter {
					return false
				}
				letter = true
			case inertBytes[c] == inertDelimiter:
				letter = false
			default:
				return false
			}
		}
		return true
	}
	fingerprints := 0
	for _, k := range sqlKeywords {
		if k.val == sqliTokenTypeFingerprint {
			fingerprints++
			// "nc" is the one such fingerprint, and notWhitelist sets
			// a two-token fingerprint aside when its comment is a '#'
			// one, the only comment an inert text holds
			if f := k.key[1:]; strings.Trim(strings.TrimSuffix(f, "C"), "NO&") == "" && f != "NC" {
				t.Errorf("fingerprint %q is made of barewords and operators alone, or of them and a closing comment", f)
			}
			continue
		}
		if spellable(k.key) && k.val != sqliTokenTypeOperator && k.val != sqliTokenTypeLogicOperator {
			t.Errorf("an inert text spells keyword %q of type %q", k.key, k.val)
		}
	}
	if fingerprints < 8000 {
		t.Fatalf("only %d fingerprints in the table", fingerprints)
	}
}

// TestSqliInertAcceptsOnlyOneLetterWordsAndOperators pins which texts skip
// the tokenizer.
func TestSqliInertAcceptsOnlyOneLetterWordsAndOperators(t *testing.T) {
	cases := []struct {
		s    string
		want bool
	}{
		{"", true},
		{"<a<a<a", true},
		{"a = b", true},
		{"x|y&z", true},
		{"a <> b != c", true},
		{"n\x00q\tu\nx", true},
		{"ab", false},      // a word that may be a keyword
		{"a'", false},      // a quote context
		{`a"`, false},      // a quote context
		{"1", false},       // a number
		{"a-b", false},     // a dash comment may start
		{"a#", true},       // an operator, or a comment to the end of the line
		{"a#b\nc", true},   // the line after a hash comment
		{"a#bc", false},    // two letters, even in a comment
		{"a/b", false},     // a C comment may start
		{"a\x01b", false},  // one word through a control byte
		{"a\u00e9", false}, // non-ASCII joins the word
		{"a.b", false},     // a dotted name
		{"(a)", false},     // parentheses
		{"a;b", false},     // a statement separator
		{"a:b", false},     // a colon
		{"@a", false},      // a variable
		{"`a`", false},     // a quoted name
		{"\\N", false},     // NULL
		{"$1", false},      // money
		{"{a", false},      // ODBC escape
		{"[a]", false},     // MS SQL name
		{"a,b", false},     // a comma
		{"a?", false},      // other
		{"\u00a0a", false}, // no-break space is left out
		{"<a<a<ab", false}, // the last word has two letters
		{"a\x7fb", false},  // DEL is white space but not a delimiter
		{strings.Repeat("<a", 1000) + "or", false},
	}
	for _, c := range cases {
		if got := sqliInert(c.s); got != c.want {
			t.Errorf("sqliInert(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestInertMatchesUpstream runs upstream on every text of up to four
// bytes over the delimiters of inertBytes and some letters (those that
// start special strings: b, e, n, q, u, x) and on long random and repeated ones: IsSQLi's answer
// with the shortcut is upstream's on each, and upstream flags none of the
// inert ones.
func TestInertMatchesUpstream(t *testing.T) {
	alphabet := []byte("abenquxBN") // letters, with those that start special strings
	for c := range 256 {
		if inertBytes[c] == inertDelimiter {
			alphabet = append(alphabet, byte(c))
		}
	}
	inert := 0
	check := func(s string) {
		gotOK, gotFP := IsSQLi(s)
		wantOK, wantFP := upstream.IsSQLi(s)
		if gotOK != wantOK || gotFP != wantFP {
			t.Fatalf("IsSQLi(%q) = %v %q, upstream %v %q", s, gotOK, gotFP, wantOK, wantFP)
		}
		if sqliInert(s) {
			inert++
			if wantOK {
				t.Fatalf("upstream flags inert text %q as %q", s, wantFP)
			}
		}
	}
	buf := make([]byte, 0, 4)
	var all func(n int)
	all = func(n int) {
		check(string(buf))
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			buf = append(buf, c)
			all(n - 1)
			buf = buf[:len(buf)-1]
		}
	}
	all(4)
	r := rand.New(rand.NewPCG(5, 29))
	for range 20000 {
		b := make([]byte, 5+r.IntN(200))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
	for _, unit := range []string{"<a", "a<", "a=", "a|", "a&&b ", "a||", "!a", "~a^b", "a%b*", "n <=> x ", "u&q ", "&#", "a#", "#\n", "a #b\n"} {
		check(strings.Repeat(unit, 50000))
	}
	if inert < 100000 {
		t.Fatalf("only %d inert texts compared", inert)
	}
}
