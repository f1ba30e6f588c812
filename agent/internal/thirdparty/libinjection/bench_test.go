package libinjection

import (
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// benchInputs are long inputs that keep the SQL fold and the HTML5
// tokenizer busy to their end.
var benchInputs = []struct{ name, s string }{
	{"tag-openers", strings.Repeat("<a", 128<<10)},
	{"angles", strings.Repeat("<", 256<<10)},
	{"elements", strings.Repeat("<a>\n", 64<<10)},
	{"word-operator", strings.Repeat("a=", 128<<10)},
	{"comments", strings.Repeat("/**/", 64<<10)},
	{"quotes", strings.Repeat("'", 256<<10)},
	{"attributes", strings.Repeat(" onerror=", 28<<10)},
	{"prose", strings.Repeat("The quick brown fox jumps over the lazy dog. ", 6<<10)},
	{"every-byte", everyByte(256 << 10)},
	{"script-tags", strings.Repeat("<script>", 32<<10)},
	{"base64-words", strings.Repeat("JTI1M0NzY3JpcHQlMjUzRQ==", 10<<10)},
}

// everyByte returns n bytes of every byte value in turn (byte(i*13)), a
// binary body read as text: its attribute names end at white space, '/',
// '=' or '>', every 28 bytes or so.
func everyByte(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 13)
	}
	return string(b)
}

// BenchmarkIsSQLi compares this package with upstream:
//
//	go test ./agent/internal/thirdparty/libinjection -run '^$' -bench . -benchtime 20x
func BenchmarkIsSQLi(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				IsSQLi(in.s)
			}
		})
		b.Run(in.name+"/upstream", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				upstream.IsSQLi(in.s)
			}
		})
	}
}

func BenchmarkIsXSS(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				IsXSS(in.s)
			}
		})
		b.Run(in.name+"/upstream", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				upstream.IsXSS(in.s)
			}
		})
	}
}
