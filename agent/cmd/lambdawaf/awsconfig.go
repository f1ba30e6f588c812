package main

import (
	"context"
	"fmt"
	"os"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// awsConfig is the CLI's region and credentials from the SDK's full chain
// (profiles, SSO, shared files: an operator's laptop, not a Lambda
// environment), handed to the agent's own clients, which read only what
// Lambda provides.
func awsConfig(ctx context.Context) (awsapi.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return awsapi.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return awsapi.Config{}, fmt.Errorf("no AWS region: set AWS_REGION or a profile's region")
	}
	return awsapi.Config{Region: cfg.Region, Credentials: cfg.Credentials, Getenv: os.Getenv}, nil
}
