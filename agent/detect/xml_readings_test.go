package detect

import "testing"

// TestStylesheetInstructionReadsWhereItPoints: an xml-stylesheet
// instruction pointing at another server, at script or into the document
// itself is a transformation the sender chose; one beside the document is
// a document's own.
func TestStylesheetInstructionReadsWhereItPoints(t *testing.T) {
	e := New(Options{})
	for _, c := range []struct {
		value  string
		attack bool
	}{
		{`<?xml-stylesheet type="text/xsl" href="http://x.example/x.xsl"?>`, true},
		{`<?xml-stylesheet type="text/xsl" href='//x.example/x.xsl'?><a/>`, true},
		{`<?xml-stylesheet type="text/xsl" href="#"?><img xmlns="x-schema:test.xdr"/>`, true},
		{`<?xml-stylesheet href="data:text/xsl;base64,PHg+"?>`, true},
		{`<?xml-stylesheet type="text/xsl" href="style.xsl"?><doc/>`, false},
		{`<?xml-stylesheet type="text/css" href="feed.css"?>`, false},
		{`use <?xml-stylesheet?> to style a feed`, false},
	} {
		got := hasRule(e.Inspect(body("xml", c.value), nil), "xslt-injection")
		if got != c.attack {
			t.Errorf("%q: xslt-injection %v, want %v", c.value, got, c.attack)
		}
	}
}

// TestCDATAInjectionReadsSectionsTheValueCarries: a CDATA section at the
// value's top level, or a section end with markup after it, is carried to
// the document the value goes into; a document in the value whose
// elements hold CDATA is its own.
func TestCDATAInjectionReadsSectionsTheValueCarries(t *testing.T) {
	e := New(Options{})
	for _, c := range []struct {
		value  string
		attack bool
	}{
		{`<![CDATA[<test></test>]]>`, true},
		{`x]]><script>alert(1)</script><![CDATA[`, true},
		{`<rss><item><description><![CDATA[Hello <b>world</b>]]></description></item></rss>`, false},
		{`wrap it in a CDATA section`, false},
		{`a]]>b`, false},
	} {
		got := hasRule(e.Inspect(body("feed", c.value), nil), "xml-cdata")
		if got != c.attack {
			t.Errorf("%q: xml-cdata %v, want %v", c.value, got, c.attack)
		}
	}
}
