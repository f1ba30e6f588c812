package libinjection

import (
	"math/rand/v2"
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// TestInertTextSpellsNoKeyword checks the keyword table facts sqliInert
// rests on: every key an inert text can spell (upper-cased words and
// operators joined by spaces, each word one letter, or a letter then
// letters and digits that is no key itself) is an operator or a logic
// operator, and no blacklisted fingerprint is made of barewords,
// operators and logic operators alone, or of them and the comment a '#'
// opens in MySQL's reading, but "nc".
func TestInertTextSpellsNoKeyword(t *testing.T) {
	// word reports whether w is a word an inert text holds as a bareword
	// or, one letter, as whatever key it is
	word := func(w string) bool {
		if w == "" || w[0] < 'A' || w[0] > 'Z' {
			return false
		}
		for i := 1; i < len(w); i++ {
			if c := w[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
				return false
			}
		}
		return len(w) == 1 || searchKeyword(w, sqlKeywords) == byteNull && !isPhrasePart(w)
	}
	for _, k := range sqlKeywords {
		if k.val == sqliTokenTypeFingerprint || !strings.Contains(k.key, " ") {
			continue
		}
		for _, part := range strings.Split(k.key, " ") {
			if len(part) > 1 && word(part) || len(part) > 1 && word(strings.ToLower(part)) {
				t.Errorf("%q of phrase %q is a word an inert text holds", part, k.key)
			}
		}
	}
	spellable := func(key string) bool {
		for _, part := range strings.Split(key, " ") {
			if word(part) {
				continue
			}
			for i := 0; i < len(part); i++ {
				if c := part[i]; inertBytes[c] != inertDelimiter {
					return false
				}
			}
			if part == "" {
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
		{"ab", true},       // a word that is no keyword
		{"or", false},      // a logic operator
		{"a or b", false},  // a logic operator
		{"SeLeCt", false},  // a keyword in any case
		{"<script>", true}, // no keyword
		{"JTI1M0NzY3JpcHQlMjUzRQ==JTI1M0Nz", true},
		{"a1b2 c3", true},  // digits inside words
		{"1a", false},      // a number
		{"a 1", false},     // a number
		{"utf8", true},     // no keyword
		{"a'", false},      // a quote context
		{`a"`, false},      // a quote context
		{"1", false},       // a number
		{"a-b", false},     // a dash comment may start
		{"a#", true},       // an operator, or a comment to the end of the line
		{"a#b\nc", true},   // the line after a hash comment
		{"a#bc", true},     // a word that is no keyword, or a comment
		{"a#or", false},    // a logic operator, even in a comment
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
		{"<a<a<ab", true},  // the last word is no keyword
		{"<a<a<as", false}, // the last word is a keyword
		{"a\x7fb", false},  // DEL is white space but not a delimiter
		{strings.Repeat("<a", 1000) + " or", false},
		{strings.Repeat("<a", 1000) + "or", true}, // "aor"
		{"current path", false},                   // two words that merge into a variable
		{"next value", false},
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
	for _, unit := range []string{"<a", "a<", "a=", "a|", "a&&b ", "a||", "!a", "~a^b", "a%b*", "n <=> x ", "u&q ", "&#", "a#", "#\n", "a #b\n",
		"<script>", "JTI1M0NzY3JpcHQlMjUzRQ==", "x1 ", "ab<", "current path ", "abc#def\n"} {
		check(strings.Repeat(unit, 50000))
	}
	// words of more than one letter: keywords, phrase parts, others
	words := []string{"script", "select", "or", "and", "xor", "not", "like", "in", "is", "null", "union", "all", "by", "group",
		"current", "path", "next", "value", "degree", "abc", "x1", "a1b", "JTI1M0Nz", "utf8", "ab", "ba", "qu", "en", "nq", "bx",
		"<", ">", "=", "==", "<=>", "!=", "||", "&&", " ", "  ", "#", "\n", "\t", "\x00", "^", "~", "%", "*", "+", "1", "0"}
	for _, k := range sqlKeywords { // and the parts of every phrase
		if k.val != sqliTokenTypeFingerprint && strings.Contains(k.key, " ") {
			words = append(words, strings.Split(strings.ToLower(k.key), " ")...)
		}
	}
	for range 60000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(words[r.IntN(len(words))])
		}
		check(b.String())
	}
	if inert < 110000 {
		t.Fatalf("only %d inert texts compared", inert)
	}
}
