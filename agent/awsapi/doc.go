// Package awsapi is the agent's own AWS client: the execution role's
// credentials and the function's region as Lambda hands them over, the
// endpoints of the services the agent calls, and one signed call in AWS's
// JSON protocol (awsJson1_0 / awsJson1_1: POST /, X-Amz-Target) with error
// documents turned into typed errors.
//
// The extension is loaded at every cold start of every protected function.
// The AWS SDK's configuration loader and service clients bring STS, SSO,
// IMDS, shared-config parsing, endpoint rule sets and per-service schemas,
// most of which initialise before main; the agent needs three operations
// (Secrets Manager GetSecretValue, Firehose PutRecordBatch, DynamoDB
// GetItem/UpdateItem) and one credential source. Signing stays the SDK
// core module's SigV4 signer (aws/signer/v4), so the one part where a
// hand-written copy could be subtly wrong is not hand-written.
//
// The operations themselves live with their callers (agentkey, telemetry,
// fleet), as the S3 GET lives in bundle: each marshals its own shapes.
//
// Not a stable API: this package is lambdawaf's own code.
package awsapi
