package nosql

import "testing"

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
	} {
		if got := ReturnConstant(c.s); got != c.want {
			t.Errorf("ReturnConstant(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
