package telemetry

import (
	"context"
	"errors"
	"io"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// Options configure Start.
type Options struct {
	// Stdout receives records and metrics (the agent's stdout).
	Stdout io.Writer
	// Records configures the decision records (see package config, which
	// reads it from the environment).
	Records Config
	// SecretARN names the Secrets Manager secret with the agent key; ""
	// means a random key per environment.
	SecretARN string
	// FirehoseStream names the stream records are shipped to; "" means
	// stdout only.
	FirehoseStream string
	// AgentVersion is written into every record.
	AgentVersion string
	// Logger receives the telemetry's own problems (key unavailable,
	// records dropped), never record content.
	Logger zerolog.Logger
	// SecretsManager and Firehose override the AWS clients (tests); nil
	// means clients built from the Lambda environment.
	SecretsManager agentkey.GetSecretValueAPI
	Firehose       FirehoseAPI
	// AWS, when set, is the region and credentials the clients built here
	// share with the agent's other AWS clients (one credentials cache);
	// nil means each loads them from the environment.
	AWS *awsapi.Config
	// DeferRecords takes the writing of allowed events' records off the
	// invocation's path (see Config.Deferred): the agent calls WriteDue
	// once each response is out.
	DeferRecords bool
}

// Telemetry is the agent's telemetry, assembled from the environment.
type Telemetry struct {
	Key      *agentkey.Key
	Recorder *Recorder
	Metrics  *Metrics
	// Shipper is nil unless LAMBDAWAF_FIREHOSE_STREAM is set.
	Shipper *Shipper
	cancel  context.CancelFunc
}

// Start assembles the telemetry from its options. It returns at once: the agent key and
// the AWS clients are obtained in the background, so calling Start costs
// cold start nothing measurable.
func Start(ctx context.Context, opts Options) *Telemetry {
	ctx, cancel := context.WithCancel(ctx)
	cfg := opts.Records
	cfg.AgentVersion = opts.AgentVersion
	cfg.Deferred = opts.DeferRecords
	t := &Telemetry{cancel: cancel}
	if opts.AWS != nil {
		// A client that cannot be made here is left to the code below,
		// which makes it from the environment and reports why it fails.
		if opts.SecretsManager == nil && opts.SecretARN != "" {
			if c, err := agentkey.NewClientFromConfig(*opts.AWS); err == nil {
				opts.SecretsManager = c
			}
		}
		if opts.Firehose == nil && opts.FirehoseStream != "" {
			if c, err := NewFirehoseClientFromConfig(*opts.AWS); err == nil {
				opts.Firehose = c
			}
		}
	}
	t.Key = agentkey.Load(ctx, agentkey.Options{
		SecretARN: opts.SecretARN,
		Client:    opts.SecretsManager,
		Logger:    opts.Logger,
	})
	t.Metrics = NewMetrics(opts.Stdout, cfg.FunctionName, 0)
	cfg.Metrics = t.Metrics
	if stream := opts.FirehoseStream; stream != "" {
		t.Shipper = NewShipper(ShipperOptions{
			Stream:  stream,
			Client:  opts.Firehose,
			Metrics: t.Metrics,
			Logger:  opts.Logger,
		})
		cfg.Sink = t.Shipper
		go t.Shipper.Run(ctx)
	}
	t.Recorder = NewRecorder(opts.Stdout, t.Key, cfg)
	return t
}

// WriteDue writes the decision records held back by DeferRecords if a
// batch of them is due (Recorder.WriteDue).
func (t *Telemetry) WriteDue() { t.Recorder.WriteDue() }

// Shutdown writes what is pending (records waiting for the key, metrics)
// and ships what is queued to Firehose, within ctx's deadline; the agent
// calls it on SHUTDOWN.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	err := t.Recorder.Close(ctx)
	if t.Shipper != nil {
		err = errors.Join(err, t.Shipper.Flush(ctx))
	}
	t.cancel()
	return err
}
