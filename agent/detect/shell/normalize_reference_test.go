package shell

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// normalizeReference is Normalize before it copied the runs of bytes it
// keeps at once: a byte at a time. The oracle for
// TestNormalizeAgreesByteAtATime.
func normalizeReference(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\'', '"':
			// drop quotes that sit inside or next to a word
			if i > 0 && lex.IsWord(s[i-1]) || i+1 < len(s) && lex.IsWord(s[i+1]) {
				continue
			}
		case '\\':
			if i+1 < len(s) && (lex.IsAlnum(s[i+1]) || s[i+1] == '/' || s[i+1] == '.') {
				continue
			}
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue
			}
		case '$':
			r := s[i+1:]
			switch {
			case strings.HasPrefix(r, "{ifs}"), strings.HasPrefix(r, "{ifs%??}"):
				dst = append(dst, ' ')
				i += strings.IndexByte(r, '}') + 1
				continue
			case strings.HasPrefix(r, "ifs"):
				dst = append(dst, ' ')
				i += 3
				if i+2 < len(s) && s[i+1] == '$' && lex.IsDigit(s[i+2]) {
					i += 2
				}
				continue
			case strings.HasPrefix(r, "@"), strings.HasPrefix(r, "*"):
				i++
				continue
			case len(r) > 1 && r[0] == '{' && slashVariable(r):
				dst = append(dst, '/')
				i += strings.IndexByte(r, '}') + 1
				continue
			case shellVariable(r) > 0 && (i == 0 || !lex.IsWord(s[i-1])):
				dst = append(dst, "sh"...)
				i += shellVariable(r)
				continue
			case len(r) > 0 && lex.IsDigit(r[0]) && (i > 0 && lex.IsWord(s[i-1])):
				i++
				continue
			case len(r) > 0 && lex.IsAlpha(r[0]) && i > 0 && lex.IsWord(s[i-1]):
				// an unset variable glued to a word: sh$xx, c$u"a"t
				j := 0
				for j < len(r) && lex.IsWord(r[j]) {
					j++
				}
				i += j
				continue
			case strings.HasPrefix(r, "{}"):
				i += 2
				continue
			case strings.HasPrefix(r, "()"):
				i += 2
				continue
			}
		case '+':
			// a '+' left by a second URL-decoding layer is a space to
			// the application that decodes once more
			dst = append(dst, ' ')
			continue
		case '{':
			// brace expansion {cmd,arg}: a separator before the command
			// (an element list of at most 256 bytes: a value of unclosed
			// braces is read in bounded pieces)
			if j := strings.IndexByte(s[i:min(len(s), i+256)], '}'); j > 0 && strings.IndexByte(s[i:i+j], ',') > 0 && strings.IndexByte(s[i:i+j], ' ') < 0 {
				dst = append(dst, ';')
				seg := s[i+1 : i+j]
				for k := 0; k < len(seg); k++ {
					switch c := seg[k]; {
					case c == ',':
						dst = append(dst, ' ')
					case c == '\'' || c == '"':
						// quoting inside an element: {,$'whoami',}
					case c == '$' && k+1 < len(seg) && (seg[k+1] == '\'' || seg[k+1] == '"'):
					default:
						dst = append(dst, c)
					}
				}
				dst = append(dst, ' ')
				i += j
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// TestNormalizeAgreesByteAtATime holds Normalize to the byte-at-a-time
// copy on the corpora, hostile random strings, random texts of the quoting
// and expansion tricks it removes, their mutations and long runs, into an
// empty buffer and after bytes already in it.
func TestNormalizeAgreesByteAtATime(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(269, 271))
	pieces := []string{"'", "\"", "\\", "\\\n", "$", "${ifs}", "${ifs%??}", "$ifs", "$ifs$9", "$@", "$*", "$1", "$x", "${}", "$()", "$(", "${0}", "${shell}", "$shell", "$bash", "$0", "${path:0:1}", "${home:0:1}", "${tmpdir:0:1}", "${oldpwd:0:1}", "${x", "+", "{", "}", ",", "{cat,/etc/passwd}", "{,$'id',}", " ", "c", "a", "t", "/", ".", "1", "\n", "é"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 12)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(4) == 0 {
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		for _, prefix := range []string{"", "x;"} {
			got := lex.View(Normalize([]byte(prefix), s))
			want := lex.View(normalizeReference([]byte(prefix), s))
			if got != want {
				t.Fatalf("Normalize(%q, %d bytes %.80q) = %.120q, a byte at a time %.120q", prefix, len(s), s, got, want)
			}
		}
	}
}
