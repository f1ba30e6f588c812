package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/html/evasion"
	"github.com/lambdawaf/lambdawaf/agent/detect/html/script"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// name is a parameter name as the decoder yields it (Value.IsKey).
func name(text string) event.Value {
	return event.Value{Part: event.PartBody, Location: "body." + text, Key: text, Text: text, IsKey: true, Record: -1}
}

func TestXSSEntitySchemes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"tab entity in scheme", q("u", "ja&Tab;vascript: "), "xss-script-url", "xss-script-url"},
		{"newline entity in scheme, name", name("ja&NewLine;vascript:\t"), "xss-script-url", "xss-script-url"},
		{"colon entity", q("u", "v&NewLine;b&Tab;s&NewLine;c&NewLine;r&Tab;i&Tab;p&NewLine;t&colon;:"), "xss-script-url", "xss-script-url"},
		{"numeric letter", q("u", "&#106;avascript:alert(1)"), "xss-script-url", "xss-script-url"},
		{"numeric colon, no semicolon", q("u", "javascript&#0000058alert(1)"), "xss-script-url", "xss-script-url"},
		{"encoded colon after a plain scheme", q("u", "javascript&colon;alert(1)"), "xss-script-url", "xss-script-url"},
		{"ampersand prose", q("q", "Tom &amp; Jerry: the movie"), "", ""},
		{"colon entity prose", q("q", "Note&colon; see above"), "", ""},
		{"escaped markup stays text", q("q", "Write &#60;b&#62; for bold: it works"), "", ""},
		{"tab-separated", q("q", "name&#9;value: 1"), "", ""},
		{"plain scheme without code", q("q", "javascript&amp;css: "), "", ""},
	})
}

func TestXSSUTF7(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"utf-7 script, plain value", q("id", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"), "xss-tag", "xss-tag"},
		{"utf-7 script alone", q("id", "+ADw-script+AD4-"), "xss-tag", "xss-tag"},
		{"utf-7 handler", q("id", "+ADw-img src=x onerror=alert(1)+AD4-"), "*", "*"},
		{"plus and dash prose", q("q", "C++ and A+ grades - done"), "", ""},
		{"phone number", q("phone", "+49-30-1234567"), "", ""},
		{"utf-7 bold is not script", q("q", "+ADw-b+AD4-bold"), "", ""},
	})
}

func TestXSSHighBitReading(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"escaped half-width brackets", body("var", `\xbcscript\xbealert(\xa2XSS\xa2)\xbc/script\xbe`), "xss-tag", "xss-tag"},
		{"escaped utf-8 fractions", body("var", `\xc2\xbcscript\xc2\xbealert(\xc2\xa2XSS\xc2\xa2)\xc2\xbc/script\xc2\xbe`), "xss-tag", "xss-tag"},
		{"escaped cyrillic", body("var", `\xd0\xbcscript\xd0\xbealert(\xc2\xa2XSS\xc2\xa2)\xd0\xbc/script\xd0\xbe`), "xss-tag", "xss-tag"},
		{"fractions", body("var", "¼script¾alert(¢XSS¢)¼/script¾"), "xss-tag", "xss-tag"},
		{"raw bytes", body("var", "\xbcscript\xbealert(1)\xbc/script\xbe"), "xss-tag", "xss-tag"},
		{"cyrillic letters", body("var", "мscriptоalert(1)м/scriptо"), "xss-tag", "xss-tag"},
		{"recipe", body("q", "¼ cup sugar, ¾ cup flour (sifted)"), "", ""},
		{"russian prose", body("q", "мама мыла раму (script), потом ушла"), "", ""},
		{"one stray reading, not an element", body("q", "¼script¾ opens (but never closes)"), "", ""},
		{"unclosed close tag", body("var", `\xd0\xbcscript\xd0\xbealert(\xc2\xa2XSS\xc2\xa2)\xd0\xbc/script\xd0`), "", ""},
	})
}

func TestXSSSpacedAndNamespacedTags(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"letter-spaced form", q("q", "<f o r m"), "xss-tag", "xss-tag"},
		{"letter-spaced script", q("q", "< s c r i p t >alert(1)"), "*", "*"},
		{"after text", q("foo", "bar<d i a l o g"), "xss-tag", "xss-tag"},
		{"spaced img with attributes", q("q", "<i m g src=x"), "xss-tag", "xss-tag"},
		{"cookie", cookie("PHPSESSID", "1234<f o r m"), "xss-tag", "xss-tag"},
		{"namespaced script", q("q", "<x:script>alert(1)</x:script>"), "*", "*"},
		{"namespaced script with blanks", q("body", "< x: script"), "xss-tag", "xss-tag"},
		{"letters that spell nothing", q("q", "a <b c d> e"), "", ""},
		{"grades", q("q", "grades <A B C"), "", ""},
		{"key chord", q("q", "Press <S h i f t> twice"), "", ""},
		{"digits", q("q", "1 < 2 3 4"), "", ""},
		{"comparison then a word", q("q", "if a < b: scripts run"), "", ""},
		{"soap element", q("q", "<soap:Body>"), "", ""},
	})
}

