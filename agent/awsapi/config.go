package awsapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Config is what every client of the agent shares: the region, the
// credentials and the environment the endpoints are read from. It replaces
// the SDK's config.LoadDefaultConfig, for the Lambda environment only (no
// shared config files, profiles, SSO or instance metadata).
type Config struct {
	Region      string
	Credentials aws.CredentialsProvider
	// Getenv reads endpoint overrides; nil means no overrides.
	Getenv func(string) string
}

// LoadConfig reads the region (AWS_REGION, else AWS_DEFAULT_REGION) and the
// credentials (CredentialsFromEnv) from getenv. It does no network I/O. A
// missing region is an error; missing or malformed credentials are the
// error of every call made with the Config.
//
// Every client made from one Config shares its credentials, and so one
// cache of them: where they come from an endpoint (SnapStart, `lambdawaf
// serve`), the endpoint is asked once per expiry, not once per client.
func LoadConfig(getenv func(string) string) (Config, error) {
	region := getenv(contract.EnvRegion)
	if region == "" {
		region = getenv(contract.EnvDefaultRegion)
	}
	if err := checkRegion(region); err != nil {
		return Config{}, err
	}
	creds, err := CredentialsFromEnv(getenv, nil)
	if err != nil {
		// As with the AWS SDKs, the client is made and every call fails
		// with why: callers then degrade as for any failed call (logged,
		// counted, tried again on their schedule).
		creds = failedCredentials{err}
	}
	return Config{Region: region, Credentials: creds, Getenv: getenv}, nil
}

// CredentialsErr reports why the environment gave no usable credentials
// (every call made with c fails with it), or nil.
func (c Config) CredentialsErr() error {
	if f, ok := c.Credentials.(failedCredentials); ok {
		return f.err
	}
	return nil
}

// failedCredentials stands in for credentials that could not be read.
type failedCredentials struct{ err error }

func (f failedCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, f.err
}

// NewClient returns a client of s with cfg's region, credentials and
// endpoint, each attempt cut after attemptTimeout (0: no limit but the
// caller's context) and at most maxAttempts attempts (at least one).
func NewClient(cfg Config, s Service, attemptTimeout time.Duration, maxAttempts int) (*Client, error) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	endpoint, err := Endpoint(getenv, s, cfg.Region)
	if err != nil {
		return nil, fmt.Errorf("%s endpoint: %w", s.Name, err)
	}
	return &Client{
		Service:     s,
		Endpoint:    endpoint,
		Region:      cfg.Region,
		Credentials: cfg.Credentials,
		HTTP:        &http.Client{Timeout: attemptTimeout},
		MaxAttempts: maxAttempts,
	}, nil
}
