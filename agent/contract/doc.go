// Package contract is what the lambdawaf agent and its deployers agree on:
// the modes, the environment variables the agent reads, where the layer puts
// its files, the names of the decision record's fields and of the metrics.
//
// It is a leaf: it imports only the standard library, so the Pulumi
// component, the infra stack and user programs can use it without compiling
// any part of the firewall. Anything both sides must spell the same way is
// defined here once and referenced everywhere else; a test in the repository
// fails when the provider or infra import graph reaches past it.
package contract
