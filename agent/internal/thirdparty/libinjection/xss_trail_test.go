package libinjection

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// xssUnits are the pieces the long inputs of the trail tests are made
// of: tag and attribute syntax, each quote, comments, and the openers of
// what IsXSS flags; the first benignUnits of them are syntax that flags
// nothing by itself.
var xssUnits = []string{"<a", "<a>\n", "<", ">", "'", "\"", "=", " ", "\t", "\n", "/", "x", "a", "1", "\x00",
	"'>", "\">", "</", "/>", "&#", "<b title='", "' ", "\" ", "<p class=\"", "?>", "<x ", "<x/", "<x=", "== ", "<<", ">>",
	"<p>", "</p>", "<br/>", "<i a=b>", "<!--x-->", "<?x?>", "<a href=\"/x\">",
	"`", "`>", "onerror=", "<img src=x ", "javascript:", "<!--", "-->", "<?", "<!doctype", "style=",
	"<script>", "[if", "<svg ", "href=", "src=", "data:", "vbscript:", "xmlns=", "<![CDATA[", "]]>", "<!", "import", "entity"}

var benignUnits = slices.Index(xssUnits, "`")

// xssAttacks are appended to long benign-looking texts, so that a pass
// finds something only near the end, after the passes fell into step.
var xssAttacks = []string{"'><img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)", "javascript:alert(1)",
	"` onfocus=alert(1) autofocus `", "<script>alert(1)</script>", "x onerror=alert(1)", "<!--[if IE]>", "<?import x>",
	"<svg/onload=alert(1)>", "' style='x:expression(alert(1))", "<a href=\"javascript:x\">"}

// longXSSInputs returns texts of trailMin bytes and more: random runs of
// xssUnits, long repeats of one unit with a random unit spliced in every
// few hundred bytes, and each of those with an attack at its end.
func longXSSInputs(r *rand.Rand) []string {
	var out []string
	for i := range 6000 {
		units := xssUnits
		if i%2 == 0 {
			units = xssUnits[:benignUnits]
		}
		var b strings.Builder
		n := trailMin + r.IntN(3*trailMin)
		for b.Len() < n {
			b.WriteString(units[r.IntN(len(units))])
		}
		out = append(out, b.String())
	}
	for _, u := range xssUnits {
		s := strings.Repeat(u, 4*trailMin/len(u)+1)
		out = append(out, s)
		var b strings.Builder
		for i := 0; i < len(s); {
			j := min(len(s), i+1+r.IntN(400))
			b.WriteString(s[i:j])
			b.WriteString(xssUnits[r.IntN(len(xssUnits))])
			i = j
		}
		out = append(out, b.String())
	}
	for i, n := 0, len(out); i < n; i++ {
		out = append(out, out[i]+xssAttacks[r.IntN(len(xssAttacks))])
	}
	return out
}

// isXSSEveryPass is IsXSS without the trail: every pass to its end.
func isXSSEveryPass(input string) bool {
	if strings.IndexByte(input, '<') != -1 && isXSS(input, html5FlagsDataState, nil) {
		return true
	}
	return isXSS(input, html5FlagsValueNoQuote, nil) ||
		isXSS(input, html5FlagsValueSingleQuote, nil) ||
		isXSS(input, html5FlagsValueDoubleQuote, nil) ||
		isXSS(input, html5FlagsValueBackQuote, nil)
}

// TestTrailKeepsVerdicts holds IsXSS, whose passes stop where an earlier
// pass has been, to upstream and to every pass run to its end, on long
// inputs of tag, attribute and quote syntax, with and without an attack
// at the end; and checks that passes do stop early on them.
func TestTrailKeepsVerdicts(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 67))
	xss, stopped := 0, 0
	inputs := longXSSInputs(r)
	for _, s := range inputs {
		got := IsXSS(s)
		if want := isXSSEveryPass(s); got != want {
			t.Fatalf("IsXSS(%.120q…) = %v, every pass to its end %v", s, got, want)
		}
		if want := upstream.IsXSS(s); got != want {
			t.Fatalf("IsXSS(%.120q…) = %v, upstream %v", s, got, want)
		}
		if got {
			xss++
		}
		stopped += stoppedPasses(s)
	}
	t.Logf("%d inputs, %d XSS, %d passes stopped early", len(inputs), xss, stopped)
	if xss < 1000 || len(inputs)-xss < 1000 || stopped < 1000 {
		t.Errorf("%d inputs are XSS, %d passes stopped early: the inputs no longer exercise the trail", xss, stopped)
	}
}

// stoppedPasses counts the passes of IsXSS(s) after the first that stop
// at an earlier pass's mark, running them all.
func stoppedPasses(s string) int {
	seen := newPassTrail(len(s))
	defer seen.release()
	n := 0
	for _, flags := range []int{html5FlagsDataState, html5FlagsValueNoQuote, html5FlagsValueSingleQuote, html5FlagsValueDoubleQuote, html5FlagsValueBackQuote} {
		h := new(h5State)
		h.init(s, flags)
		seen.next()
		attr, block := attributeTypeNone, -1
		for h.next() {
			if h.tokenType != html5TypeAttrValue {
				attr = attributeTypeNone
			}
			detected, nextAttr := checkToken(h, attr)
			if detected {
				return n
			}
			attr = nextAttr
			if h.pos>>trailShift != block {
				block = h.pos >> trailShift
				if seen.visit(block, h, attr) {
					n++
					break
				}
			}
		}
	}
	return n
}

// TestTrailKeepsVerdictsOnFewPieces holds IsXSS to every pass run to its
// end (and, on every fiftieth, to upstream) on texts that repeat a few
// random pieces, units and attacks alike, past trailMin bytes, half of
// them with an attack at the end: the shapes in which passes stand at the
// same place in different states, which a mark that held less than the
// whole state would confuse.
func TestTrailKeepsVerdictsOnFewPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := append(append([]string{}, xssUnits...), xssAttacks...)
	for i := range 100000 {
		var b strings.Builder
		sub := make([]string, 2+r.IntN(6))
		for k := range sub {
			sub[k] = pieces[r.IntN(len(pieces))]
		}
		for n := trailMin + r.IntN(600); b.Len() < n; {
			b.WriteString(sub[r.IntN(len(sub))])
		}
		if r.IntN(2) == 0 {
			b.WriteString(xssAttacks[r.IntN(len(xssAttacks))])
		}
		s := b.String()
		got := IsXSS(s)
		if want := isXSSEveryPass(s); got != want {
			t.Fatalf("IsXSS(%.120q…) = %v, every pass to its end %v", s, got, want)
		}
		if i%50 == 0 {
			if want := upstream.IsXSS(s); got != want {
				t.Fatalf("IsXSS(%.120q…) = %v, upstream %v", s, got, want)
			}
		}
	}
}
