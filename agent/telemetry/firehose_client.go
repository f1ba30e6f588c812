package telemetry

import (
	"context"
	"fmt"
	"os"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// PutRecordBatchInput is Firehose's PutRecordBatch request.
type PutRecordBatchInput struct {
	DeliveryStreamName string
	Records            []FirehoseRecord
}

// FirehoseRecord is one record of a batch; Data travels base64-encoded
// (encoding/json does it for a []byte).
type FirehoseRecord struct {
	Data []byte
}

// PutRecordBatchOutput is PutRecordBatch's answer: the batch is accepted
// record by record, and RequestResponses says, in the order of the request,
// which records failed.
type PutRecordBatchOutput struct {
	FailedPutCount   int
	Encrypted        bool
	RequestResponses []PutRecordBatchResponseEntry
}

// PutRecordBatchResponseEntry is one record's outcome: a RecordId, or an
// ErrorCode and ErrorMessage.
type PutRecordBatchResponseEntry struct {
	RecordID     string `json:"RecordId,omitempty"`
	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// FirehoseClient sends batches to Firehose (awsJson1_1) with the agent's
// own signed client, not the SDK's service client.
type FirehoseClient struct{ api *awsapi.Client }

// FirehoseClientOptions adjust NewFirehoseClient.
type FirehoseClientOptions struct {
	// Endpoint, when set, replaces the endpoint resolved from the
	// environment (a local server).
	Endpoint string
}

// NewFirehoseClient returns a Firehose client configured from the Lambda
// environment (region, execution-role credentials, endpoint from
// AWS_ENDPOINT_URL_FIREHOSE when set), with no retries of its own and each
// call cut after DefaultCallTimeout. It does no network I/O.
func NewFirehoseClient(_ context.Context, optFns ...func(*FirehoseClientOptions)) (*FirehoseClient, error) {
	cfg, err := awsapi.LoadConfig(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewFirehoseClientFromConfig(cfg, optFns...)
}

// NewFirehoseClientFromConfig is NewFirehoseClient with the region and
// credentials given (those the agent's other clients share).
func NewFirehoseClientFromConfig(cfg awsapi.Config, optFns ...func(*FirehoseClientOptions)) (*FirehoseClient, error) {
	var o FirehoseClientOptions
	for _, f := range optFns {
		f(&o)
	}
	api, err := awsapi.NewClient(cfg, awsapi.Firehose, DefaultCallTimeout, firehoseAttemptLimit)
	if err != nil {
		return nil, err
	}
	if o.Endpoint != "" {
		api.Endpoint = o.Endpoint
	}
	return &FirehoseClient{api: api}, nil
}

// PutRecordBatch implements FirehoseAPI.
func (c *FirehoseClient) PutRecordBatch(ctx context.Context, in *PutRecordBatchInput) (*PutRecordBatchOutput, error) {
	var out PutRecordBatchOutput
	if err := c.api.Call(ctx, "PutRecordBatch", in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
