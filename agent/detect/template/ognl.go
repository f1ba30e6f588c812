package template

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// ognlContextNames are the OGNL variables that Struts exposes and that
// injections reach for: the member access policy they switch off, the
// context and container they read it from, the request's own maps, and
// the scratch names the published exploits assign.
var ognlContextNames = map[string]bool{
	"_memberaccess": true, "context": true, "_": true, "dm": true, "container": true, "ognlutil": true,
	"attr": true, "request": true, "session": true, "parameters": true, "application": true,
	"cmd": true, "cmds": true, "iswin": true, "p": true, "process": true, "ros": true, "res": true,
}

// OGNL finds an OGNL expression in lower-cased s, the expression language
// Struts evaluates in parameter names, values and headers, outside the
// delimiters the template readings look for: a static member reached
// through a class name ("@java.lang.runtime@getruntime()",
// "@ognl.ognlcontext@default_member_access"), or one of the context
// variables injections use, opened by a parenthesis or a brace and
// followed by an index, an assignment, a member or a test
// ("(#context['xwork.methodaccessor.denymethodexecution']=false)",
// "%{(#_='multipart/form-data')", "(#_memberaccess?"). It returns the
// offset of the construct or -1.
func OGNL(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexAny(s[off:], "#@")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		if s[i] == '@' {
			if staticMember(s, i) {
				return i
			}
			continue
		}
		if i == 0 || strings.IndexByte("({,.", s[i-1]) < 0 {
			continue
		}
		j := i + 1
		for j < len(s) && lex.IsWord(s[j]) {
			j++
		}
		if j == i+1 || j == len(s) || !ognlContextNames[s[i+1:j]] {
			continue
		}
		if strings.IndexByte("[=.?", s[j]) >= 0 {
			return i - 1
		}
	}
	return -1
}

// javaRoots are the first parts of the class names injections load.
var javaRoots = map[string]bool{"java": true, "javax": true, "jdk": true, "sun": true, "ognl": true, "org": true, "com": true, "freemarker": true}

// staticMember reads "@pkg.sub.Class@member" at s[i]: a class name of at
// least three dotted parts under a Java root package, between two '@' (the
// first not inside a word, as in an e-mail address), then a member name.
func staticMember(s string, i int) bool {
	if i > 0 && lex.IsWord(s[i-1]) {
		return false
	}
	r := i + 1
	for r < len(s) && lex.IsWord(s[r]) {
		r++
	}
	if r == len(s) || s[r] != '.' || !javaRoots[s[i+1:r]] {
		return false
	}
	j, dots := i+1, 0
	for j < len(s) && (lex.IsWord(s[j]) || s[j] == '.' || s[j] == '$') {
		if s[j] == '.' {
			dots++
		}
		j++
	}
	if dots < 2 || j == len(s) || s[j] != '@' || !lex.IsAlpha(s[i+1]) {
		return false
	}
	k := j + 1
	for k < len(s) && lex.IsWord(s[k]) {
		k++
	}
	return k > j+1 && lex.IsAlpha(s[j+1])
}
