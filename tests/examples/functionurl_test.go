package examples

import (
	"net/http"
	"strings"
	"testing"
)

// TestFunctionURLExample runs the Node.js orders lookup behind a Function
// URL. Its handler only reads, so that attacks never reached it is proved by
// the stand-in runtime's record of every invocation it received.
func TestFunctionURLExample(t *testing.T) {
	t.Parallel()
	f := start(t, examples["function-url"]())

	got := f.send(t, "GET", "/orders/ord-1", "", "")
	var order map[string]any
	got.decode(t, &order)
	if got.status != http.StatusOK || order["id"] != "ord-1" || order["customer"] != "O'Brien" {
		t.Fatalf("GET /orders/ord-1: %d %s", got.status, got.body)
	}
	search := f.send(t, "GET", "/search?q=o%27brien", "", "")
	var found []map[string]any
	search.decode(t, &found)
	if search.status != http.StatusOK || len(found) != 1 || found[0]["id"] != "ord-1" {
		t.Errorf("an apostrophe in a search is not an attack: GET /search?q=o'brien: %d %s", search.status, search.body)
	}
	for _, r := range []reply{got, search} {
		f.waitReceived(t, r.requestID) // else "never received" below proves nothing
	}

	attacks := []struct {
		attack
		header http.Header
	}{
		{attack: attack{name: "xss in the query", method: "GET", target: "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
			class: "xss", location: "query.q", payload: []string{"<script>", "alert(document.cookie)"}}},
		{attack: attack{name: "sql injection in the query", method: "GET", target: "/search?q=%27%20OR%201%3D1--",
			class: "sqli", location: "query.q", payload: []string{"OR 1=1"}}},
		{attack: attack{name: "path traversal in the path", method: "GET", target: "/orders/..%2F..%2F..%2Fetc%2Fpasswd",
			class: "path-traversal", location: "path", payload: []string{"etc/passwd", "etc%2Fpasswd"}}},
		// lambdawaf.yaml blocks scanners on this public URL.
		{attack: attack{name: "scanner user agent", method: "GET", target: "/search?q=tea",
			class: "scanner", location: "header.user-agent", payload: []string{"sqlmap"}, inLoggedHeader: true},
			header: http.Header{"User-Agent": {"sqlmap/1.8.4#stable (https://sqlmap.org)"}}},
		// lambdawaf.yaml's positive model: /search takes q and nothing
		// else (unknownParameters: block), q at most 100 bytes.
		{attack: attack{name: "unknown parameter", method: "GET", target: "/search?q=tea&debug=true",
			reason: "positive:/search:block@query.debug"}},
		{attack: attack{name: "oversized search", method: "GET", target: "/search?q=" + strings.Repeat("a", 101),
			reason: "positive:/search:block@query.q"}},
	}
	block := blockShape{status: 403, body: `{"message":"Forbidden"}`, contentType: "application/json"}
	var blocked []string
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			r := f.sendHeader(t, a.method, a.target, a.header, "")
			blocked = append(blocked, r.requestID)
			checkBlock(t, r, block, a.attack)
			checkRecord(t, f, r.requestID, a.attack)
		})
	}
	f.neverReceived(t, f.send(t, "GET", "/orders/ord-1", "", "").requestID, blocked)
}
