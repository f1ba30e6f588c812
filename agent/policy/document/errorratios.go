package document

// ErrorRatioSpec watches one route's share of error answers: when, within
// one Within window, at least MinRequests requests reached the route and
// the share of them the function answered with an error status reached
// Ratio, the route's error ratio has crossed. That is the sign of a route
// being fuzzed, or of an exploit attempt breaking it, which a per-source
// count misses when the attack is spread over many sources and a
// per-request check misses because each request on its own is plausible.
//
// A crossing never refuses the route itself (that would turn a fuzzing run,
// or a bad deploy, into an outage for every client): it records the
// crossing once, and marks the sources that contributed the errors
// (Sources of them within one window from one source on the route), whose
// requests to the route are recorded, and with action block refused with
// 429 and Retry-After, until the hold lapses.
type ErrorRatioSpec struct {
	ID string `json:"id"`
	// Routes restricts the ratio to some routes ("[METHOD] /path"); each
	// pattern is one route to the ratio. Without routes, each route as
	// the front door names it (API Gateway's route key, else method and
	// path) has its own ratio.
	Routes []string `json:"routes,omitempty"`
	// Status lists what counts as an error answer: "5xx", "4xx" or a
	// status code ("404"). Default ["5xx"].
	Status []string `json:"status,omitempty"`
	// Ratio is the share of error answers, above 0 and at most 1.
	Ratio float64 `json:"ratio"`
	// MinRequests is the fewest requests in the window for the ratio to
	// count: a route answering 1 error in 2 requests is not under attack.
	MinRequests int    `json:"minRequests"`
	Within      string `json:"within"`
	// Sources is how many error answers one source must have had on the
	// route within one window to count as a contributor; default 3.
	Sources int `json:"sources,omitempty"`
	// Action for the contributors while the route is held: log (default:
	// their requests are recorded) or block (refused on that route with
	// 429 and Retry-After).
	Action string `json:"action,omitempty"`
	// For is how long a crossing holds the route and its contributors;
	// default 15m, at most 168h.
	For string `json:"for,omitempty"`
}
