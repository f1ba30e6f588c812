package decode

import (
	"encoding/base64"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestBase64ReadingsMatchReference: the base64 readings of a text are
// exactly those of the reference implementation (base64_reference_test.go),
// in the same order, for base64 of attack strings in every alphabet and
// padding, chunked, wrapped, with stray bytes, long enough to be probed,
// not text, and for random strings over the bytes the reader treats
// differently. The cheaper code cannot change a reading, so it cannot
// change a verdict.
func TestBase64ReadingsMatchReference(t *testing.T) {
	texts := []string{"<script>alert(1)</script>", "' or 1=1 --", "%253Cscript%253E", "../../etc/passwd", "${jndi:ldap://x/a}",
		"{{7*7}}", "é中😀", "\x00\x01\x02\xff\xfe", strings.Repeat("<a", 200), strings.Repeat("\x01x", 120)}
	if b, err := os.ReadFile("../../tests/redteam/testdata/attacks.json"); err == nil {
		texts = append(texts, string(b[:min(len(b), 4000)]))
	}
	var inputs []string
	for _, x := range texts {
		std := base64.StdEncoding.EncodeToString([]byte(x))
		url := base64.URLEncoding.EncodeToString([]byte(x))
		raw := base64.RawStdEncoding.EncodeToString([]byte(x))
		inputs = append(inputs, std, url, raw, std+std, raw+raw, std+" "+std, std+"\n"+raw, "Basic "+std,
			std[:len(std)/2]+"=="+std[len(std)/2:], "x;"+std+";y", std+"=", "a="+url+"&b=1",
			base64.StdEncoding.EncodeToString([]byte(std)), strings.Repeat(std+" ", 40))
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"A", "Zm9v", "YWJj", "PHNj", "-", "_", "=", "==", " ", "\n", "\t", ";", "%", "<", "\xff", "é", "+/", "AAAA", "////"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(60) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
		if r.IntN(8) == 0 {
			buf := make([]byte, r.IntN(300))
			for i := range buf {
				buf[i] = byte(r.IntN(128))
			}
			inputs = append(inputs, base64.StdEncoding.EncodeToString(buf))
		}
	}
	// long decodings around the probe: text whose first textProbe bytes
	// hold too many control characters (refused however long the rest
	// is), binary, and chunks whose lengths straddle the probe's bound,
	// alone, padded, joined by '=' and broken by stray bytes
	ctl := strings.Repeat("\x01", 11) + strings.Repeat("a", 400)
	long := base64.StdEncoding.EncodeToString([]byte(ctl[11:311]))
	for k := 90; k <= 110; k++ {
		for _, x := range []string{ctl[:k], ctl[11 : 11+k], string(make([]byte, k))} {
			std := base64.StdEncoding.EncodeToString([]byte(x))
			raw := base64.RawStdEncoding.EncodeToString([]byte(x))
			inputs = append(inputs, std, raw, raw+"A", std+std, std+"="+raw, raw+"=="+raw+"A", std+" "+raw, "YWI="+std,
				std[:len(std)/3]+";"+std[len(std)/3:], strings.Repeat(raw+"= ", 3), base64.URLEncoding.EncodeToString([]byte(x+"??>>")),
				// followed by enough text that the whole may be text
				raw+"="+long, raw+"A="+long, raw+"AB="+long, raw+"ABC=="+long, long+"="+raw+"A")
		}
	}
	for _, n := range []int{200, 256, 257, 258, 300, 1000, 5000} {
		buf := make([]byte, n)
		for i := range buf {
			buf[i] = byte(r.IntN(256))
		}
		text := strings.Repeat("<svg onload=alert(1)>", n/20+1)[:n]
		for _, x := range [][]byte{buf, []byte(text), append([]byte(strings.Repeat("\x02", 20)), text...)} {
			std := base64.StdEncoding.EncodeToString(x)
			inputs = append(inputs, std, std+"A", std+"AB", std+"ABC", strings.ReplaceAll(std, "A", "A "), std+"="+std, std+std,
				base64.URLEncoding.EncodeToString(x), "-"+std[1:])
		}
	}
	// long texts, counted in blocks: stray bytes from the start, a '-' or
	// '_' (Python's URL-safe reading) or base64 only after the counts
	// could stop, alphabet reached late, stray bytes exactly an eighth
	b64 := base64.StdEncoding.EncodeToString([]byte("<script>alert(1)</script>"))
	for _, unit := range []string{"<;&amp;%25", "= %u0041;<-|[", ";;;;", "<a", "%253Cscript%253E", "abcdefg;", "abcdefghijklmno;", "PHNj ", "YQ==;"} {
		for _, n := range []int{4095, 4096, 4097, 9000, 20000} {
			body := strings.Repeat(unit, n/len(unit)+1)[:n]
			inputs = append(inputs, body, body+"-"+b64, b64+"_"+body, body+"_", body+b64+"-"+b64, "abc"+body+"=="+b64,
				strings.Repeat(";", n)+"abcdefgh", b64+"="+body, body+strings.Repeat("A", n),
				// Python's URL-safe reading ("<scrip" ... "???") only from a late '_' or '-'
				"PHNjcmlw"+body+"Pz8_Pz8_", "PHNjcmlw"+body+"Pz8-Pz8-")
		}
	}
	for _, s := range inputs {
		got := base64Readings(s, nil)
		want := refBase64Readings(s, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("base64Readings(%q):\n got  %+v\n want %+v", s, got, want)
		}
		if g, w := base64Chunks(s), refBase64Chunks(s); g != w {
			t.Fatalf("base64Chunks(%q) = %q, want %q", s, g, w)
		}
	}
}

// BenchmarkBase64Readings compares base64Readings with the reference on
// 1 MiB of the texts the nested-encodings event and the worst values
// reach: base64 with spaces, padded chunks, and texts that are not base64.
func BenchmarkBase64Readings(b *testing.B) {
	for _, unit := range []string{"SlRJMU0wTnpZM0pwY0hRbE1qVXpSUT09 ", "JTI1M0NzY3JpcHQlMjUzRQ==", "%253Cscript%253E", "<;&amp;%25"} {
		s := strings.Repeat(unit, (1<<20)/len(unit))
		b.Run(unit, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				base64Readings(s, nil)
			}
		})
		b.Run(unit+"/reference", func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				refBase64Readings(s, nil)
			}
		})
	}
}
