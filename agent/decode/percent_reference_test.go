package decode

// percentDecodeOpt as it was before it allocated only once an escape
// decodes: the oracle TestPercentDecodeMatchesReference holds the new code
// to. Kept verbatim apart from the name.

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func refPercentDecodeOpt(s string, plus, iis bool) (out string, changed, invalid, unicode bool) {
	i := strings.IndexByte(s, '%')
	if plus {
		if j := strings.IndexByte(s, '+'); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	if i < 0 {
		return s, false, false, false
	}
	buf := make([]byte, 0, len(s))
	buf = append(buf, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			buf = append(buf, ' ')
			changed = true
		case c == '%':
			if iis && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
				a, b, c2, d := unhex(s[i+2]), unhex(s[i+3]), unhex(s[i+4]), unhex(s[i+5])
				if a >= 0 && b >= 0 && c2 >= 0 && d >= 0 {
					buf = utf8.AppendRune(buf, rune(a<<12|b<<8|c2<<4|d))
					i += 5
					changed, unicode = true, true
					continue
				}
			}
			if i+2 < len(s) {
				a, b := unhex(s[i+1]), unhex(s[i+2])
				if a >= 0 && b >= 0 {
					buf = append(buf, byte(a<<4|b))
					i += 2
					changed = true
					continue
				}
			}
			invalid = true
			buf = append(buf, c)
		default:
			buf = append(buf, c)
		}
	}
	if !changed {
		return s, false, invalid, false
	}
	return stringOf(buf), true, invalid, unicode
}

// TestPercentDecodeMatchesReference: percentDecodeOpt returns exactly what
// the reference returns (text, changed, invalid, unicode), with and
// without '+' and %uXXXX, for escapes valid, cut short, stray, nested and
// surrogate, at the start, the end and between text, and for random
// strings over the bytes the decoder treats differently.
func TestPercentDecodeMatchesReference(t *testing.T) {
	inputs := []string{"", "a", "%", "%%", "%4", "%41", "%4g", "a%41b", "%u0041", "%U00e9", "%u004", "%uD800", "%uzzzz",
		"%u0041%41", "+", "a+b", "%+", "+%", "%%41", "%%u0041", "%2525", "%253Cscript%253E", "%C0%AF", "%e9",
		"<;&amp;%25", "= %u0041;<-|[", "&amp;%2e%2e/<?+", strings.Repeat("%", 100) + "+", strings.Repeat("%z", 50) + "%41",
		strings.Repeat("<;&amp;%25", 300), strings.Repeat("= %u0041;<-|[", 300)}
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"%", "%4", "%41", "%u", "%u00", "%u0041", "%U00E9", "%uDC00", "+", "a", "F", "u", "g", " ", "é", "\xff", "%%", "%2e",
		"a run of plain text longer than sixteen bytes", "a long run with + a plus inside it, then more"}
	for range 30000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		for _, plus := range []bool{false, true} {
			for _, iis := range []bool{false, true} {
				out, changed, invalid, unicode := percentDecodeOpt(s, plus, iis)
				wout, wchanged, winvalid, wunicode := refPercentDecodeOpt(s, plus, iis)
				if out != wout || changed != wchanged || invalid != winvalid || unicode != wunicode {
					t.Fatalf("percentDecodeOpt(%q, %v, %v) = %q %v %v %v, want %q %v %v %v",
						s, plus, iis, out, changed, invalid, unicode, wout, wchanged, winvalid, wunicode)
				}
			}
		}
	}
}

// BenchmarkPercentDecode compares the decoder with its reference on the
// texts the worst-case values decode.
func BenchmarkPercentDecode(b *testing.B) {
	for _, unit := range []string{"<;&amp;%25", "<;&amp;%", "= %u0041;<-|[", "%253Cscript%253E", "a+b%41"} {
		s := strings.Repeat(unit, (1<<20)/len(unit))
		b.Run(unit, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				percentDecodeOpt(s, false, false)
			}
		})
		b.Run(unit+"/reference", func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				refPercentDecodeOpt(s, false, false)
			}
		})
	}
}
