package firewall

// Warm runs the running configuration's detector once over examples and
// discards what it says, when the detector can be warmed (detect.Engine
// can: its keyword tables are built on first use). The agent calls it
// while it builds its inspector, off the path to registration and before
// the first event.
func (f *Firewall) Warm() {
	if w, ok := f.cur.Load().det.(interface{ Warm() }); ok {
		w.Warm()
	}
}
