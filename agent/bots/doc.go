// Package bots tells what kind of client sent an HTTP request from what the
// front door delivers: its headers (names lower-cased, order lost, as API
// Gateway, ALB and Function URLs hand them over), CloudFront's TLS
// fingerprint headers where the distribution adds them, and the source
// address.
//
// A client is judged by consistency, not by a list alone: a User-Agent is a
// claim, and real browsers back their claim with the headers their engine
// always sends (fetch metadata, client hints on Chromium, Accept-Language,
// compressed encodings). An automation library that borrows a browser's
// User-Agent rarely borrows the rest, and a client that claims to be a
// search engine's crawler is one only when it comes from that crawler's
// published address ranges, which travel with the policy: nothing here
// resolves names or reaches the network.
//
// The classes:
//
//	ClassBrowser            a browser whose headers agree with its claim
//	ClassAutomation         an HTTP library or command-line client by its own name
//	                        (curl, python-requests, Go-http-client, okhttp, ...);
//	                        often legitimate (mobile apps, partners, scripts)
//	ClassHeadless           a headless or instrumented browser (HeadlessChrome, PhantomJS)
//	ClassImpersonator       a client claiming a browser its headers contradict
//	ClassVerifiedCrawler    a declared crawler from its published ranges
//	ClassUnverifiedCrawler  a declared crawler from anywhere else
//	ClassUnknown            none of the above (no User-Agent, or an unknown one)
//
// What to do with each class is the policy's business (allow, log, rate
// limit, block); Classify only says what it sees and why.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package bots
