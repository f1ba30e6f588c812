// Package html reads a value the way a browser's HTML parser would: the
// tags that run or load script (<script>, an on* handler, a script URL in
// src/href/action/style), an element opened in a parameter, the legacy
// elements filters' deny lists name, an event handler injected after a
// quote, script-capable URL schemes with the padding browsers ignore, and
// the inline CSS that cannot run anything. Its subpackages read the
// script such markup runs (script) and the markup written so that a
// filter does not see it (evasion). Offsets are byte offsets into the
// value; package detect turns what it finds into signals.
package html
