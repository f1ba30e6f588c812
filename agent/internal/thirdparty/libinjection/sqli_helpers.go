package libinjection

import (
	"strings"
)

func flag2Delimiter(flag int) byte {
	switch {
	case (flag & sqliFlagQuoteSingle) != 0:
		return byteSingle
	case (flag & sqliFlagQuoteDouble) != 0:
		return byteDouble
	default:
		return byteNull
	}
}

// OK! "	\"	" one backslash = escaped!
//
//		   "   \\"	" two backslash = not escaped!
//	    "  \\\"	" three backslash = escaped!
func isBackslashEscaped(str string) bool {
	count := 0
	for i := len(str) - 1; i >= 0; i-- {
		if str[i] == '\\' {
			count++
		} else {
			break
		}
	}
	// if number of backslashes is odd, it is escaped
	return count%2 != 0
}

func isDoubleDelimiterEscaped(str string) bool {
	return len(str) >= 2 && str[0] == str[1]
}

func isByteWhite(ch byte) bool {
	// ' '  space is 0x32
	// '\t  0x09 \011 horizontal tab
	// '\n' 0x0a \012 new line
	// '\v' 0x0b \013 vertical tab
	// '\f' 0x0c \014 new page
	// '\r' 0x0d \015 carriage return
	// 0x00 \000 null (oracle)
	// 0xa0 \240 is Latin-1
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r' || ch == '\240' || ch == '\000'
}

// byteSet is a set of bytes, one entry per byte value: strLenSpn's accept
// strings as tables (changed: upstream passes a string and calls
// strings.IndexByte on it for every byte of the span).
type byteSet [256]bool

// newByteSet returns the set of the bytes of chars.
func newByteSet(chars string) *byteSet {
	var b byteSet
	for i := 0; i < len(chars); i++ {
		b[chars[i]] = true
	}
	return &b
}

// The accept sets of strLenSpn's callers.
var (
	moneyBytes  = newByteSet("0123456789.,")
	letterBytes = newByteSet("abcdefghjiklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	hexBytes    = newByteSet("0123456789ABCDEFabcdef")
	binaryBytes = newByteSet("01")
)

// Find the largest string containing certain characters.
//
// if accept is "ABC", then this function would be similar to
// regexp.match(str, "[ABC]*")
func strLenSpn(s string, length int, accept *byteSet) int {
	for i := 0; i < length; i++ {
		if !accept[s[i]] {
			return i
		}
	}

	return length
}

func strLenCSpn(s string, length int, accept []byte) int {
	for i := 0; i < length; i++ {
		if accept[s[i]] == 1 {
			return i
		}
	}

	return length
}

// This detects MySQL comments, comments that
// start with /x! We just ban these now but
// previously we attempted to parse the inside.
//
// For reference:
// the form of /x![anything]x/ or /x!12345[anything]x/
//
// MySQL3 (maybe 4), allowed this:
//
//	/x!0selectx/ 1;
//
// where 0 could be any number
//
// The last version of MySQL 3 was in 2003.
//
// It is unclear if the MySQL 3 syntax was allowed
// in MySQL 4. The last version of MySQL 4 was in 2008.
func isMysqlComment(s string, pos int) bool {
	// so far...
	// s[pos] == '/' && s[pos+1] == '*'
	if pos+2 >= len(s) {
		return false
	}

	if s[pos+2] != '!' {
		return false
	}

	return true
}

func toUpperCmp(expectedUpper, s string) bool {
	if len(expectedUpper) != len(s) {
		return false
	}
	for i := 0; i < len(expectedUpper); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 0x20
		}
		if expectedUpper[i] != c {
			return false
		}
	}
	return true
}

func searchKeyword(key string, keywords keywordTable) byte {
	// (changed: the filter is asked before the upper-cased copy, which
	// only a word that may be a key is worth)
	if len(key) > tokenSize || !isASCII(key) {
		return searchKeywordUnicode(key, keywords)
	}
	if len(key) == 0 || !mayBeKeyword(len(key), key[0], key[min(1, len(key)-1)], key[len(key)-1]) {
		return byteNull
	}
	var buf [tokenSize]byte
	upper, _ := appendUpperASCII(buf[:0], key)
	if val, ok := keywords.lookup(upper); ok {
		return val
	}
	return byteNull
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	var or byte
	for i := 0; i < len(s); i++ {
		or |= s[i]
	}
	return or < 0x80
}

// mayBeKeyword asks keywordFilter and keywordSecond about an ASCII word
// of n bytes (1 to tokenSize) that opens on first and second (any byte
// when n is 1) and closes on last, in any case: false means no key of
// sqlKeywords is that word upper-cased.
func mayBeKeyword(n int, first, second, last byte) bool {
	first = upperASCII(first)
	return keywordFilter[n][first]&(1<<(upperASCII(last)&63)) != 0 &&
		(n == 1 || keywordSecond[n][first&127]&(1<<(upperASCII(second)&63)) != 0)
}

// upperASCII upper-cases an ASCII letter and leaves any other byte.
func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 0x20
	}
	return c
}

// searchUpper looks up an upper-cased ASCII word of at most tokenSize
// bytes, first in keywordFilter.
func searchUpper(upper []byte, keywords keywordTable) byte {
	n := len(upper)
	if n == 0 || keywordFilter[n][upper[0]]&(1<<(upper[n-1]&63)) == 0 {
		return byteNull
	}
	if val, ok := keywords.lookup(upper); ok {
		return val
	}
	return byteNull
}

// searchKeywordUnicode is upstream's lookup, kept for words that are not
// ASCII: strings.ToUpper maps some of them to ASCII keywords ("ſelect",
// with a long s, is SELECT).
func searchKeywordUnicode(key string, keywords keywordTable) byte {
	upperKey := strings.ToUpper(key)

	if val, ok := keywords.lookup([]byte(upperKey)); ok {
		return val
	}

	return byteNull
}

// appendUpperASCII appends s upper-cased to dst; ok is false when s is
// longer than dst's capacity or holds a byte that is not ASCII (dst is
// then unusable).
func appendUpperASCII(dst []byte, s string) ([]byte, bool) {
	if len(dst)+len(s) > cap(dst) {
		return dst, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return dst, false
		}
		if c >= 'a' && c <= 'z' {
			c -= 0x20
		}
		dst = append(dst, c)
	}
	return dst, true
}

// keyword is one entry of a keywordTable.
type keyword struct {
	key string
	val byte
}

// keywordTable is a keyword map as a slice sorted by key (see
// sqlKeywords).
type keywordTable []keyword

// lookup returns the value of key, which it does not retain.
func (t keywordTable) lookup(key []byte) (byte, bool) {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := compareKey(t[m].key, key); {
		case c == 0:
			return t[m].val, true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false
}

// compareKey compares a key with a word byte by byte, as strings compare.
func compareKey(a string, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// operatorPair returns what searchKeyword returns for pair, two bytes.
func operatorPair(pair string) byte {
	if pair[0] < 0x80 && pair[1] < 0x80 {
		return operatorPairs[pair[0]][pair[1]]
	}
	return searchKeyword(pair, sqlKeywords)
}
