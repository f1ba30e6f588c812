package libinjection

import "slices"

// inertClass sorts the bytes of a text that IsSQLi cannot flag.
type inertClass uint8

const (
	inertNo        inertClass = iota // a byte that can start or join any other token
	inertLetter                      // an ASCII letter: a one-letter word is a bareword
	inertDelimiter                   // ends a word and is white space or an operator
	inertDigit                       // an ASCII digit: inert inside a word, a number at its start
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
	for c := '0'; c <= '9'; c++ {
		t[c] = inertDigit
	}
	return t
}()

// isPhrasePart reports whether the ASCII word w (2 to tokenSize-1 bytes),
// upper-cased, is in phraseParts.
func isPhrasePart(w string) bool {
	n := len(w)
	if phraseFirst[n]&(1<<(upperASCII(w[0])&63)) == 0 || phraseLast[n]&(1<<(upperASCII(w[n-1])&63)) == 0 {
		return false
	}
	var buf [tokenSize]byte
	upper, _ := appendUpperASCII(buf[:0], w)
	_, found := slices.BinarySearch(phraseParts, string(upper))
	return found
}

// sqliInert reports whether s is made only of words (an ASCII letter,
// then letters and digits) that are no keyword, white space and the
// operators of inertBytes, which IsSQLi never flags. Such a text has no
// quote (so only the as-is context is tried), no '-' or C comment, no
// number, string, variable, parenthesis, comma, semicolon, colon, dot
// or backtick, and no word the tokenizer reads as anything but a
// bareword: a word of one letter is a bareword or an operator, a longer
// one is looked up as parseWord looks it up (from tokenSize bytes on it
// is not) and must be no key, nor part of a phrase (phraseParts); the
// letters that open special strings (b,
// e, n, q, u, x) do so only before a quote. No keyword or phrase that
// its tokens can spell (one letter, an operator pair, tokens joined by a
// space in the fold's merge, where a longer word is no key itself) is
// anything but an operator or a logic operator
// (TestInertTextSpellsNoKeyword). In the ANSI reading its tokens are
// therefore barewords, operators and logic operators, which the fold
// keeps as such. A '#' makes IsSQLi read the text again as MySQL, where
// it opens a comment to the end of the line, which the fold drops unless
// it ends the text: that fingerprint ends in 'c'. No blacklisted
// fingerprint is made of 'n', 'o' and '&' alone, or of them and a last
// 'c', but "nc" (the same test), which notWhitelist sets aside when its
// comment opens with '#'. The check is a pass with a table lookup a
// byte, then, when every byte may be inert and a word is longer than a
// letter, a look-up of each word of two bytes or more, against the tokenizer's pass and fold over the
// whole text: "<a" repeated over 1 MiB folds as arithmetic to its end
// and is never SQLi, nor is "&#" repeated, folded twice, nor "<script>"
// or base64 between '=' signs. TestInertMatchesUpstream holds it to
// upstream on every short text of these bytes and on long random ones.
// (changed: one-letter words only, before)
func sqliInert(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		switch inertBytes[s[i]] {
		case inertNo:
			return false
		case inertLetter:
			if letter {
				return inertWords(s) // a word longer than a letter
			}
			letter = true
		case inertDigit:
			return inertWords(s)
		default:
			letter = false
		}
	}
	return true
}

// inertWords is sqliInert for a text with a word of two bytes or more:
// first every byte by its class, then each such word looked up.
func inertWords(s string) bool {
	for i := 0; i < len(s); i++ {
		if inertBytes[s[i]] == inertNo {
			return false
		}
	}
	for i := 0; i < len(s); {
		switch inertBytes[s[i]] {
		case inertDigit:
			return false // a number
		case inertLetter:
			j := i + 1
			for j < len(s) && (inertBytes[s[j]] == inertLetter || inertBytes[s[j]] == inertDigit) {
				j++
			}
			if w := s[i:j]; len(w) > 1 && len(w) < tokenSize && (searchKeyword(w, sqlKeywords) != byteNull || isPhrasePart(w)) {
				return false
			}
			i = j
		default:
			i++
		}
	}
	return true
}
