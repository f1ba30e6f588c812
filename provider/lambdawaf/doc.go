// Package lambdawaf deploys the lambdawaf agent next to AWS Lambda functions
// with Pulumi.
//
// The agent is a Lambda external extension shipped as a layer. Protecting a
// function means four things, and this package does all of them in one place
// so that new functions ([NewProtectedFunction]) and functions that already
// exist in a stack ([Protect], [RegisterProtectTransform]) are wired the same
// way:
//
//   - the agent layer that matches the function's architecture (an x86_64
//     extension on an arm64 function dies with "exec format error", and a
//     layer's compatible architectures are only metadata, so the choice is made
//     here rather than left to Lambda);
//   - the LAMBDAWAF_* environment variables, inside Lambda's 4 KB budget and
//     without touching the variables Lambda reserves;
//   - the runtime wiring that routes the runtime's Runtime API traffic through
//     the agent ([Wiring]);
//   - least-privilege IAM for the agent key in Secrets Manager, its KMS key
//     when it is customer managed, and the optional Firehose stream
//     ([AgentPolicyDocument]).
//
// The shared pieces — layer versions, the agent key secret, the optional KMS
// key, the optional Firehose stream and the configuration layer — belong to
// the [Agent] component, created once per stack and shared by every protected
// function.
//
// This package depends on the Pulumi Go SDK and pulumi-aws only. The
// multi-language provider that serves the same components to TypeScript,
// Python and YAML programs lives in a separate package so that Go programs do
// not pull in pulumi-go-provider.
package lambdawaf
