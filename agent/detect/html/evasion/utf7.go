package evasion

import "strings"

// UTF7Decode decodes the UTF-7 shifted sequences (+<modified base64>-) of
// s that encode ASCII, which is how "+ADw-" hides "<"; ok is false when s
// holds none.
func UTF7Decode(s string) (string, bool) {
	var b strings.Builder
	ok := false
	for i := 0; i < len(s); i++ {
		if s[i] != '+' {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && b64Value(s[j]) >= 0 {
			j++
		}
		if j == i+1 {
			b.WriteByte('+')
			continue
		}
		// 16-bit units, big-endian, in base64 without padding
		var acc uint32
		bits := 0
		var units []uint16
		for k := i + 1; k < j; k++ {
			acc = acc<<6 | uint32(b64Value(s[k]))
			bits += 6
			if bits >= 16 {
				bits -= 16
				units = append(units, uint16(acc>>uint(bits)))
				acc &= 1<<uint(bits) - 1
			}
		}
		for _, u := range units {
			if u < 0x80 {
				b.WriteByte(byte(u))
				ok = true
			}
		}
		i = j
		if j < len(s) && s[j] != '-' {
			i = j - 1
		}
	}
	return b.String(), ok
}

// b64Value is the value of a base64 digit, or -1.
func b64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}
