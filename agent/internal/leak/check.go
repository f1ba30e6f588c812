package leak

// luhn reports whether the digits pass the Luhn checksum.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// knownIssuer checks the issuer identification number and length of the
// major card networks, which removes most Luhn-valid numeric ids.
func knownIssuer(d []byte) bool {
	n := len(d)
	p := func(k int) int {
		v := 0
		for i := 0; i < k; i++ {
			v = v*10 + int(d[i]-'0')
		}
		return v
	}
	switch {
	case d[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p(2) >= 51 && p(2) <= 55, p(4) >= 2221 && p(4) <= 2720: // Mastercard
		return n == 16
	case p(2) == 34 || p(2) == 37: // American Express
		return n == 15
	case p(4) == 6011, p(2) == 65, p(3) >= 644 && p(3) <= 649, p(2) == 62: // Discover, UnionPay
		return n >= 16 && n <= 19
	case p(4) >= 3528 && p(4) <= 3589: // JCB
		return n >= 16 && n <= 19
	case p(2) == 36 || p(2) == 38 || p(3) >= 300 && p(3) <= 305: // Diners Club
		return n >= 14 && n <= 19
	case p(2) == 50 || p(2) >= 56 && p(2) <= 69: // Maestro
		return n >= 12 && n <= 19
	}
	return false
}

// validSSN applies the Social Security Administration's rules to
// "AAA-GG-SSSS": area not 000, 666 or 9xx, group not 00, serial not 0000,
// and not one of the numbers famously published in advertising.
func validSSN(b []byte) bool {
	area := string(b[0:3])
	group := string(b[4:6])
	serial := string(b[7:11])
	if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
		return false
	}
	switch string(b) {
	case "078-05-1120", "219-09-9999", "123-45-6789":
		return false
	}
	return true
}

// validCPF checks both check digits of a Brazilian CPF "ddd.ddd.ddd-dd".
func validCPF(b []byte) bool {
	var d [11]int
	n := 0
	for _, c := range b {
		if isDigit(c) {
			d[n] = int(c - '0')
			n++
		}
	}
	if n != 11 {
		return false
	}
	same := true
	for i := 1; i < 11; i++ {
		if d[i] != d[0] {
			same = false
		}
	}
	if same {
		return false
	}
	for k := 9; k <= 10; k++ {
		sum := 0
		for i := 0; i < k; i++ {
			sum += d[i] * (k + 1 - i)
		}
		r := sum * 10 % 11
		if r == 10 {
			r = 0
		}
		if r != d[k] {
			return false
		}
	}
	return true
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// validDNI checks the letter of a Spanish DNI "12345678Z".
func validDNI(b []byte) bool {
	if len(b) != 9 {
		return false
	}
	n := 0
	for _, c := range b[:8] {
		if !isDigit(c) {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return b[8] == dniLetters[n%23]
}

// validNIE checks a Spanish foreigner id "X1234567L": the leading X, Y or Z
// stands for 0, 1 or 2 in the DNI check.
func validNIE(b []byte) bool {
	if len(b) != 9 {
		return false
	}
	var n int
	switch b[0] {
	case 'X':
		n = 0
	case 'Y':
		n = 1
	case 'Z':
		n = 2
	default:
		return false
	}
	for _, c := range b[1:8] {
		if !isDigit(c) {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return b[8] == dniLetters[n%23]
}

// awsKeyPrefixes are the four-letter prefixes of AWS credential ids that
// grant access (user and temporary access keys, and their siblings).
var awsKeyPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"}

// isAWSKeyID reports whether b is a 20-character AWS key id: a known prefix
// then 16 base32 characters.
func isAWSKeyID(b []byte) bool {
	ok := false
	for _, p := range awsKeyPrefixes {
		if string(b[:4]) == p {
			ok = true
			break
		}
	}
	if !ok {
		return false
	}
	for _, c := range b[4:] {
		if !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}
