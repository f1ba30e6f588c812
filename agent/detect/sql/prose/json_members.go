package prose

import (
	"encoding/json"
	"strings"
)

// JSONMembers reports whether s is the members of a JSON object, one or
// more `"key": value` pairs with an optional trailing comma, as a line of
// package.json or of an API example reads: `"windowsDebug": "@powershell
// -Command $env:DEBUG='*';node app.js",`. libinjection folds such a line
// into "string operator string" as it folds `" or "1"="1`, but a quote
// breakout has to leave the literal it is spliced into with an operator
// SQL knows; JSON's colon between a key and its value is not one, and a
// value that parses as JSON members is data.
func JSONMembers(s string) bool {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, ",")
	if len(t) < 5 || t[0] != '"' || len(t) > maxJSONMembers {
		return false
	}
	return json.Valid([]byte("{" + t + "}"))
}

// maxJSONMembers bounds the value JSONMembers parses; the lines it reads
// are short.
const maxJSONMembers = 4 << 10
