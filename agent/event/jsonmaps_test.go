package event

import (
	"slices"
	"testing"
)

func TestReadStringLists(t *testing.T) {
	tests := []struct {
		in    string
		lower bool
		want  map[string][]string
		err   bool
	}{
		{`{"Content-Type":"a","X-Two":["b","c"]}`, true, map[string][]string{"content-type": {"a"}, "x-two": {"b", "c"}}, false},
		{`{"Content-Type":"a"}`, false, map[string][]string{"Content-Type": {"a"}}, false},
		{`{"Cookie":"a=1","cookie":"b=2"}`, true, map[string][]string{"cookie": {"a=1", "b=2"}}, false},
		{`{"X-\u0041":"\"q\"","n":null}`, true, map[string][]string{"x-a": {`"q"`}}, false},
		{`{}`, true, nil, false},
		{`null`, true, nil, false},
		{``, true, nil, false},
		{`{"a":1}`, true, nil, true},
		{`{"a":[1]}`, true, nil, true},
		{`["a"]`, true, nil, true},
		{`{"a":"b"`, true, nil, true},
	}
	for _, tt := range tests {
		got, err := readStringLists([]byte(tt.in), tt.lower)
		if (err != nil) != tt.err {
			t.Errorf("%s: err %v", tt.in, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.in, got, tt.want)
		}
		for k, v := range tt.want {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s: [%q] = %q, want %q", tt.in, k, got[k], v)
			}
		}
	}
	// values appended under a repeated name must not overwrite each other
	got, _ := readStringLists([]byte(`{"A":["1","2"],"a":"3","B":"4"}`), true)
	if !slices.Equal(got["a"], []string{"1", "2", "3"}) || !slices.Equal(got["b"], []string{"4"}) {
		t.Errorf("merge: %v", got)
	}
}

func TestFlatJSON(t *testing.T) {
	c := claimSet{}
	c.flatJSON("lambda", []byte(`{"user":"bob","n":42,"ok":true,"roles":["a","b"],"org":{"id":"o1","deep":{"x":"y"}},"nil":null,"esc":"\u003cb\u003e"}`))
	want := map[string]string{
		"lambda.user": "bob", "lambda.n": "42", "lambda.ok": "true", "lambda.roles": `["a","b"]`,
		"lambda.org.id": "o1", "lambda.org.deep.x": "y", "lambda.esc": "<b>",
	}
	if len(c.m) != len(want) {
		t.Errorf("got %v", c.m)
	}
	for k, v := range want {
		if c.m[k] != v {
			t.Errorf("%s = %q, want %q", k, c.m[k], v)
		}
	}
	// bounded: a huge authorizer context cannot flood the request
	big := []byte(`{`)
	for i := range 1000 {
		if i > 0 {
			big = append(big, ',')
		}
		big = append(big, []byte(`"k`+string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676))+`":"v"`)...)
	}
	big = append(big, '}')
	c = claimSet{}
	c.flatJSON("x", big)
	if len(c.m) > maxClaims {
		t.Errorf("%d claims kept, limit %d", len(c.m), maxClaims)
	}
	// malformed input adds nothing and does not panic
	c = claimSet{}
	c.flatJSON("x", []byte(`{"a":`))
	c.flatJSON("x", []byte(`"str"`))
	if len(c.m) != 0 {
		t.Errorf("malformed: %v", c.m)
	}
}

func TestParseRESTSingleHeadersAndLatticeStrings(t *testing.T) {
	rest := `{"resource":"/x","path":"/x","httpMethod":"get","headers":{"Content-Type":"application/json","Cookie":"a=1; b=2"},
	"queryStringParameters":{"q":"1"},"requestContext":{"identity":{"sourceIp":"198.51.100.7"},"authorizer":{"claims":{"email":"a@b.c"},"principalId":"p"}},"body":null}`
	req, err := Parse([]byte(rest))
	if err != nil {
		t.Fatal(err)
	}
	if req.Trigger != APIGatewayREST || req.Method != "GET" || req.MultiValueHeaders || req.ContentType != "application/json" {
		t.Errorf("%+v", req)
	}
	if !slices.Equal(req.Cookies["b"], []string{"2"}) || !slices.Equal(req.Query["q"], []string{"1"}) {
		t.Errorf("cookies %v query %v", req.Cookies, req.Query)
	}
	if req.Claims["claims.email"] != "a@b.c" || req.Claims["authorizer.principalId"] != "p" || req.Body != nil {
		t.Errorf("claims %v body %q", req.Claims, req.Body)
	}
	lattice := `{"version":"2.0","path":"/p?x=1","method":"POST","headers":{"Host":"h","X-A":"plain"},"queryStringParameters":{"y":"2"},"body":"hi","requestContext":{"identity":{}}}`
	req, err = Parse([]byte(lattice))
	if err != nil {
		t.Fatal(err)
	}
	if req.Trigger != VPCLatticeV2 || req.Path != "/p" || req.RawQuery != "x=1" || !slices.Equal(req.Headers["x-a"], []string{"plain"}) || string(req.Body) != "hi" {
		t.Errorf("%+v", req)
	}
}

func TestReadStringListsRepeatedNamesLinear(t *testing.T) {
	b := []byte(`{`)
	for i := range 50000 {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `"X-A":"v"`...)
	}
	b = append(b, '}')
	allocs := testing.AllocsPerRun(3, func() {
		m, err := readStringLists(b, true)
		if err != nil || len(m["x-a"]) != 50000 {
			t.Fatalf("%v %d", err, len(m["x-a"]))
		}
	})
	// amortised growth: a logarithmic number of allocations, not one per
	// repetition (which also meant copying all previous values each time)
	if allocs > 1000 {
		t.Errorf("%v allocations for one repeated name", allocs)
	}
}
