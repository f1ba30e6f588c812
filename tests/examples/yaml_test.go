package examples

import (
	"net/http"
	"testing"
)

// TestYAMLExample runs the Python handler the YAML program deploys (through
// the component provider plugin, with the exec wrapper) behind the agent
// and its lambdawaf.yaml: a lookup reaches the handler, an injection in
// the same parameter is blocked with the configured JSON body and recorded.
func TestYAMLExample(t *testing.T) {
	t.Parallel()
	f := start(t, examples["yaml"]())

	got := f.send(t, "GET", "/?id=ord-7", "", "")
	var order map[string]any
	got.decode(t, &order)
	if got.status != http.StatusOK || order["id"] != "ord-7" {
		t.Fatalf("GET /?id=ord-7: %d %s", got.status, got.body)
	}
	a := attack{name: "sql injection in the query", method: "GET", target: "/?id=ord-7%27%20UNION%20SELECT%20password%20FROM%20users--",
		class: "sqli", location: "query.id", payload: []string{"UNION SELECT"}}
	r := f.send(t, a.method, a.target, "", "")
	checkBlock(t, r, jsonBlock, a)
	checkRecord(t, f, r.requestID, a)
}
