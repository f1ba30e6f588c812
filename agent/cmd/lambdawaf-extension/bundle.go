package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/background"
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

// startBundles keeps fw's policy current from the signed bundle store,
// when LAMBDAWAF_BUNDLE_SOURCE names one: a first check starts at once, in
// the background, while the baked configuration judges the first events
// (cold start does not wait for S3); later checks are a task of the
// agent's background runner, after invocations have been answered (or on
// its timer under Managed Instances), at most once per interval.
func startBundles(ctx context.Context, getenv func(string) string, fw *firewall.Firewall, count func(string), work *background.Runner, log zerolog.Logger) {
	s, on, err := readBundleSettings(getenv)
	if !on {
		return
	}
	log = log.With().Str("bundle_source", s.loc.String()).Logger()
	if err != nil {
		count(contract.MetricBundleRefused)
		log.Error().Err(err).Msg("signed policy bundles are OFF: bad bundle settings; the baked configuration keeps running")
		return
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF: no AWS configuration; the baked configuration keeps running")
		return
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
		return
	}
	check := func(ctx context.Context) error {
		err := poller.Check(ctx)
		if bundle.Refused(err) || errors.Is(err, bundle.ErrNotDue) {
			return nil // logged and counted by the check; nothing to retry
		}
		return err
	}
	go func() {
		cctx, cancel := context.WithTimeout(ctx, bundleCheckTimeout)
		defer cancel()
		if err := check(cctx); err != nil {
			log.Warn().Err(err).Msg("cannot read the bundle store at start; the baked configuration keeps running")
		}
	}()
	if err := work.Add(background.Task{Name: "bundle-poll", Interval: s.interval, Timeout: bundleCheckTimeout, Run: check}); err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF")
		return
	}
	log.Info().Dur("interval", s.interval).Strs("trusted_keys", s.keys.IDs()).Msg("polling for signed policy bundles")
}

// bundleCheckTimeout bounds one check: a pointer, and at most two
// manifests and two bundles, from S3 in the function's region.
const bundleCheckTimeout = 10 * time.Second
