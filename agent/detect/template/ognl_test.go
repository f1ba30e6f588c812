package template

import "testing"

func TestOGNL(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"%{(#_='multipart/form-data')}", true},
		{"(#context['xwork.methodaccessor.denymethodexecution']=false)", true},
		{"${(#_memberaccess[\"allowstaticmethodaccess\"]=true)}", true},
		{"%{@java.lang.runtime@getruntime().exec('id')}", true},
		{"(#dm=@ognl.ognlcontext@default_member_access)", true},
		{"%{#a=(new java.lang.processbuilder(new java.lang.string[]{\"id\"})).start()}", false}, // #a: not a context name (class loading is judged elsewhere)
		// hashtags, anchors, e-mail addresses, decorators
		{"#context matters (#context is everything)", false},
		{"see the docs (#request-handling) for details", false},
		{"mail me at jane.doe@mail.example.com", false},
		{"a@b.c.d@e", false},
		{"@app.route('/x')", false},
		{"color: #fff; (#p)", false},
	} {
		if got := OGNL(c.s) >= 0; got != c.want {
			t.Errorf("OGNL(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
