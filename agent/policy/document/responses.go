package document

// ResponseCounterSpec counts the function's answers of some statuses per
// key: Count of them within one Within window hold the key for For. It
// reads what only responses reveal — a scanner walking paths that do not
// exist, an enumeration of ids or accounts — across the protection group
// when it has shared state.
type ResponseCounterSpec struct {
	ID string `json:"id"`
	// Status lists the response statuses counted; default 401, 403, 404.
	Status []int `json:"status,omitempty"`
	// Key is source-ip (default), header.<name> or claim.<name> (an API
	// key or token subject; stored pseudonymised).
	Key string `json:"key,omitempty"`
	// Routes restricts the counter to some routes.
	Routes []string `json:"routes,omitempty"`
	Count  int      `json:"count"`
	Within string   `json:"within"`
	// Action once held: log, block (every request of the key answered
	// 429 with Retry-After until the hold lapses) or flag (source-ip
	// only: the group's source flag, as flagging thresholds set it).
	// Default flag for source-ip, block otherwise.
	Action string `json:"action,omitempty"`
	// For is how long a key stays held; default 15m, at most 168h.
	For string `json:"for,omitempty"`
}
