// Package fleet shares threat state across the execution environments of a
// protection group — the functions configured together — through one
// DynamoDB table: fleet-wide ("scope: global") rate limits and flagged
// sources.
//
// Every environment is its own process, frozen between invocations, so no
// environment can ask the others anything on the request path. Decisions
// (State.Allow, State.Flagged) read memory only; State.Sync, run as a
// background task (package background) after responses are posted, trades
// counts with the table. Nothing ever waits on DynamoDB before an invocation
// is judged.
//
// # Global rate limits: counted leases
//
// A limit of L requests per window W is one counter item per key and window
// (windows are aligned to the Unix epoch, so every environment agrees on
// them). At each sync an environment adds to the counter, with one atomic
// UpdateItem ADD, the requests it admitted on credit since its last sync
// (its debt) plus a lease of tokens it expects to need before the next sync
// (its want), and reads the new total T back. The part of its lease below L
// — min(want, L − (T − want)), at least 0 — is granted: the environment
// admits that many requests with no further question. Leases are disjoint
// slices of the counter, so granted tokens never add up to more than L.
//
// Between syncs an environment with no tokens left admits on credit as long
// as the last total it read was below L (or it has not read one yet in this
// window): Options.Credit requests per sync interval (c, default 1), or,
// while the total it read is below L/2 and the key's previous window stayed
// below L/2 too (a cold key), up to Options.ColdShare (k, default 0.002) of
// the headroom to L/2, so that a burst on a key far from its limit is not
// held to c until the next lease. Credit is reported at the next sync; a
// known exhausted window admits nothing more.
//
// # Error bound
//
// With N environments active on one key:
//
//   - Over-admission: at most N·max(c, k·L/2) requests per window above L;
//     N·c under sustained load (the key's previous window reached L/2).
//     Only credit can land above L (leases are disjoint slices below it),
//     and an environment learns that the window is exhausted from the sync
//     that reports its credit, taking no further credit while that sync is
//     in flight, so each environment overshoots by at most one interval's
//     credit. The bound does not depend on the sync interval S or the
//     request rate; S sets how soon the fleet stops (within one interval
//     of crossing L). With the defaults, 50 environments admit at most
//     L + 50·max(1, L/1000): 1,050 for a limit of 1,000.
//   - Under-admission: leased tokens an environment does not use before
//     the window ends are lost, at most N·want; want is the environment's
//     own demand over 1.5·S, so under steady load the loss is a fraction of
//     one interval's traffic, and none when the window is exhausted before
//     its last interval (any load well above the limit). A burst on a key
//     an environment has not synced in this window yet gets c requests
//     before its first lease (at most one sync interval later).
//   - Degraded (table unreachable, throttled or slower than the timeout):
//     each environment falls back to its local share s of L per window
//     (Options.LocalShare), so the fleet admits at most N·s·L. When the
//     table answers again the credit taken meanwhile is added, so the
//     counters catch up; admissions already made cannot be undone. The
//     degradation is logged once per Options.LogEvery (one line, and one
//     when it ends). A sync frozen in mid-call with the environment
//     (its timers fire on thaw) is not an outage and is not counted.
//
// # Flagged sources
//
// Thresholds ("N blocked requests in W across the group flag the source for
// D") count blocked requests per source the same way, with ADD deltas on a
// per-source, per-window counter; the environment whose sync reads back a
// total of N or more writes the flag into the group's flag item, and every
// environment reads that item at each sync, so a flag reaches every active
// environment within one sync interval. Sources are stored only as
// pseudonyms (HMAC-SHA256 with the shared agent key, as telemetry makes
// them), never as addresses or identities; without the shared key
// pseudonyms would differ between environments, so until it has loaded an
// environment counts locally, syncs nothing and never flags.
//
// # Abuse counters
//
// The policy's login detectors and response counters (policy.AbuseCounters)
// are thresholds over other events — failed logins, error responses — whose
// crossing holds a key rather than flags a blocked source: counted and
// spread the same way (counters.go), with pseudonym prefixes of their own
// (a counter with the source prefix sets the source flag). A sync reports
// at most maxReports of them, the closest to their thresholds first, so a
// list of thousands of user names does not lengthen every sync. A global
// limit may take a burst: one window admits up to Burst after a quiet one,
// two windows together at most twice the limit (capOf).
//
// An error ratio's errors are a counter that is a share of another (its
// route's requests, Threshold.Ratio): it holds a key once its total reaches
// its threshold and the share, judged when a sync's totals are all in; the
// counters it divides by are reported apart (mostWanted) so that the whole
// is never one the other environments have not reported.
//
// Known-good login pairs (knowngood.go) stay in the memory of the
// environment that saw them until a key that could hold one is held; it
// then publishes the pair's pseudonym as a good_ flag, read by every
// environment at its next sync.
//
// At most maxCounters keys are tracked; at the cap the least recently used
// counters that owe the table nothing are evicted, which Options.OnEvict
// counts.
//
// # Items
//
// Every item's partition key (attribute "pk") starts with the group's
// prefix ("<group>#"), which IAM's dynamodb:LeadingKeys condition pins, and
// every item carries "expiresAt" (Unix seconds). DynamoDB's TTL deletes
// expired items lazily, often much later, and dynalite not at all, so
// readers treat an expired item as absent; TTL is only clean-up.
package fleet
