package fleet

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// The DynamoDB operations the table uses, in DynamoDB's JSON wire format
// (awsJson1_0), with attribute values of the two kinds its items hold.

// AttributeValue is a DynamoDB attribute value as it travels: {"S": "…"} or
// {"N": "…"}. An attribute of another kind (BOOL, M, L, …) reads as
// neither, which the table treats as malformed.
type AttributeValue struct {
	S *string `json:"S,omitempty"`
	N *string `json:"N,omitempty"`
}

// ReturnValuesUpdatedNew asks UpdateItem for the updated attributes' new
// values.
const ReturnValuesUpdatedNew = "UPDATED_NEW"

// GetItemInput is DynamoDB's GetItem request.
type GetItemInput struct {
	TableName      string
	Key            map[string]AttributeValue
	ConsistentRead bool `json:",omitempty"`
}

// GetItemOutput is GetItem's answer: no Item when the item is absent.
type GetItemOutput struct {
	Item map[string]AttributeValue
}

// UpdateItemInput is DynamoDB's UpdateItem request.
type UpdateItemInput struct {
	TableName                 string
	Key                       map[string]AttributeValue
	UpdateExpression          string
	ExpressionAttributeNames  map[string]string         `json:",omitempty"`
	ExpressionAttributeValues map[string]AttributeValue `json:",omitempty"`
	ReturnValues              string                    `json:",omitempty"`
}

// UpdateItemOutput is UpdateItem's answer: Attributes per ReturnValues.
type UpdateItemOutput struct {
	Attributes map[string]AttributeValue
}

// Client calls DynamoDB with the agent's own signed client, not the SDK's
// service client (whose endpoint rules and schemas the extension would
// load at every cold start).
type Client struct{ api *awsapi.Client }

// NewClient returns a DynamoDB client configured from the Lambda
// environment (in Lambda: the execution role). endpoint, when set,
// replaces DynamoDB's (a local server); otherwise AWS_ENDPOINT_URL_DYNAMODB
// is honoured as the SDKs do. Attempts are cut after attemptTimeout and
// retried at most once: a slow table must degrade the agent, not hold its
// background window. It does no network I/O.
func NewClient(_ context.Context, endpoint string, attemptTimeout time.Duration) (*Client, error) {
	cfg, err := awsapi.LoadConfig(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return NewClientFromConfig(cfg, endpoint, attemptTimeout)
}

// NewClientFromConfig is NewClient with the region and credentials given.
func NewClientFromConfig(cfg awsapi.Config, endpoint string, attemptTimeout time.Duration) (*Client, error) {
	api, err := awsapi.NewClient(cfg, awsapi.DynamoDB, attemptTimeout, 2)
	if err != nil {
		return nil, err
	}
	api.MaxBackoff = 100 * time.Millisecond
	if endpoint != "" {
		api.Endpoint = endpoint
	}
	return &Client{api: api}, nil
}

// GetItem implements API.
func (c *Client) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	var out GetItemOutput
	if err := c.api.Call(ctx, "GetItem", in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateItem implements API.
func (c *Client) UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	var out UpdateItemOutput
	if err := c.api.Call(ctx, "UpdateItem", in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func str(s string) AttributeValue { return AttributeValue{S: &s} }

func number(n int64) AttributeValue {
	v := strconv.FormatInt(n, 10)
	return AttributeValue{N: &v}
}
