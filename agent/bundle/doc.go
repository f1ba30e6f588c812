// Package bundle distributes lambdawaf policies as signed bundles, so a rule
// change reaches every protected function in seconds without a deploy, every
// decision names the bundle that made it, and a candidate can run in shadow
// beside the active bundle before it is promoted.
//
// # What is stored
//
// Under one S3 prefix (contract.EnvBundleSource, s3://bucket/prefix):
//
//	bundles/<version>.json     the bundle: metadata and the policy document (immutable)
//	manifests/<version>.json   the signed manifest: the bundle's SHA-256 and metadata
//	pointer.json               the signed pointer: sequence, active and optional shadow bundle
//
// What is signed is small (a manifest, a pointer), so a KMS key, which signs
// raw messages of at most 4 KB, can sign as well as a local key. Signatures
// are Ed25519 over a domain-separated encoding of the payload and its type
// (see Envelope), so a manifest can never be passed off as a pointer. The
// agent only verifies, with the public keys of its configuration
// (contract.EnvBundleKeys); more than one key is trusted during a rotation.
//
// # Replays and rollbacks
//
// Every pointer carries a sequence number and the agent refuses any pointer
// whose number is not above the one it runs: whoever can write the bucket,
// but not sign, cannot bring back an old, weaker bundle by re-uploading an
// old pointer. A rollback is therefore not a lower number: it is a new
// signed pointer, numbered above the current one, that names the parent
// bundle and says it is a rollback (Pointer.Rollback). A rollback that could
// lower the number would be exactly what an attacker replays. Writers move
// the pointer with S3 conditional writes (If-Match on the ETag they read,
// If-None-Match: * for the first), so two pushes cannot interleave.
//
// # In the agent
//
// A Poller checks the pointer with a conditional GET (If-None-Match) at most
// once per interval (contract.DefaultBundlePoll, 30 s), never on the
// request path; it verifies the pointer, the manifests and the bundles,
// compiles the policies with the agent's own compiler and hands them over
// to be swapped in atomically for later events. Anything wrong (signature,
// sequence, digest, schema, compile error, a newer minAgentVersion) refuses
// the change: the running bundle stays, and an error line and the
// contract.MetricBundleRefused metric say so.
//
// # How stale an environment can be
//
// Lambda freezes an execution environment between invocations, and a frozen
// environment runs nothing, so it cannot poll. An environment that was
// active when a bundle was pushed runs it for every invocation that starts
// at least one poll interval plus one fetch (tens of milliseconds in a
// region) after the push. An environment that was frozen at the time runs
// its old bundle until it is thawed by an invocation and its overdue poll
// completes: the first invocations after a long idle period (up to the
// environment's lifetime, hours at most) are judged by the bundle it had
// when it froze, and their records say which one. Lambda Managed
// Instances are not frozen and poll on their timer.
package bundle
