package config

import (
	"fmt"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Bundles say where the agent polls for signed policy bundles.
type Bundles struct {
	// Location is LAMBDAWAF_BUNDLE_SOURCE.
	Location bundle.Location
	// Keys are the trusted public keys (LAMBDAWAF_BUNDLE_KEYS).
	Keys *bundle.Keyring
	// Interval is the least time between two checks (LAMBDAWAF_BUNDLE_POLL,
	// else contract.DefaultBundlePoll).
	Interval time.Duration
	// Endpoint is LAMBDAWAF_BUNDLE_ENDPOINT: a local S3-compatible server.
	Endpoint string
	// Region is the bucket's region: the function's (AWS_REGION).
	Region string
}

// minBundlePoll bounds LAMBDAWAF_BUNDLE_POLL from below: every check is a
// GET billed by S3 and made from every environment.
const minBundlePoll = time.Second

// parseBundles reads LAMBDAWAF_BUNDLE_*: nil, nil when no source is set;
// an error when a source is set but the settings cannot be used.
func parseBundles(env func(string) string) (*Bundles, error) {
	src := env(contract.EnvBundleSource)
	if src == "" {
		return nil, nil
	}
	loc, err := bundle.ParseLocation(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", contract.EnvBundleSource, err)
	}
	keys, err := bundle.ParseKeys(env(contract.EnvBundleKeys))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", contract.EnvBundleKeys, err)
	}
	b := &Bundles{Location: loc, Keys: keys, Interval: contract.DefaultBundlePoll,
		Endpoint: env(contract.EnvBundleEndpoint), Region: env(contract.EnvRegion)}
	if v := env(contract.EnvBundlePoll); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < minBundlePoll {
			return nil, fmt.Errorf("%s=%q: want a duration of at least %s", contract.EnvBundlePoll, v, minBundlePoll)
		}
		b.Interval = d
	}
	return b, nil
}
