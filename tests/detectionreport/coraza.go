package main

import (
	"fmt"
	"strings"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/types"

	"github.com/lambdawaf/lambdawaf/tests/corpus"
)

// newCRS builds Coraza v3 with OWASP CRS v4 at paranoia level pl, blocking.
func newCRS(pl int) (coraza.WAF, error) {
	directives := fmt.Sprintf(`Include @coraza.conf-recommended
Include @crs-setup.conf.example
SecRuleEngine On
SecRequestBodyAccess On
SecAction "id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=%d"
SecAction "id:900001,phase:1,pass,t:none,nolog,setvar:tx.detection_paranoia_level=%d"
Include @owasp_crs/*.conf
`, pl, pl)
	waf, err := coraza.NewWAF(coraza.NewWAFConfig().WithRootFS(coreruleset.FS).WithDirectives(directives))
	if err != nil {
		return nil, fmt.Errorf("build Coraza+CRS PL%d: %w", pl, err)
	}
	return waf, nil
}

// crsVerdict runs one request through Coraza and reports whether CRS
// blocked it (the inbound anomaly score reached the threshold, or a rule
// denied it outright).
func crsVerdict(waf coraza.WAF, r corpus.Request) bool {
	tx := waf.NewTransaction()
	defer func() {
		tx.ProcessLogging()
		tx.Close()
	}()
	tx.ProcessConnection("203.0.113.10", 40000, "10.0.0.1", 443)
	method := r.Method
	if method == "" {
		method = "GET"
	}
	tx.ProcessURI(r.URI, method, "HTTP/1.1")
	hasHost := false
	for _, h := range r.Headers {
		if strings.EqualFold(h[0], "host") {
			hasHost = true
		}
		tx.AddRequestHeader(h[0], h[1])
	}
	if !hasHost {
		tx.AddRequestHeader("Host", "api.example.com")
	}
	if it := tx.ProcessRequestHeaders(); it != nil {
		return true
	}
	if len(r.Body) > 0 {
		if it, _, err := tx.WriteRequestBody(r.Body); it != nil || err != nil {
			return it != nil
		}
	}
	it, err := tx.ProcessRequestBody()
	if err != nil {
		return false
	}
	return it != nil
}

var _ types.Interruption
