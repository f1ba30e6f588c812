package detect

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/template"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// detectSSTIBefore is detectSSTI as it was before it skipped openers with
// a byte the value lacks and read its directives in one pass: a
// strings.Index per opener and per directive. The oracle for
// TestSSTIAgreesWithScanPerNeedle.
func (in *input) detectSSTIBefore() {
	if !in.e.Enabled(SSTI) {
		return
	}
	m := in.mask
	if !m.has(bLBrace|bHash|bLT|bDollar) && !m.hasAll(bAt|bParen) {
		return
	}
	s := in.lower()
	if m.has(bHash | bAt) {
		if i := template.OGNL(s); i >= 0 {
			in.emit(SSTI, "ssti-expression", 8, i, i+32)
			return
		}
	}
	hasCtor := strings.Contains(s, "constructor")
	type delim struct{ open, close string }
	for _, d := range [...]delim{{"{{", "}}"}, {"${", "}"}, {"#{", "}"}, {"*{", "}"}, {"@{", "}"}, {"<%=", "%>"}, {"<%", "%>"}, {"{%", "%}"}, {"@(", ")"}, {"{", "}"}} {
		// Linear in the value: bodies of closed expressions do not overlap
		// (the scan resumes after the close), and once a close is missing
		// it is missing for every later opener too, so only the first few
		// unclosed openers are judged.
		unclosed := 0
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], d.open)
			if i < 0 {
				break
			}
			i += off
			b := i + len(d.open)
			j := -1
			if unclosed == 0 {
				j = strings.Index(s[b:], d.close)
			}
			if j < 0 {
				if unclosed++; unclosed > maxUnclosedTemplates {
					break
				}
				off = b
				if in.sstiBody(d.open, i, s[b:min(b+256, len(s))], hasCtor) {
					return
				}
				continue
			}
			body := s[b : b+j]
			off = b + j + len(d.close)
			// The innermost opener is the expression a template engine
			// reads ("{{a {{7*7}}"); judge it as well as the outer body.
			if k := strings.LastIndex(body, d.open); k > 0 && in.sstiBody(d.open, b+k, body[k+len(d.open):], hasCtor) {
				return
			}
			if in.sstiBody(d.open, i, body, hasCtor) {
				return
			}
		}
	}
	if i := razorImplicit(s); i >= 0 {
		in.emit(SSTI, "ssti-expression", 9, i, i+32)
		return
	}
	if template.Source(strings.TrimSpace(s)) {
		in.emit(SSTI, "ssti-directive", 7, 0, 32)
		return
	}
	if i := template.Polyglot(s); i >= 0 {
		in.emit(SSTI, "ssti-expression", 7, i, i+32)
		return
	}
	// Thymeleaf preprocessing, Velocity and Freemarker directives.
	for _, w := range [...]string{"__${", "#set(", "#set (", "#foreach", "$class.inspect", "$class.type", "<#assign", "<#import", "<#include", "[#assign", "[#import", "[#include", "<@", "#evaluate(", "#define(", "$!{"} {
		if i := strings.Index(s, w); i >= 0 {
			rest := s[i:]
			if w == "<@" && !strings.Contains(rest, "?new") && !strings.Contains(rest, ".") {
				continue
			}
			if w == "$!{" && template.Evidence(rest) == 0 {
				continue
			}
			in.emit(SSTI, "ssti-directive", 8, i, i+40)
			return
		}
	}
}

// judgeOne runs one detector method on v with a fresh input and returns
// the signals it emitted.
func judgeOne(e *Engine, v event.Value, detector func(*input)) []Signal {
	sc := e.scratch.Get().(*scratch)
	defer e.scratch.Put(sc)
	in := input{e: e, v: v, text: v.Text, sink: sinkOf(&v), sc: sc}
	in.mask = scanMask(in.text)
	detector(&in)
	return in.dst
}

// TestSSTIAgreesWithScanPerNeedle holds detectSSTI to the code it replaced
// on the corpora, hostile random strings, texts of template delimiters and
// directives, their mutations, and long runs.
func TestSSTIAgreesWithScanPerNeedle(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	r := rand.New(rand.NewPCG(67, 71))
	pieces := []string{"{{", "}}", "${", "}", "#{", "*{", "@{", "<%=", "<%", "%>", "{%", "%}", "@(", ")", "{", "__${", "#set(", "#set (", "#foreach",
		"$class.inspect", "<#assign", "[#include", "<@", "?new", ".", "#evaluate(", "#define(", "$!{", "7*7", "config", "__class__", " ", "x", "`", "constructor", "@"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 24)...)
	texts = append(texts, difftest.Joined(r, pieces, 20000, 12)...)
	n := len(texts)
	for _, s := range texts[:n] {
		if r.IntN(4) == 0 { // mutations of a quarter: the oracle is slow
			texts = append(texts, difftest.Mutate(r, s)...)
		}
	}
	texts = append(texts, difftest.Long(r, append(pieces, difftest.Tokens...), 4096)...)
	for _, s := range texts {
		v := body("q", s)
		if got, want := judgeOne(e, v, (*input).detectSSTI), judgeOne(e, v, (*input).detectSSTIBefore); !reflect.DeepEqual(got, want) {
			t.Fatalf("detectSSTI(%d bytes %.80q) = %v, scan per needle %v", len(s), s, got, want)
		}
	}
}
