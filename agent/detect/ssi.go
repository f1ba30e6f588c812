package detect

import "github.com/lambdawaf/lambdawaf/agent/detect/ssi"

// detectSSI judges a value holding "<!--#" or "<esi:".
func (in *input) detectSSI() {
	if !in.mask.has(bLT) || !in.e.Enabled(CodeInj) {
		return
	}
	if i, sc := ssi.Include(in.lower()); i >= 0 {
		in.emit(CodeInj, "ssi-directive", sc, i, i+32)
	}
}
