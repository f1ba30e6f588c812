package agentkey

import (
	"context"
	"fmt"
	"os"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// GetSecretValueInput is the request of Secrets Manager's GetSecretValue,
// as much of it as the loader sends.
type GetSecretValueInput struct {
	// SecretID is the secret's ARN or name.
	SecretID string `json:"SecretId"`
}

// GetSecretValueOutput is the part of GetSecretValue's answer the loader
// reads: one of the two is set.
type GetSecretValueOutput struct {
	SecretString *string `json:"SecretString,omitempty"`
	// SecretBinary arrives base64-encoded; encoding/json decodes it.
	SecretBinary []byte `json:"SecretBinary,omitempty"`
}

// Client reads secrets from Secrets Manager (awsJson1_1) with the agent's
// own signed client, not the SDK's service client.
type Client struct{ api *awsapi.Client }

// ClientOptions adjust NewClient.
type ClientOptions struct {
	// Endpoint, when set, replaces the endpoint resolved from the
	// environment (a local server).
	Endpoint string
}

// NewClient returns a Secrets Manager client configured from the Lambda
// environment (region from AWS_REGION, credentials from the execution role,
// endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER when set), with bounded
// retries: each attempt is cut after DefaultAttemptTimeout and throttling
// is retried with jittered backoff, but the caller's context bounds the
// total. It does no network I/O.
func NewClient(_ context.Context, optFns ...func(*ClientOptions)) (*Client, error) {
	cfg, err := awsapi.LoadConfig(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewClientFromConfig(cfg, optFns...)
}

// NewClientFromConfig is NewClient with the region and credentials given
// (the CLI's, from the SDK's full credential chain).
func NewClientFromConfig(cfg awsapi.Config, optFns ...func(*ClientOptions)) (*Client, error) {
	var o ClientOptions
	for _, f := range optFns {
		f(&o)
	}
	api, err := awsapi.NewClient(cfg, awsapi.SecretsManager, DefaultAttemptTimeout, DefaultMaxAttempts)
	if err != nil {
		return nil, err
	}
	if o.Endpoint != "" {
		api.Endpoint = o.Endpoint
	}
	return &Client{api: api}, nil
}

// GetSecretValue implements GetSecretValueAPI.
func (c *Client) GetSecretValue(ctx context.Context, in *GetSecretValueInput) (*GetSecretValueOutput, error) {
	var out GetSecretValueOutput
	if err := c.api.Call(ctx, "GetSecretValue", in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
