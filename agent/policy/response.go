package policy

import "time"

// Response is what the function answered to an HTTP event, as the firewall
// read it from the response object (status code, headers, body) or from
// the prelude of a streamed response.
type Response struct {
	Status int
	// Headers maps lower-cased header names to their first value.
	Headers map[string]string
	// Body is the decoded body when Watch.WantsBody said so; nil
	// otherwise (and for streamed responses).
	Body []byte
}

// Watch is what a decision asks to see of the function's response: the
// login attempt and the response counters it is counted against. The
// firewall hands the response to Observe once the handler has answered.
// Only an event the function answers (allowed or logged) has one.
type Watch struct {
	ac    AbuseCounters
	login *loginAttempt
	// counted are the response counters that apply, with the request's
	// key for each.
	counted []watchedCounter
	// ratios are the error ratios the response's route counts for.
	ratios []watchedRatio
}

type watchedCounter struct {
	rc  *responseCounter
	key string
}

// watch returns the evaluation's Watch, creating it.
func (ev *Evaluation) watch() *Watch {
	if ev.d.watch == nil {
		ev.d.watch = &Watch{ac: ev.p.abuse()}
	}
	return ev.d.watch
}

// Watch returns what the decision asks to see of the function's response;
// nil when nothing counts responses (the usual case), or when the event
// was blocked.
func (d *Decision) Watch() *Watch {
	if d.Outcome == Block {
		return nil
	}
	return d.watch
}

// WantsBody reports whether Observe needs the response body (a login
// outcome read from a JSON member); the status and headers suffice
// otherwise.
func (w *Watch) WantsBody() bool {
	if w.login == nil {
		return false
	}
	r := w.login.route
	return r.success.wantsBody() || r.failure.wantsBody()
}

// Observe counts the response. It answers from memory and is safe for
// concurrent use.
func (w *Watch) Observe(r *Response, now time.Time) {
	if w.login != nil {
		w.login.observe(w.ac, r, now)
	}
	for _, c := range w.counted {
		if c.rc.counts(r.Status) {
			w.ac.Count(c.rc.counter, c.key, now)
		}
	}
	for i := range w.ratios {
		w.ratios[i].observe(w.ac, r.Status, now)
	}
}
