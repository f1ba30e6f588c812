package detect

import "github.com/lambdawaf/lambdawaf/agent/event"

// Value is the example as the decoder yields it.
func (x Example) Value() event.Value {
	v := event.Value{Part: event.PartBody, Location: "body." + x.Key, Key: x.Key, Text: x.Text, Record: -1}
	switch x.Part {
	case "query":
		v.Part, v.Location = event.PartQuery, "query."+x.Key
	case "header":
		v.Part, v.Location = event.PartHeader, "header."+x.Key
	case "cookie":
		v.Part, v.Location = event.PartCookie, "cookie."+x.Key
	case "path":
		v.Part, v.Location, v.Key = event.PartPath, "path", ""
	}
	return v
}

// Warm judges the attack and the benign example of every rule once and
// keeps nothing of what they say. The detectors' keyword tables are built
// on first use rather than at package initialisation, which runs before
// the agent can register with Lambda and so is cold start in full; the
// agent warms its engine while it builds its inspector, beside the
// runtime's own start, so that neither registration nor the first event
// pays for the tables.
func (e *Engine) Warm() {
	var dst []Signal
	for _, r := range Rules {
		for _, x := range [...]Example{r.Attack, r.Benign} {
			dst = e.Inspect(x.Value(), dst[:0])
		}
	}
}
