package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

var sessionParams = map[string]bool{"jsessionid": true, "aspsessionid": true, "asp.net_sessionid": true, "phpsession": true, "phpsessid": true, "weblogicsession": true, "session_id": true, "session-id": true, "cfid": true, "cftoken": true, "cfsid": true, "jservsession": true, "jwsession": true,
	"laravel_session": true, "connect.sid": true, "_flask_session": true, "next-auth.session-token": true,
	"__secure-next-auth.session-token": true, "meteor_login_token": true, "rack.session": true, "play_session": true,
	"sails.sid": true, "ci_session": true, "_session_id": true,
	"_gitlab_session": true, "express.sid": true, "koa.sess": true, "koa:sess": true, "symfony": true,
	"phpsessionid": true, "asp.net_session": true, "aspxauth": true, ".aspxauth": true, "_rails_session": true,
	"django_session": true, "sessiontoken": true, "session_token": true}

// siteSessionParams are session parameter names too generic to flag
// without knowing where the link came from ("sessionid"): they count only
// when the request's Site is known and the Referer is absent or off-site
// (Engine.InspectSite).
var siteSessionParams = map[string]bool{"sessionid": true, "cakephp": true, "zend_session_id": true,
	"shiny-token": true, "__host-next-auth.session-token": true}

// detectSessionFixation finds cookies set from input (document.cookie with
// attributes, meta http-equiv set-cookie) and session ids passed as query
// parameters.
func (in *input) detectSessionFixation() {
	if !in.e.Enabled(SessionFixation) {
		return
	}
	s := in.lower()
	if i := lex.Index(s, ".cookie"); i >= 0 && in.mask.has(bEq) && in.mask.has(bSemi) {
		r := s[i:]
		if strings.Contains(r, "expires") || strings.Contains(r, "domain") || strings.Contains(r, "path") {
			in.emit(SessionFixation, "cookie-set", 8, i, i+40)
			return
		}
	}
	if i := lex.Index(s, "http-equiv"); i >= 0 && strings.Contains(s[i:], "set-cookie") {
		in.emit(SessionFixation, "cookie-set", 8, i, i+40)
		return
	}
}

// detectSessionParam flags session identifiers passed as query parameters.
func (in *input) detectSessionParam() {
	if in.v.Part != event.PartQuery || in.v.Key == "" || len(in.v.Key) > 40 || !in.e.Enabled(SessionFixation) {
		return
	}
	var buf [40]byte
	if sessionParams[unsafeString(appendLower(buf[:0], in.v.Key))] {
		in.emit(SessionFixation, "session-id-param", 5, 0, 24)
	}
}

// flightReference finds a React Server Components (Flight) reference,
// "$<id>:<path>:<path>", whose path walks to a constructor or prototype:
// "$3:constructor:constructor" reaches Function, "$7:Module:prototype"
// a module's prototype (CVE-2025-55182). The Flight decoder follows such
// paths on server objects.
func flightReference(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '$')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != ':' {
			continue
		}
		for j < len(s) && s[j] == ':' {
			k := j + 1
			for k < len(s) && (isWord(s[k]) || s[k] == '$') {
				k++
			}
			switch s[j+1 : k] {
			case "constructor", "prototype", "__proto__":
				return i
			}
			j = k
		}
		// A '$' met on that path starts a reference whose path is the
		// rest of this one (its id ends at one of these ':'), already
		// read: resume after the path, not after the '$' (a run of
		// "$A:" would otherwise read the rest of the text at each).
		off = j
	}
	return -1
}
