package telemetry

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

const slowKeyBytes = "slow-key-0123456789abcdef0123456789abcdef"

// blockingClient answers GetSecretValue when release is closed.
type blockingClient struct {
	release <-chan struct{}
	fail    bool
}

func (c blockingClient) GetSecretValue(ctx context.Context, _ *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	select {
	case <-c.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c.fail {
		return nil, errors.New("AccessDeniedException")
	}
	s := slowKeyBytes
	return &secretsmanager.GetSecretValueOutput{SecretString: &s}, nil
}
