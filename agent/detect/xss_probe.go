package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/html/script"
)

// detectScriptProbe emits the code-injection probes that look like
// script: a console method called on a literal (Node evaluation).
func (in *input) detectScriptProbe() bool {
	s := in.lower()
	if !strings.Contains(s, "console") {
		return false
	}
	if i := script.ConsoleProbe(s); i >= 0 {
		in.emit(CodeInj, "node-injection", 7, i, i+32)
		return true
	}
	return false
}
