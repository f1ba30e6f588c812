package ssrf

import "testing"

func TestLambdaLocalEndpoint(t *testing.T) {
	for _, c := range []struct {
		u    string
		want bool
	}{
		{"localhost:9001/2018-06-01/runtime/invocation/next", true},
		{"127.0.0.1:9001/2018-06-01/runtime/invocation/abc/response", true},
		{"localhost:2773/secretsmanager/get?secretid=db", true},
		{"localhost:2773/systemsmanager/parameters/get?name=x", true},
		{"localhost:9001/2020-01-01/extension/event/next", true},
		{"localhost:3000/", false},
		{"localhost:9001/", false},
		{"localhost:9001?x=/2018-06-01/runtime/", false},
		{"localhost", false},
	} {
		if got := LambdaLocalEndpoint(c.u); got != c.want {
			t.Errorf("LambdaLocalEndpoint(%q) = %v, want %v", c.u, got, c.want)
		}
	}
}
