package main

import "github.com/lambdawaf/lambdawaf/agent/awsapi"

// sharedAWS is the region and credentials every AWS client of the
// extension is made from: the agent key's Secrets Manager client,
// Firehose, the fleet table and the bundle store. One Config holds one
// cache of the credentials, so where they come from an endpoint
// (SnapStart, `lambdawaf serve`) it is asked once per expiry, not once per
// client. It is nil when the environment names no valid region (never in
// Lambda); each client then loads its own and reports why it cannot.
func sharedAWS(getenv func(string) string) *awsapi.Config {
	cfg, err := awsapi.LoadConfig(getenv)
	if err != nil {
		return nil
	}
	return &cfg
}
