package lex

import "testing"

// TestBytesOf checks the byte set against a plain membership test for
// ASCII, high and edge bytes.
func TestBytesOf(t *testing.T) {
	for _, s := range []string{"", "a", "Conan O'Brien", "etc/passwd", "\x00\x3f\x40\x7f\x80\xbf\xc0\xff", "ünïcödé €", "ABCxyz{|}~"} {
		b := BytesOf(s)
		for c := 0; c < 256; c++ {
			in := false
			for i := 0; i < len(s); i++ {
				if int(s[i]) == c {
					in = true
				}
			}
			if got := b[c>>6]&(1<<(c&63)) != 0; got != in {
				t.Errorf("BytesOf(%q) has %#x = %v, want %v", s, c, got, in)
			}
		}
		w := BytesOf("passwd")
		if got, want := b.Covers(&w), s == "etc/passwd"; got != want {
			t.Errorf("BytesOf(%q).Covers(passwd) = %v, want %v", s, got, want)
		}
	}
}
