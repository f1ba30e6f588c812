package evasion

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// HTCImport finds Internet Explorer's HTML-component import,
// "<?import implementation=" or "<import implementation=", which loads
// a behaviour (script) from a URL; also with the blank removed.
func HTCImport(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "implementation")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("implementation")
		if e := lex.SkipSpace(s, off); e >= len(s) || s[e] != '=' {
			continue
		}
		b := i
		b = lex.SkipSpaceBack(s, b)
		if b < len("<import") || s[b-6:b] != "import" {
			continue
		}
		b -= 6
		if s[b-1] == '?' {
			b--
		}
		if b > 0 && s[b-1] == '<' {
			return b - 1
		}
	}
	return -1
}
