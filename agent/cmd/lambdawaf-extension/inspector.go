package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// version is the agent version written into every decision record; the
// release build sets it with -ldflags "-X main.version=...".
var version = "dev"

// newInspector builds the Inspector the extension runs in block and log
// modes — the firewall (configuration, detection, policy) reporting every
// decision to telemetry, with outbound response inspection when
// LAMBDAWAF_OUTBOUND asks for it — and what must run at SHUTDOWN
// (flushing decision records, metrics and the Firehose queue), and what
// must run once each response is out (writing the decision records, which
// are held back so that encoding and writing them never delays an event).
//
// It runs after the extension's first event/next, concurrently with init,
// so it may load configuration; the agent key is fetched in the background
// by telemetry and never waited for here. Invocations wait for the
// inspector (see deferredInspector).
//
// A broken configuration is not an error here: the firewall then runs the
// built-in defaults (and says so loudly), so the function stays protected.
// Only an inspector that cannot be built at all is an error, and then
// every invocation follows the failure policy.
//
// work is where the inspector's parts register their background tasks
// (fleet-state sync, bundle polling); see package background.
func newInspector(ctx context.Context, cfg config, stdout io.Writer, log zerolog.Logger, work *background.Runner) (in proxy.Inspector, shutdown func(context.Context) error, afterResponse func(), err error) {
	aws := sharedAWS(cfg.getenv)
	tel := telemetry.Start(ctx, telemetry.Options{
		AWS:            aws,
		Stdout:         stdout,
		Records:        cfg.Records,
		SecretARN:      cfg.AgentKeySecretARN,
		FirehoseStream: cfg.FirehoseStream,
		AgentVersion:   version,
		Logger:         log,
		DeferRecords:   true,
	})
	opts := firewall.Options{
		Logger:            &log,
		Observer:          tel.Recorder,
		StreamingTriggers: cfg.Streaming,
	}
	shared := &sharedStates{ctx: ctx, settings: cfg.Settings, aws: aws, key: tel.Key, work: work, log: log, count: tel.Metrics.Count}
	opts.SharedState = shared.forPolicy
	// LAMBDAWAF_MODE, when set, wins over the configuration document's
	// mode; unset, the document decides.
	if cfg.ModeSet {
		opts.Mode = cfg.Mode
	}
	if err := cfg.OutboundErr; err != nil {
		// Outbound inspection rewrites responses only when asked to; a
		// misspelt setting leaves responses untouched rather than
		// guessing, and says so.
		log.Error().Err(err).Msg("outbound inspection is off: invalid setting")
	} else if cfg.OutboundOn {
		opts.ResponseFilters = outbound.New(cfg.Outbound, tel.Recorder, log)
	}
	opts.Bundle = bakedBundle(cfg.Bundles)
	fw, err := firewall.Open(cfg.ConfigPath, opts)
	if fw == nil {
		return nil, nil, nil, errors.Join(fmt.Errorf("build firewall: %w", err), tel.Shutdown(ctx))
	}
	startBundles(ctx, cfg.Bundles, cfg.BundlesErr, aws, fw, tel.Metrics.Count, work, log)
	stop := func(ctx context.Context) error {
		return errors.Join(fw.WaitShadows(ctx), tel.Shutdown(ctx))
	}
	return withTestHooks(fw, cfg.getenv, log), stop, tel.WriteDue, nil
}
