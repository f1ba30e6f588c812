package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
)

// minBundlePoll bounds LAMBDAWAF_BUNDLE_POLL from below: every check is a
// GET billed by S3 and made from every environment.
const minBundlePoll = time.Second

// bundleSettings is the signed-bundle part of the agent's configuration.
type bundleSettings struct {
	loc      bundle.Location
	keys     *bundle.Keyring
	interval time.Duration
	endpoint string
	region   string
}

// bakedBundle is the bundle version recorded for the configuration baked
// into the layer or function: contract.BundleVersionBaked when the agent
// polls for signed bundles, "" (no bundle field) when it does not.
func bakedBundle(getenv func(string) string) string {
	if strings.TrimSpace(getenv(contract.EnvBundleSource)) == "" {
		return ""
	}
	return contract.BundleVersionBaked
}

// readBundleSettings reads LAMBDAWAF_BUNDLE_*; ok is false when bundles
// are not configured. A configuration that names a source but cannot be
// used is an error: the caller logs it and runs the baked configuration.
func readBundleSettings(getenv func(string) string) (s bundleSettings, ok bool, err error) {
	src := strings.TrimSpace(getenv(contract.EnvBundleSource))
	if src == "" {
		return s, false, nil
	}
	if s.loc, err = bundle.ParseLocation(src); err != nil {
		return s, true, fmt.Errorf("%s: %w", contract.EnvBundleSource, err)
	}
	if s.keys, err = bundle.ParseKeys(getenv(contract.EnvBundleKeys)); err != nil {
		return s, true, fmt.Errorf("%s: %w", contract.EnvBundleKeys, err)
	}
	s.interval = contract.DefaultBundlePoll
	if v := strings.TrimSpace(getenv(contract.EnvBundlePoll)); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d < minBundlePoll {
			return s, true, fmt.Errorf("%s=%q: want a duration of at least %s", contract.EnvBundlePoll, v, minBundlePoll)
		}
		s.interval = d
	}
	s.endpoint = strings.TrimSpace(getenv(contract.EnvBundleEndpoint))
	s.region = getenv("AWS_REGION")
	return s, true, nil
}

// startBundles starts keeping fw's policy current from the signed bundle
// store, when LAMBDAWAF_BUNDLE_SOURCE names one. The baked configuration
// keeps running until the first bundle has been fetched and verified, in
// the background. It returns what stops the polling (never nil).
func startBundles(ctx context.Context, getenv func(string) string, fw *firewall.Firewall, count func(string), log zerolog.Logger) func() {
	s, on, err := readBundleSettings(getenv)
	if !on {
		return func() {}
	}
	log = log.With().Str("bundle_source", s.loc.String()).Logger()
	if err != nil {
		count(contract.MetricBundleRefused)
		log.Error().Err(err).Msg("signed policy bundles are OFF: bad bundle settings; the baked configuration keeps running")
		return func() {}
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF: no AWS credentials; the baked configuration keeps running")
		return func() {}
	}
	poller, err := bundle.NewPoller(bundle.PollerOptions{
		Fetcher: &bundle.S3Getter{
			Location: s.loc, Region: s.region, Endpoint: s.endpoint, Credentials: awsCfg.Credentials,
		},
		Keys:         s.keys,
		AgentVersion: version,
		Interval:     s.interval,
		Apply: func(r *bundle.Running) {
			var shadow *firewall.Bundle
			if r.Shadow != nil {
				shadow = &firewall.Bundle{Policy: r.Shadow.Policy, Version: r.Shadow.Version()}
			}
			fw.SwapBundles(firewall.Bundle{Policy: r.Active.Policy, Version: r.Active.Version()}, shadow)
		},
		Count:  count,
		Logger: log,
	})
	if err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF")
		return func() {}
	}
	log.Info().Dur("interval", s.interval).Strs("trusted_keys", s.keys.IDs()).Msg("polling for signed policy bundles")
	ctx, cancel := context.WithCancel(ctx)
	go poller.Run(ctx)
	return cancel
}
