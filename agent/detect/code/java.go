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

// javaPackageIndex files javaPackages by their first two bytes, so that a
// long text is searched for all of them in one pass.
var javaPackageIndex = lex.NewFirstIndex(javaPackages[:])

// javaOnePassMin is the text length from which JavaClassName searches all
// packages in one pass rather than one strings.Index per package whose
// bytes the text holds.
const javaOnePassMin = 256

// JavaClassName finds a fully qualified Java class or package name.
//
// have is the byte set of s.
func JavaClassName(s string, have *lex.ByteSet) int {
	if !lex.DotLetter(s) {
		return -1 // every package name has a dot and a letter after one
	}
	r := javaNameReader{blank: -1}
	if len(s) >= javaOnePassMin {
		for n := range javaPackages {
			if have.Covers(&javaPackageBytes[n]) {
				_, i := javaPackageIndex.Find(s, r.accept)
				return i
			}
		}
		return -1 // no package can occur: s is not read
	}
	for n, p := range javaPackages {
		if !have.Covers(&javaPackageBytes[n]) {
			continue
		}
		for off := 0; off < len(s); {
			i := lex.Index(s[off:], p)
			if i < 0 {
				break
			}
			i += off
			if r.accept(s, i, p) {
				return i
			}
			off = i + 1
		}
	}
	return -1
}

// javaNameReader judges the occurrences of package names in one text. It
// keeps what does not depend on the occurrence, so that every occurrence
// costs the same whatever the text's length: whether the text has a blank
// at all, and the end of the last run of name bytes read (the occurrences
// of "java.lang.a$java.lang.a$..." share one run, which is read once).
type javaNameReader struct {
	blank          int // -1 unknown, 0 no blank in the text, 1 a blank
	runFrom, runTo int // s[runFrom:runTo] are name bytes and s[runTo] is not
}

// accept reports whether the occurrence of package p at s[i:] is a class
// name alone (a parameter, header or cookie holding it) or used in code,
// not a stack trace line.
func (r *javaNameReader) accept(s string, i int, p string) bool {
	e := i + len(p)
	if !(i == 0 || !lex.IsAlnum(s[i-1]) && s[i-1] != '.' && s[i-1] != '-' && s[i-1] != '@') || !(p[len(p)-1] != '.' || e < len(s) && lex.IsAlpha(s[e])) {
		return false
	}
	k := e
	if r.runTo > r.runFrom && r.runFrom <= e && e <= r.runTo {
		k = r.runTo
	} else {
		for k < len(s) && (lex.IsWord(s[k]) || s[k] == '.' || s[k] == '$') {
			k++
		}
		r.runFrom, r.runTo = e, k
	}
	name := s[i:k]
	if strings.HasSuffix(name, "exception") || strings.HasSuffix(name, "error") {
		return false
	}
	if r.blank < 0 {
		r.blank = 0
		if strings.IndexAny(s, " \t\n") >= 0 {
			r.blank = 1
		}
	}
	return r.blank == 0 || k < len(s) && strings.IndexByte("(@#[\"'", s[k]) >= 0
}
