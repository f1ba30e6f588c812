// Package script reads JavaScript injected into a page or evaluated on a
// server: sinks called after a string breakout ('-alert(1)-'), DOM
// writes, JSFuck, tagged-template calls, console probes of server-side
// evaluation (console.info(1)), identifiers spelt with escapes and
// assignments to a property after a breakout. Every reading needs the
// shape an injection has, not a mention of the name, so source code and
// prose about JavaScript are not read as an attack.
package script
