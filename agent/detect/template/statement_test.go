package template

import "testing"

func TestStatement(t *testing.T) {
	for _, c := range []struct {
		w    string
		want int
	}{
		{"for key, value in config.iteritems() ", 6},
		{"for c in [].__class__.__base__.__subclasses__() ", 9},
		{"set x = 7*7 ", 8},
		{"if 'a'.upper() ", 8},
		{"for item in items ", 0},
		{"set title = page.title ", 0},
		{"block body ", 0},
		{"if x == 1 ", 0},
	} {
		if got := Statement(c.w); got != c.want {
			t.Errorf("Statement(%q) = %d, want %d", c.w, got, c.want)
		}
	}
}

func TestSource(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"{% block body %}", true},
		{"{{/each}}", true},
		{"{{e.user.get_username}} : {{e.user.password}}{% endfor %}", true},
		{`<li><a href="{{ user.url }}">{{ user.username }}</a></li>`, true},
		{"<% if admin %>", true},
		{"<#list users as u>${u}</#list>", true},
		{"<#if user??>${user.password}</#if>", true},
		{"<td>${user.name}</td>", true},
		{"${first}${last}", false},
		{"${price} USD", false},
		{"<#list users as u", false},
		{"{{name}}", false},
		{"{{firstname}} {{lastname}}", false},
		{"jinja docs: {% for item in items %}{{ item }}{% endfor %}", false},
		{"<p>hello {{ name }}</p>", false},
		{"<b>bold</b>", false},
		{"{% unclosed", false},
	} {
		if got := Source(c.s); got != c.want {
			t.Errorf("Source(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestDunder(t *testing.T) {
	for _, c := range []struct {
		e    string
		want bool
	}{
		{"x.__dict__", true},
		{"f.__self__.x", true},
		{"__dirname", false},
		{"a__b", false},
		{"____", false},
		{"__(\"hello\")", false},
	} {
		if got := dunder(c.e); got != c.want {
			t.Errorf("dunder(%q) = %v, want %v", c.e, got, c.want)
		}
	}
}

func TestGoAction(t *testing.T) {
	for _, c := range []struct {
		w    string
		want int
	}{
		{".", 6},
		{`printf "%s" "ssti"`, 7},
		{`html "ssti"`, 7},
		{"call .func", 7},
		{"caller .name", 0},
		{`define "t1"`, 7},
		{".title", 0},
		{`t "welcome"`, 0},
		{"range .items", 0},
	} {
		if got := GoAction(c.w); got != c.want {
			t.Errorf("GoAction(%q) = %d, want %d", c.w, got, c.want)
		}
	}
}
