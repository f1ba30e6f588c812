package awsapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Header names of the JSON protocol.
const (
	headerTarget    = "X-Amz-Target"
	headerRequestID = "X-Amzn-Requestid"
	headerErrorType = "X-Amzn-Errortype"
)

// Limits of one call.
const (
	// MaxResponseBytes bounds a successful answer: a DynamoDB item is at
	// most 400 KB, a secret 64 KB.
	MaxResponseBytes = 4 << 20
	// DefaultMaxBackoff bounds the wait before a retry.
	DefaultMaxBackoff = 500 * time.Millisecond
	// baseBackoff is the first retry's largest wait; it doubles per retry.
	baseBackoff = 25 * time.Millisecond
)

// Client calls one service in AWS's JSON protocol. Its fields are set
// before the first call and not changed after; it is then safe for
// concurrent use.
type Client struct {
	Service     Service
	Endpoint    string // base URL, no trailing slash
	Region      string
	Credentials aws.CredentialsProvider
	// HTTP sends the requests; its Timeout bounds one attempt. Nil means
	// http.DefaultClient.
	HTTP *http.Client
	// MaxAttempts bounds the attempts of one call (default 1): throttling,
	// 5xx answers and transport errors are retried with jittered
	// exponential backoff up to MaxBackoff (default DefaultMaxBackoff),
	// within the caller's context.
	MaxAttempts int
	MaxBackoff  time.Duration
	// Now, when set, is the signing clock (tests).
	Now func() time.Time
}

// Call sends operation with in (marshalled with encoding/json) and decodes
// the answer into out (ignored when nil). An AWS error document comes back
// as an *APIError, wrapped in the typed errors of this package where its
// code is one of theirs (ThrottlingError, ConditionalCheckFailedError,
// ResourceNotFoundError, AccessDeniedError).
func (c *Client) Call(ctx context.Context, operation string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s %s: marshal: %w", c.Service.Name, operation, err)
	}
	attempts := max(c.MaxAttempts, 1)
	for attempt := 1; ; attempt++ {
		err = c.attempt(ctx, operation, body, out)
		if err == nil || attempt >= attempts || !retryable(ctx, err) {
			return err
		}
		if werr := c.backoff(ctx, attempt); werr != nil {
			return err // the caller's deadline ends the retries; report why the last attempt failed
		}
	}
}

func (c *Client) attempt(ctx context.Context, operation string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.Service.Name, operation, err)
	}
	req.Header.Set("Content-Type", c.Service.ContentType())
	req.Header.Set(headerTarget, c.Service.TargetPrefix+"."+operation)
	if c.Credentials == nil {
		return fmt.Errorf("%s %s: %w", c.Service.Name, operation, ErrNoCredentials)
	}
	creds, err := c.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: credentials: %w", c.Service.Name, operation, err)
	}
	sum := sha256.Sum256(body)
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.Service.Name, c.Region, now()); err != nil {
		return fmt.Errorf("%s %s: sign: %w", c.Service.Name, operation, err)
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return &TransportError{Service: c.Service.Name, Operation: operation, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		doc, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return classify(newAPIError(c.Service.Name, operation, resp, doc))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return &TransportError{Service: c.Service.Name, Operation: operation, Err: fmt.Errorf("read answer: %w", err)}
	}
	if len(data) > MaxResponseBytes {
		return fmt.Errorf("%s %s: answer larger than %d bytes", c.Service.Name, operation, MaxResponseBytes)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", c.Service.Name, operation, err)
	}
	return nil
}

// retryable reports whether another attempt may succeed: throttling, a
// server error, or a transport failure that is not the caller's own
// cancellation.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var te *TransportError
	if errors.As(err, &te) {
		return true
	}
	var api *APIError
	if errors.As(err, &api) {
		return api.StatusCode >= 500 || api.throttling()
	}
	return false
}

// backoff waits a random time up to min(MaxBackoff, base·2^(attempt-1)).
func (c *Client) backoff(ctx context.Context, attempt int) error {
	limit := c.MaxBackoff
	if limit <= 0 {
		limit = DefaultMaxBackoff
	}
	d := min(limit, baseBackoff<<min(attempt-1, 16))
	t := time.NewTimer(rand.N(d) + time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
