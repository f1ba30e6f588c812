package nosql

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestOperator(t *testing.T) {
	for _, c := range []struct {
		s     string
		op    string
		score int
	}{{"$ne", "ne", 8}, {"$where", "where", 9}, {"$in", "in", 6}, {"$price", "", 0}, {"$", "", 0}} {
		if op, sc := Operator(c.s, 0); op != c.op || sc != c.score {
			t.Errorf("Operator(%q) = %q, %d; want %q, %d", c.s, op, sc, c.op, c.score)
		}
	}
}

func TestObjectKeyAt(t *testing.T) {
	for _, c := range []struct {
		s    string
		i, e int
		want bool
	}{
		{"{$gt: ''}", 1, 4, true},
		{"1, $where: '1 == 1'", 3, 9, true},
		{"$where: '1'", 0, 6, true},
		{"total $50: paid", 6, 7, false},
		{"a$ne: 1", 1, 4, false},
		{"{$ne 1}", 1, 4, false},
	} {
		if got := ObjectKeyAt(c.s, c.i, c.e); got != c.want {
			t.Errorf("ObjectKeyAt(%q, %d, %d) = %v", c.s, c.i, c.e, got)
		}
	}
}

func TestShellCall(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"db.injection.insert({success:1});return 1;", 0},
		{"x;db.users.find()", 2},
		{"mydb.users.find()", -1},
		{"db.users.name", -1},
		{"db.users.frobnicate()", -1},
	} {
		if got := ShellCall(c.s); got != c.want {
			t.Errorf("ShellCall(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestReturnConstant(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"0;return true", 1},
		{`";return(true);var xyz='a`, 1},
		{"';return !0;'", 1},
		{"x = f(); return 1;", -1},
		{"x;returned true", -1},
		{"a; return value", -1},
		{"on error; return 1 if the call fails", -1},
		{"no semicolon return true", -1},
		{"t'; return this; var d='!", 2},
		{`t"; return this; var d='!`, 2},
		{"this.x = x; return this;", -1},
	} {
		if got := ReturnConstant(c.s); got != c.want {
			t.Errorf("ReturnConstant(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// returnConstantBySemicolon is ReturnConstant as it was written first, a
// look after every ';': the oracle the word-first search is held to.
func returnConstantBySemicolon(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], ';')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		r := lex.SkipSpace(s, i+1)
		if !strings.HasPrefix(s[r:], "return") {
			continue
		}
		r += len("return")
		if r < len(s) && s[r] != ' ' && s[r] != '(' {
			continue
		}
		for r < len(s) && (s[r] == ' ' || s[r] == '(') {
			r++
		}
		for _, c := range [...]string{"true", "!0"} {
			if !strings.HasPrefix(s[r:], c) {
				continue
			}
			if e := lex.SkipSpace(s, r+len(c)); e == len(s) || strings.IndexByte(";)}'\"", s[e]) >= 0 {
				return i
			}
		}
	}
	return -1
}

// TestReturnConstantFindsTheSameSemicolonAsALookAfterEach: random texts
// over the pieces the function reads, and the seeds of the table test.
func TestReturnConstantFindsTheSameSemicolonAsALookAfterEach(t *testing.T) {
	pieces := []string{";", " ", "\t", "\n", "return", "returned", "(", ")", "true", "!0", "1", "'", "\"", "}", "x", ";return true", "; return(true)"}
	r := rand.New(rand.NewPCG(7, 13))
	texts := []string{"", ";", "return true", "0;return true", "a; return 1 if", "\";return(true);var x='a", ";;  return  !0 ;", "return;return true"}
	for range 200000 {
		var b strings.Builder
		for n := r.IntN(12); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := ReturnConstant(s), returnConstantBySemicolon(s); got != want {
			t.Fatalf("ReturnConstant(%q) = %d, the look after each ';' says %d", s, got, want)
		}
	}
}

func TestClosesObjectBefore(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"' } ], $comment:'successful mongodb injection'", true},
		{"x\"}, $comment: \"hi\"", true},
		{"'], $text: 'x'", true},
		{"totals: {a: 1}, $comment: fine", false}, // no string left
		{"{a: 'x'}, $comment", true},              // the caller checks the ':'
		{"$comment: first", false},
		{"a, $comment: b", false},
	} {
		i := strings.LastIndexByte(c.s, '$')
		if got := ClosesObjectBefore(c.s, i); got != c.want {
			t.Errorf("ClosesObjectBefore(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestJSTautology(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"' || this || '1'=='1", true},
		{"' || 'a'=='a", true},
		{`" && "1"==="1"`, true},
		{"x' || 1==1 || 'x", true},
		{"if (a == b || c == d)", false},        // names, not literals
		{"'1'=='2' || x", false},                // unequal
		{"x == 1 || y == 1", false},             // a name on the left
		{"use === rather than == in js", false}, // no literals
	} {
		if got := JSTautology(c.s) >= 0; got != c.want {
			t.Errorf("JSTautology(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
