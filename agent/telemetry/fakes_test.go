package telemetry

import (
	"context"
	"errors"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
)

const slowKeyBytes = "slow-key-0123456789abcdef0123456789abcdef"

// blockingClient answers GetSecretValue when release is closed.
type blockingClient struct {
	release <-chan struct{}
	fail    bool
}

func (c blockingClient) GetSecretValue(ctx context.Context, _ *agentkey.GetSecretValueInput) (*agentkey.GetSecretValueOutput, error) {
	select {
	case <-c.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c.fail {
		return nil, errors.New("AccessDeniedException")
	}
	s := slowKeyBytes
	return &agentkey.GetSecretValueOutput{SecretString: &s}, nil
}
