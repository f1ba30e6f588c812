package document

// LoginsSpec is the logins section: which routes are logins, where their
// user name is, how success and failure read in the function's response,
// and the thresholds of the three account-takeover patterns. Failures are
// counted from the responses (the agent sees every response it passes on)
// per source, per user name and per pair, across the protection group when
// it has shared state; user names are only ever stored or written as keyed
// pseudonyms, and successful logins are never recorded.
type LoginsSpec struct {
	Routes []LoginRouteSpec `json:"routes"`
	// Stuffing: failed logins for Users distinct user names from one
	// source within one window (credential stuffing).
	Stuffing *LoginThresholdSpec `json:"stuffing,omitempty"`
	// Spraying: failed logins for one user name from Sources distinct
	// sources within one window (one account tried from many addresses).
	Spraying *LoginThresholdSpec `json:"spraying,omitempty"`
	// BruteForce: Failures failed logins for one user name from one
	// source within one window.
	BruteForce *LoginThresholdSpec `json:"bruteForce,omitempty"`
	// Status of a block (default 429, sent with Retry-After).
	Status int `json:"status,omitempty"`
}

// LoginRouteSpec declares one login route.
type LoginRouteSpec struct {
	// Route is "[METHOD] /path" as in rate limits ("POST /login").
	Route string `json:"route"`
	// Username is where the user name is: body.<field> (a JSON member,
	// dotted for nested objects, or a form field), header.<name> or
	// query.<name>.
	Username string `json:"username"`
	// Success and Failure say how the outcome reads in the response; a
	// failure match wins. Defaults: success is a 2xx status, failure 401
	// or 403. A response matching neither is not counted.
	Success *OutcomeSpec `json:"success,omitempty"`
	Failure *OutcomeSpec `json:"failure,omitempty"`
}

// OutcomeSpec matches a response: any of its status codes, a JSON member
// of the body, or a header (each that is set must hold: they are ANDed).
type OutcomeSpec struct {
	Status []int              `json:"status,omitempty"`
	JSON   *ResponseValueSpec `json:"json,omitempty"`
	Header *ResponseValueSpec `json:"header,omitempty"`
}

// ResponseValueSpec tests one value of a response: a JSON member (Field,
// dotted) or a header (Name). Without Equals, the value must be present
// and not false, null or empty.
type ResponseValueSpec struct {
	Field  string  `json:"field,omitempty"`
	Name   string  `json:"name,omitempty"`
	Equals *string `json:"equals,omitempty"`
}

// LoginThresholdSpec is the threshold of one account-takeover detector:
// the count (Users, Sources or Failures, by detector) within Within, and
// what follows: log, block the source (or user name) on the login routes
// for For with a 429 and Retry-After, or flag the source across the group
// (every route refused, as flagging does).
type LoginThresholdSpec struct {
	Users    int    `json:"users,omitempty"`
	Sources  int    `json:"sources,omitempty"`
	Failures int    `json:"failures,omitempty"`
	Within   string `json:"within"`
	Action   string `json:"action,omitempty"`
	For      string `json:"for,omitempty"`
}
