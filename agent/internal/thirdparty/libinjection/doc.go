// Package libinjection is github.com/corazawaf/libinjection-go v0.3.5
// (BSD 3-clause, see LICENSE; itself a port of Nick Galbreath's
// libinjection), kept here so that its cost per byte can be cut without
// changing a single verdict: the agent judges every byte of a 6 MB event
// with it, and upstream spends most of that in allocations (an
// upper-cased copy of every word it looks up, a concatenation for every
// pair of tokens it tries to merge).
//
// The changes to upstream are performance only; each is listed in
// CHANGES.md. TestVerdictsMatchUpstream and FuzzVerdictsMatchUpstream
// hold the package to upstream's verdicts and fingerprints, and
// upstream stays in go.mod for them.
package libinjection
