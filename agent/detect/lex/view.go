package lex

import "unsafe"

// View returns b as a string without copying; b must not change while
// the string is in use (scratch buffers live for one Inspect call).
func View(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
