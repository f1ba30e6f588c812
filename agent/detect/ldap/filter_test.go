package ldap

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestFilter(t *testing.T) {
	for _, c := range []struct {
		s     string
		found bool
	}{
		{"*)(uid=*))(|(uid=*", true},
		{"admin)(&)", true},
		{"admin*)((|userpassword=*)", true},
		{"*))%00", true},
		{"(&(objectcategory=computer)(name=web01))", false}, // a whole filter: a search box
		{"(&(uid=admin)(!(&(1=0)(userpassword=q))))", true}, // a whole filter, its answer fixed
		{"(|(uid=admin)(&))", true},
		{"(&(objectclass=user)(employeenumber=1970))", false},
		{"smith (born 1970)", false},
		{"version (2=3) of the table", false},
		{"f(x)(y) = 2", false},
	} {
		have := lex.BytesOf(c.s)
		if start, _, _ := Filter(c.s, &have); (start >= 0) != c.found {
			t.Errorf("Filter(%q) start %d, want found=%v", c.s, start, c.found)
		}
	}
}
