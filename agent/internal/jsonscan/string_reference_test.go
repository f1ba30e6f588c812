package jsonscan

// scanString as it was before it skipped eight plain bytes at a time and
// runs of escapes, and AppendUnquote before it decoded the escapes of one
// byte itself: the oracles TestScanStringMatchesReference and
// TestAppendUnquoteMatchesReference hold the new code to. Kept verbatim
// apart from the names.

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
)

func (s *Scanner) refScanString() (Token, error) {
	s.pos++ // opening quote
	start := s.pos
	escaped := false
	for s.pos < len(s.data) {
		for s.pos < len(s.data) && !stringSpecial[s.data[s.pos]] {
			s.pos++
		}
		if s.pos == len(s.data) {
			break
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			t := Token{Kind: String, Start: start, End: s.pos, Escaped: escaped}
			s.pos++
			return t, nil
		case c == '\\':
			escaped = true
			if s.pos+1 >= len(s.data) {
				s.pos++
				return Token{}, s.errorf("unterminated escape")
			}
			switch s.data[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.data) || !isHex4(s.data[s.pos+2:s.pos+6]) {
					return Token{}, s.errorf("invalid \\u escape")
				}
				s.pos += 6
			default:
				return Token{}, s.errorf("invalid escape")
			}
		case c < 0x20:
			return Token{}, s.errorf("control character in string")
		default:
			s.pos++
		}
	}
	return Token{}, s.errorf("unterminated string")
}

func refAppendUnquote(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			j := i + 1
			for j < len(raw) && j < i+16 && raw[j] != '\\' {
				j++
			}
			if j == i+16 {
				if k := bytes.IndexByte(raw[j:], '\\'); k >= 0 {
					j += k
				} else {
					j = len(raw)
				}
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		var ok bool
		if dst, i, ok = appendEscape(dst, raw, i); !ok {
			break
		}
	}
	return dst
}

// TestAppendUnquoteMatchesReference: AppendUnquote appends what the
// reference appends, for escapes of every kind (valid, invalid, cut
// short, surrogate pairs) in runs and between text.
func TestAppendUnquoteMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	pieces := []string{"a", "abcdefghijklmnopq", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\ud83d\\ude00",
		"\\ud83d", "\\u00", "\\x", "\\", "é", "\xff", "\x00"}
	for range 30000 {
		var b strings.Builder
		for range r.IntN(20) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		raw := []byte(b.String())
		if got, want := AppendUnquote([]byte("x"), raw), refAppendUnquote([]byte("x"), raw); !bytes.Equal(got, want) {
			t.Fatalf("AppendUnquote(%q) = %q, want %q", raw, got, want)
		}
	}
}

// TestHasStringSpecialFindsEveryByte: a block of eight bytes is flagged
// whenever one of them is special, every byte value at every position
// among plain, high and near-special neighbours.
func TestHasStringSpecialFindsEveryByte(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	fills := []byte{'a', 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff}
	for _, fill := range fills {
		for pos := range 8 {
			for c := range 256 {
				var b [8]byte
				for i := range b {
					b[i] = fill
					if r.IntN(3) == 0 {
						b[i] = fills[r.IntN(len(fills))]
					}
				}
				b[pos] = byte(c)
				want := false
				for _, x := range b {
					want = want || stringSpecial[x]
				}
				if got := hasStringSpecial(binary.LittleEndian.Uint64(b[:])); got != want && want {
					t.Fatalf("hasStringSpecial(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// TestScanStringMatchesReference: scanString returns the token, the error
// and the position the reference returns, for strings of every length
// around the eight-byte blocks with quotes, escapes, control characters
// and high bytes anywhere, unterminated or not.
func TestScanStringMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	pieces := []string{"a", "abcdefgh", "\"", "\\\"", "\\\\", "\\/", "\\n", "\\u0041", "\\u00", "\\x", "\\", "\x01", "\x1f", " ", "\x7f", "é", "\xff", "\x80", "]", "#"}
	inputs := []string{`"`, `""`, `"abc"`, `"` + strings.Repeat("x", 1000) + `"`, `"` + strings.Repeat("x", 1000) + "\x00\"", `"` + strings.Repeat("\\n", 100) + `"`}
	for range 30000 {
		var b strings.Builder
		b.WriteByte('"')
		for range r.IntN(20) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		for cut := range min(len(in), 10) {
			data := []byte(in[cut:])
			if len(data) == 0 || data[0] != '"' {
				data = append([]byte{'"'}, data...)
			}
			got, want := &Scanner{data: data}, &Scanner{data: data}
			gt, gerr := got.scanString()
			wt, werr := want.refScanString()
			if gt != wt || got.pos != want.pos || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
				t.Fatalf("scanString(%q) = %+v, %v at %d; want %+v, %v at %d", data, gt, gerr, got.pos, wt, werr, want.pos)
			}
		}
	}
}

// BenchmarkScanString compares scanString with its reference on a long
// plain string and on one with an escape every few bytes.
func BenchmarkScanString(b *testing.B) {
	for name, body := range map[string]string{"plain": strings.Repeat("<;&amp;%25", 100000), "escaped": strings.Repeat(`ab\"cd`, 100000)} {
		data := []byte(`"` + body + `"`)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s := Scanner{data: data}
				s.scanString()
			}
		})
		b.Run(name+"/reference", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s := Scanner{data: data}
				s.refScanString()
			}
		})
	}
}
