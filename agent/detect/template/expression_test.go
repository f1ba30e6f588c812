package template

import (
	"math/rand/v2"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
)

func TestEvidence(t *testing.T) {
	for _, c := range []struct {
		e    string
		want int
	}{
		{"7*7", 8},
		{"''.__class__.__mro__", 9},
		{"['id',1]|sort('system')|join", 9},
		{"'a'.touppercase()", 8},
		{`pagecontext.request.getsession().setattribute("admin",true)`, 8},
		{"class.getclassloader()", 8},
		{"364|add:733", 8},
		{"config", 6},
		{`session.setattribute("a","b")`, 6}, // Flask's session, as config
		{"facescontext.externalcontext", 6},  // JSF's implicit object
		{"sessionid", 0},
		{"user.name", 0},
		{"items|map(attribute='name')|join(', ')", 0},
		{"t('welcome.title')", 0},
		{"2024-01-05", 8}, // the engine computes 2018: arithmetic
		{"user.created_at|date", 0},
	} {
		if got := Evidence(c.e); got != c.want {
			t.Errorf("Evidence(%q) = %d, want %d", c.e, got, c.want)
		}
	}
}

func TestPolyglot(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{`${{<%[%'"}}%\.`, 0},
		{"x ${{<%[%", 2},
		{"jinja writes {{ x }} and erb writes <%= x %>", -1},
		{"{{ a }}", -1},
	} {
		if got := Polyglot(c.s); got != c.want {
			t.Errorf("Polyglot(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// polyglotReference is Polyglot without the second-byte table: every
// position compared with every opener.
func polyglotReference(s string) int {
	const window = 16
	var last [len(openers)]int
	for i := 0; i+1 < len(s); i++ {
		for k, o := range openers {
			if s[i] != o[0] || s[i+1] != o[1] {
				continue
			}
			last[k] = i + 1
			kinds, first := 0, i
			for _, p := range last {
				if p > 0 && p-1 >= i-window {
					kinds++
					first = min(first, p-1)
				}
			}
			if kinds >= 3 {
				return first
			}
		}
	}
	return -1
}

func TestPolyglotAgreesWithEveryPositionCompared(t *testing.T) {
	const alphabet = "{}$<%[#*@( 'a\"."
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 50000; n++ {
		b := make([]byte, 1+r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if got, want := Polyglot(string(b)), polyglotReference(string(b)); got != want {
			t.Fatalf("Polyglot(%q) = %d, reference %d", b, got, want)
		}
	}
}

// TestPolyglotAgreesOnLongTexts holds Polyglot to the every-position
// reference on the corpora, hostile random strings, and long runs of
// openers with other openers spliced in (where an opener recurs within
// the window and is not counted again).
func TestPolyglotAgreesOnLongTexts(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 53))
	texts := difftest.Corpus(t)
	texts = append(texts, difftest.Hostile(r, 5000, 24)...)
	units := append([]string{"${", "{{", "<%", "[%", "#{", "{%", "*{", "@(", "${{", "a${", "${ x }"}, difftest.Tokens...)
	texts = append(texts, difftest.Long(r, units, 2048)...)
	for _, s := range texts {
		if got, want := Polyglot(s), polyglotReference(s); got != want {
			t.Fatalf("Polyglot(%d bytes %.80q) = %d, reference %d", len(s), s, got, want)
		}
	}
}
