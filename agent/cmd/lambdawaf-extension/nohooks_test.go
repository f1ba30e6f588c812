//go:build !testhooks

package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The production build has no test hooks: the variables that drive them in
// a testhooks build do nothing here.
func TestProductionBuildIgnoresTestHooks(t *testing.T) {
	f := newFakeLambda(t)
	a := startAgent(t, f, map[string]string{"LAMBDAWAF_TESTHOOK_BLOCK": "marker", "LAMBDAWAF_TESTHOOK_PANIC": "marker"})
	select {
	case <-f.firstNext:
	case <-time.After(5 * time.Second):
		t.Fatalf("no event/next; logs:\n%s", a.logs)
	}
	f.runtime <- invocation{"r1", `{"q":"marker"}`}
	resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(a.port) + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Lambda-Runtime-Aws-Request-Id") != "r1" || string(body) != `{"q":"marker"}` {
		t.Errorf("runtime got %q %q", resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), body)
	}
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":0}`
	a.wait(t, 3*time.Second)
	if logs := a.logs.String(); strings.Contains(logs, "test hooks enabled") || strings.Contains(logs, "inspection failed") {
		t.Errorf("hooks active in a production build:\n%s", logs)
	}
}