func TestXSSSchemeShapes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"htc import, blank removed", q("test", "<importimplementation="), "xss-tag", "xss-tag"},
		{"htc import", q("test", `<?import namespace="t" implementation="#default#time2">`), "*", "*"},
		{"import prose", q("q", "import implementation = details later"), "", ""},
		{"data url of markup", q("test", " data: , <x>"), "xss-script-url", "xss-script-url"},
		{"data url with type", q("test", "data:text/plain;charset=utf-8 , <svg onload=alert(1)>"), "*", "*"},
		{"data prose", q("q", "Missing data: a, b, <c>"), "", ""},
		{"data, no markup", q("q", "data:,hello"), "", ""},
		{"css script url cut", q("test", "x=x:url(javascript"), "xss-script-url", "xss-script-url"},
		{"css script url quoted", body("style", "background:url( 'javascript:alert(1)')"), "*", "*"},
		{"css image", body("style", "background:url(/img/javascript-logo.png)"), "", ""},
		{"css rails path", body("style", "url(javascripts/app.png)"), "", ""},
	})
}

func TestConsoleProbe(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"console.info", q("foo", "console.info(1)"), "node-injection", "node-injection"},
		{"bracket member", q("foo", `console["info"](1)`), "node-injection", "node-injection"},
		{"call with this", q("foo", "console.info.call(this,1)"), "node-injection", "node-injection"},
		{"after a breakout", q("foo", "';console.log(1);//"), "node-injection", "node-injection"},
		{"real logging", q("q", "console.log(JSON.stringify({ ok: true }));"), "", ""},
		{"variable", q("q", "console.log(total)"), "", ""},
		{"prose mention", q("q", "Run console.log(1) in the devtools"), "", ""},
		{"call then prose", q("q", "console.log(1) prints 1"), "", ""},
		{"other object", q("q", "consoles.info(1)"), "", ""},
	})
}

func TestXSSScriptFragmentsParanoia2(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"escaped identifier", q("var", `"in \u0076\u0061l\u0075e\u004F\u0066=`), "", "xss-js-escape"},
		{"hex-escaped name", q("var", `' in \x76\x61lueOf=`), "", "xss-js-escape"},
		{"json escapes of markup", q("q", `\u003cb\u003e bold \u0026 more`), "", ""},
		{"non-ASCII escapes", q("q", `caf\u00e9 cr\u00e8me`), "", ""},
		{"windows path", q("path", `C:\xampp\htdocs\index.php`), "", ""},
		{"one escaped letter", q("q", `the letter \u0041 is A`), "", ""},
		{"breakout into a property", q("var", "'  infoo.bar="), "", "xss-breakout-assign"},
		{"breakout, separator", q("var", "';document.domain=1"), "*", "*"},
		{"quoted configuration", q("q", "set 'name' user.name=bob"), "", ""},
		{"comparison", q("q", "'a.b==c"), "", ""},
		{"apostrophe prose", q("q", "it's settings.x = 1 here"), "", ""},
	})
}

// FuzzXSSEvasions reaches the round-2 readers (entity schemes, UTF-7,
// 7-bit readings, spaced and namespaced tags, data: markup, css url(),
// console probes, escaped identifiers, break-out assignments) through
// Inspect at both paranoia levels, and calls them directly to check that
// every offset they return lies inside the value:
//
//	go test ./agent/detect -run '^$' -fuzz FuzzXSSEvasions -fuzztime 60s
func FuzzXSSEvasions(f *testing.F) {
	for _, s := range []string{"ja&Tab;vascript:", "&#x6a;avascript&colon;x", "+ADw-script+AD4-", `\xbcscript\xbe`, "¼script¾x¼/script¾",
		"<f o r m", "< x: script", "<?import implementation=", " data: , <x>", "x:url(javascript", `console["log"](1)`,
		"';console.info.call(this,1)//", `"in \u0076\u0061lueOf=`, "'  infoo.bar=", "&#", "+ad", "\\x", "<"} {
		f.Add(s)
	}
	engines := []*Engine{New(Options{}), New(Options{Paranoia: 2})}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range engines {
			for _, v := range []event.Value{q("q", s), name(s)} {
				checkSignals(t, e, v)
			}
		}
		in := func(i int) {
			if i < -1 || i >= len(s) && i != 0 {
				t.Fatalf("offset %d outside a value of %d bytes", i, len(s))
			}
		}
		in(evasion.SpacedTag(s))
		i, _ := evasion.NamespacedScript(s)
		in(i)
		in(evasion.HTCImport(s))
		in(evasion.DataMarkup(s))
		in(evasion.CSSScriptURL(s))
		in(script.ConsoleProbe(s))
		in(script.EscapedIdentifier(s))
		in(script.BreakoutAssign(s))
		if v, n := evasion.NumericRef(s); n > len(s) || v < 0 || v > 1<<24 {
			t.Fatalf("evasion.NumericRef(%q) = %d, %d", s, v, n)
		}
	})
}
