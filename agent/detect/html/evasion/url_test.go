package evasion

import "testing"

func TestHTCImport(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"<importimplementation=", 0},
		{`<?import namespace="t" implementation="#default#time2">`, -1}, // another attribute between
		{"x<?import implementation=y", 1},
		{"import implementation = details later", -1},
	} {
		if got := HTCImport(c.s); got != c.want {
			t.Errorf("HTCImport(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestDataMarkup(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{" data: , <x>", 1},
		{"data:text/plain;charset=utf-8 , <svg onload=alert(1)>", 0},
		{"missing data: a, b, <c>", -1},
		{"data:,hello", -1},
		{"metadata:,<x>", -1},
	} {
		if got := DataMarkup(c.s); got != c.want {
			t.Errorf("DataMarkup(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestCSSScriptURL(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"x:url(javascript", 2},
		{"background:url( 'javascript:alert(1)')", 11},
		{"background:url(/img/javascript-logo.png)", -1},
		{"url(javascripts/app.png)", -1},
	} {
		if got := CSSScriptURL(c.s); got != c.want {
			t.Errorf("CSSScriptURL(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
