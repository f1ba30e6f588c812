package libinjection

// inertClass sorts the bytes of a text that IsSQLi cannot flag.
type inertClass uint8

const (
	inertNo        inertClass = iota // a byte that can start or join any other token
	inertLetter                      // an ASCII letter: a one-letter word is a bareword
	inertDelimiter                   // ends a word and is white space or an operator
)

// inertBytes classifies every byte for sqliInert. The delimiters are the
// bytes that both end a word (wordAcceptTable) and start only white space
// or an operator: ' ', \t, \n, \v, \f, \r, NUL and ! % & * + < = > ^ | ~,
// and '#', an operator in the ANSI reading and a comment to the end of
// the line in MySQL's.
// The other control bytes are left out: the tokenizer skips them as white
// space before a token but a word runs through them ("a\x01b" is one word).
var inertBytes = func() (t [256]inertClass) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = inertLetter
		t[c-'a'+'A'] = inertLetter
	}
	for _, c := range []byte(" \t\n\v\f\r\x00!#%&*+<=>^|~") {
		t[c] = inertDelimiter
	}
	return t
}()

// sqliInert reports whether s is made only of one-letter words, white
// space and the operators of inertBytes, which IsSQLi never flags. Such a
// text has no quote (so only the as-is context is tried), no '-' or C
// comment, no number, string, variable, parenthesis, comma, semicolon or
// colon, and no word of two letters or more, while no keyword or phrase
// that its tokens can spell (one letter, an operator pair, tokens joined
// by a space in the fold's merge) is anything but an operator or a logic
// operator (TestInertTextSpellsNoKeyword). In the ANSI reading its tokens
// are therefore barewords, operators and logic operators, which the fold
// keeps as such. A '#' makes IsSQLi read the text again as MySQL, where
// it opens a comment to the end of the line, which the fold drops unless
// it ends the text: that fingerprint ends in 'c'. No blacklisted
// fingerprint is made of 'n', 'o' and '&' alone, or of them and a last
// 'c', but "nc" (the same test), which notWhitelist sets aside when its
// comment opens with '#'. The check is one pass with a table lookup a
// byte, against the tokenizer's pass and fold over the whole text: "<a"
// repeated over 1 MiB folds as arithmetic to its end and is never SQLi,
// nor is "&#" repeated, folded twice. TestInertMatchesUpstream holds it
// to upstream on every short text of these bytes and on long random ones.
func sqliInert(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		switch inertBytes[s[i]] {
		case inertNo:
			return false
		case inertLetter:
			if letter {
				return false
			}
			letter = true
		default:
			letter = false
		}
	}
	return true
}
