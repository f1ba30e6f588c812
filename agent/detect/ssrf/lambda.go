package ssrf

import "strings"

// lambdaLocalPaths are the paths of the HTTP endpoints a Lambda function's
// own environment serves on loopback: the Runtime API (the invocation
// events and their answers), the Extensions, Logs and Telemetry APIs, and
// the AWS Parameters and Secrets extension (port 2773), which hands out
// the function's secrets to anything local that asks.
var lambdaLocalPaths = [...]string{
	"/2018-06-01/runtime/", "/2020-01-01/extension/", "/2020-08-15/logs", "/2022-07-01/telemetry",
	"/secretsmanager/get", "/systemsmanager/parameters/get",
}

// LambdaLocalEndpoint reports whether the lower-cased URL text u, from its
// authority on, names one of the loopback endpoints of a Lambda
// environment by its path: "localhost:9001/2018-06-01/runtime/invocation/next",
// "127.0.0.1:2773/secretsmanager/get?secretId=x". The caller has found the
// host internal.
func LambdaLocalEndpoint(u string) bool {
	p := strings.IndexAny(u, "/?#")
	if p < 0 || u[p] != '/' {
		return false
	}
	path := u[p:]
	for _, lp := range lambdaLocalPaths {
		if strings.HasPrefix(path, lp) {
			return true
		}
	}
	return false
}
