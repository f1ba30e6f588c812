package script

import "testing"

func TestConcatenationJoinsChainsOfLiterals(t *testing.T) {
	for _, c := range []struct {
		s, want string
		found   bool
	}{
		{`s1=['java'+''+''+'scr'+'ipt'+':'+'aler'+'t'+'(1)'];`, `s1=['javascript:alert(1)'];`, true},
		{`x=document['coo'+'kie']`, `x=document['cookie']`, true},
		{`a="ev" + "al";b='x'`, `a="eval";b='x'`, true},
		{`'it\'s' + 'ok'`, `'it'sok'`, true},
		{`'a'+'b'+x`, `'ab'+x`, true},
		{`x='a';y='b'`, `x='a';y='b'`, false},     // literals, no chain
		{`'a' + b + 'c'`, `'a' + b + 'c'`, false}, // a variable breaks the chain
		{`'unclosed + 'x`, `'unclosed + 'x`, false},
		{`it's "fine"`, `it's "fine"`, false},
	} {
		got, found := Concatenation(nil, c.s)
		if string(got) != c.want || found != c.found {
			t.Errorf("Concatenation(%q) = %q, %v; want %q, %v", c.s, got, found, c.want, c.found)
		}
	}
}
