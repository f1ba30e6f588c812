package detect

import "github.com/lambdawaf/lambdawaf/agent/detect/xpath"

// detectXPath judges a value with a quote, a "::", or a call over a path.
func (in *input) detectXPath() {
	if !in.e.Enabled(XPathi) || !in.mask.has(bQuote|bDQuote|bColon) && !in.mask.hasAll(bParen|bSlash) {
		return
	}
	if i, sc := xpath.Injection(in.lower(), in.lowerBytes()); i >= 0 {
		in.emit(XPathi, "xpath-injection", sc, i, i+32)
	}
}
