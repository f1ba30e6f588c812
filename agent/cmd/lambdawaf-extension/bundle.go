package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/bundle"
	settings "github.com/lambdawaf/lambdawaf/agent/config"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
)

// bakedBundle is the bundle version recorded for the configuration baked
// into the layer or function: contract.BundleVersionBaked when the agent
// polls for signed bundles, "" (no bundle field) when it does not.
func bakedBundle(b *settings.Bundles) string {
	if b == nil {
		return ""
	}
	return contract.BundleVersionBaked
}

// startBundles keeps fw's policy current from the signed bundle store,
// when LAMBDAWAF_BUNDLE_SOURCE names one: a first check starts at once, in
// the background, while the baked configuration judges the first events
// (cold start does not wait for S3); later checks are a task of the
// agent's background runner, after invocations have been answered (or on
// its timer under Managed Instances), at most once per interval.
func startBundles(ctx context.Context, s *settings.Bundles, bad error, shared *awsapi.Config, fw *firewall.Firewall, count func(string), work *background.Runner, log zerolog.Logger) {
	if bad != nil {
		count(contract.MetricBundleRefused)
		log.Error().Err(bad).Msg("signed policy bundles are OFF: bad bundle settings; the baked configuration keeps running")
		return
	}
	if s == nil {
		return
	}
	log = log.With().Str("bundle_source", s.Location.String()).Logger()
	// The execution role's credentials as Lambda hands them over, those
	// the agent's other clients share; read from the environment, no
	// network I/O before the first check.
	var creds aws.CredentialsProvider
	var err error
	if shared != nil {
		creds, err = shared.Credentials, shared.CredentialsErr()
	} else {
		creds, err = awsapi.CredentialsFromEnv(os.Getenv, nil)
	}
	if err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF: no AWS credentials; the baked configuration keeps running")
		return
	}
	poller, err := bundle.NewPoller(bundle.PollerOptions{
		Fetcher: &bundle.S3Getter{
			Location: s.Location, Region: s.Region, Endpoint: s.Endpoint, Credentials: creds,
		},
		Keys:         s.Keys,
		AgentVersion: version,
		Interval:     s.Interval,
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
	if err := work.Add(background.Task{Name: "bundle-poll", Interval: s.Interval, Timeout: bundleCheckTimeout, Run: check}); err != nil {
		log.Error().Err(err).Msg("signed policy bundles are OFF")
		return
	}
	log.Info().Dur("interval", s.Interval).Strs("trusted_keys", s.Keys.IDs()).Msg("polling for signed policy bundles")
}

// bundleCheckTimeout bounds one check: a pointer, and at most two
// manifests and two bundles, from S3 in the function's region.
const bundleCheckTimeout = 10 * time.Second
