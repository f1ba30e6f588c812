package evasion

import "testing"

func TestUTF7Decode(t *testing.T) {
	for _, c := range []struct {
		s    string
		want string
		ok   bool
	}{
		{"+ADw-script+AD4-", "<script>", true},
		{"+ADw-b+AD4-bold", "<b>bold", true},
		{"a+b", "", false},
		{"C++ and A+", "", false},
		{"plain", "", false},
	} {
		got, ok := UTF7Decode(c.s)
		if ok != c.ok || ok && got != c.want { // without a shifted ASCII sequence the text is not read
			t.Errorf("UTF7Decode(%q) = %q, %v; want %q, %v", c.s, got, ok, c.want, c.ok)
		}
	}
}
