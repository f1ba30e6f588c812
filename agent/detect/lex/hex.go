package lex

// Unhex2 decodes the hex digits a and b as one byte (the two digits of a
// %XX or \xXX escape); ok is false unless both are hex digits.
func Unhex2(a, b byte) (c byte, ok bool) {
	x, ok1 := Unhex(a)
	y, ok2 := Unhex(b)
	return x<<4 | y, ok1 && ok2
}

// Unhex decodes one hex digit of either case.
func Unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
