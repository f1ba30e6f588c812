package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// javaPackages are packages whose fully qualified class names in a request
// point at deserialization gadgets, expression-language or reflection.
var javaPackages = [...]string{"java.lang.", "java.io.", "java.net.", "java.nio.", "java.util.", "java.beans.", "java.rmi.", "java.security.", "java.sql.", "javax.", "jdk.", "sun.", "com.sun.", "com.opensymphony.", "org.apache.commons", "org.apache.struts", "org.apache.tomcat", "org.apache.catalina", "org.apache.xalan", "org.apache.xbean", "org.springframework.", "org.codehaus.groovy", "org.mozilla.javascript", "org.hibernate.", "org.jboss.", "org.omg.", "com.mchange.", "com.alibaba.fastjson", "com.fasterxml.jackson.databind", "bsh.", "ognl.", "groovy."}

// javaPackageBytes holds the byte set of each of javaPackages.
var javaPackageBytes = lex.BytesOfAll(javaPackages[:])

// JavaClassName finds a fully qualified Java class or package name.
//
// have is the byte set of s.
func JavaClassName(s string, have *lex.ByteSet) int {
	if strings.IndexByte(s, '.') < 0 {
		return -1 // every package name has a dot
	}
	for n, p := range javaPackages {
		if !have.Covers(&javaPackageBytes[n]) {
			continue
		}
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], p)
			if i < 0 {
				break
			}
			i += off
			e := i + len(p)
			if (i == 0 || !lex.IsAlnum(s[i-1]) && s[i-1] != '.' && s[i-1] != '-' && s[i-1] != '@') && (p[len(p)-1] != '.' || e < len(s) && lex.IsAlpha(s[e])) {
				// A class name alone (a parameter, header or cookie
				// holding it) or used in code; not a stack trace line.
				k := e
				for k < len(s) && (lex.IsWord(s[k]) || s[k] == '.' || s[k] == '$') {
					k++
				}
				name := s[i:k]
				if strings.HasSuffix(name, "exception") || strings.HasSuffix(name, "error") {
					off = i + 1
					continue
				}
				if strings.IndexAny(s, " \t\n") < 0 || k < len(s) && strings.IndexByte("(@#[\"'", s[k]) >= 0 {
					return i
				}
			}
			off = i + 1
		}
	}
	return -1
}
