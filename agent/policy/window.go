package policy

import (
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// maxHoldFor is the longest hold a counter may impose: a week, after which
// a source or a user name is judged afresh.
const maxHoldFor = 7 * 24 * time.Hour

// compileWindow reads a counter's window (within) and hold (hold, empty
// for defaultHoldFor), as the logins, responses and errorRatios sections
// spell them; each bad value is reported at its own place under path.
func compileWindow(pr *document.Problems, path []string, within, hold string) (w, h time.Duration, ok bool) {
	ok = true
	var err error
	if w, err = time.ParseDuration(within); err != nil || w <= 0 {
		pr.Add(document.At(path, "within"), "expected a positive duration such as 1m or 10m, got %q", within)
		ok = false
	}
	h = defaultHoldFor
	if hold != "" {
		if h, err = time.ParseDuration(hold); err != nil || h <= 0 || h > maxHoldFor {
			pr.Add(document.At(path, "for"), "expected a positive duration up to 168h, got %q", hold)
			ok = false
		}
	}
	return w, h, ok
}

// compileRoutes reads route patterns ("POST /login", "/api/*"); each bad
// one is reported at its index under path and left out.
func compileRoutes(pr *document.Problems, path []string, routes []string) (out []routePattern, ok bool) {
	ok = true
	for i, r := range routes {
		rp, err := compileRoute(r)
		if err != nil {
			pr.Add(document.At(path, "routes", i), "%v", err)
			ok = false
			continue
		}
		out = append(out, rp)
	}
	return out, ok
}

// repeatedID reports id when an earlier entry of the same section used
// it (first maps ids to the index of their first use), at the id of the
// entry at path, naming the first; otherwise it records the id as first
// used at i. kind and section name the entries in the message
// ("duplicate rule id "x" (first used by rules[0])").
func repeatedID(pr *document.Problems, path []string, first map[string]int, kind, section, id string, i int) bool {
	if j, dup := first[id]; dup {
		pr.Add(document.At(path, "id"), "duplicate %s id %q (first used by %s[%d])", kind, id, section, j)
		return true
	}
	first[id] = i
	return false
}
