package leak

import ()

// digitsAt matches a pattern of digit groups separated by fixed bytes,
// e.g. {3,'-',2,'-',4}.
func (s *scanner) digitsAt(i int, groups []int, seps []byte) (int, bool) {
	t := s.text
	for g, width := range groups {
		for k := 0; k < width; k++ {
			if i >= len(t) || !isDigit(t[i]) {
				return 0, false
			}
			i++
		}
		if g < len(seps) {
			if i >= len(t) || t[i] != seps[g] {
				return 0, false
			}
			i++
		}
	}
	return i, true
}

func (s *scanner) ssn(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	e, ok := s.digitsAt(i, []int{3, 2, 4}, []byte{'-', '-'})
	if !ok || !s.boundaryAfter(e) {
		return 0, false
	}
	return e, validSSN(s.text[i:e])
}

func (s *scanner) cpf(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	e, ok := s.digitsAt(i, []int{3, 3, 3, 2}, []byte{'.', '.', '-'})
	if !ok || !s.boundaryAfter(e) {
		return 0, false
	}
	return e, validCPF(s.text[i:e])
}

func (s *scanner) spanishID(start, end int) (int, bool) {
	// Eight digits immediately followed by the check letter, in one run.
	if end-start != 9 || !s.numericBoundaryBefore(start) {
		return 0, false
	}
	return end, validDNI(s.text[start:end])
}

// card matches 12 to 19 digits, optionally grouped by single spaces or
// dashes (one separator kind), that pass the Luhn check and start with a
// known issuer prefix.
func (s *scanner) card(i int) (int, bool) {
	if !s.numericBoundaryBefore(i) {
		return 0, false
	}
	t := s.text
	var digits [19]byte
	nd := 0
	var sep byte
	end := i
	j := i
	for j < len(t) {
		c := t[j]
		if isDigit(c) {
			if nd == len(digits) {
				return 0, false // too long to be a card
			}
			digits[nd] = c
			nd++
			j++
			end = j
			continue
		}
		if (c == ' ' || c == '-') && j+1 == len(t) && nd > 0 && !s.atEOF {
			// A separator at the end of a chunk: the number may go on.
			s.hold(i)
			return 0, false
		}
		if (c == ' ' || c == '-') && j+1 < len(t) && isDigit(t[j+1]) && nd > 0 {
			if sep == 0 {
				sep = c
			} else if sep != c {
				break
			}
			j++
			continue
		}
		break
	}
	if nd < 12 {
		return 0, false
	}
	if end == len(t) && !s.atEOF {
		s.hold(i)
		return 0, false
	}
	if !s.boundaryAfter(end) {
		return 0, false
	}
	d := digits[:nd]
	if !knownIssuer(d) || !luhn(d) {
		return 0, false
	}
	return end, true
}
