// Package awsstandin is a stand-in for the AWS provider plugin
// (pulumi-resource-aws), which the Go module proxy does not serve, so that
// `make pulumi-preview` can run the example stacks through the real Pulumi
// engine with no AWS account and no network.
//
// It accepts every aws:* resource type: Check returns the inputs, Create
// returns them as outputs with the identifiers AWS would compute (ARNs,
// names, URLs, from lambdawaftest.Outputs, the same answers the mock cloud
// gives), Diff compares old and new inputs, Read returns the state it is
// given. Every operation the engine asks for is written, with its
// resource's type, name and inputs (secrets redacted), to a JSON Lines file
// that tests read back with ReadRecords and assert on.
package awsstandin
