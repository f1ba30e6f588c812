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
