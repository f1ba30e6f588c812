package awsapi

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestEndpointFollowsOverridesThenPartitions(t *testing.T) {
	for _, tt := range []struct {
		name    string
		service Service
		region  string
		env     map[string]string
		want    string // or the error's substring, with wantErr
		wantErr bool
	}{
		{"commercial region", DynamoDB, "eu-west-1", nil, "https://dynamodb.eu-west-1.amazonaws.com", false},
		{"firehose", Firehose, "us-east-2", nil, "https://firehose.us-east-2.amazonaws.com", false},
		{"secrets manager", SecretsManager, "ap-southeast-2", nil, "https://secretsmanager.ap-southeast-2.amazonaws.com", false},
		{"china", DynamoDB, "cn-north-1", nil, "https://dynamodb.cn-north-1.amazonaws.com.cn", false},
		{"china northwest", SecretsManager, "cn-northwest-1", nil, "https://secretsmanager.cn-northwest-1.amazonaws.com.cn", false},
		{"GovCloud", Firehose, "us-gov-west-1", nil, "https://firehose.us-gov-west-1.amazonaws.com", false},
		{"ISO", DynamoDB, "us-iso-east-1", nil, "https://dynamodb.us-iso-east-1.c2s.ic.gov", false},
		{"ISO-B", DynamoDB, "us-isob-east-1", nil, "https://dynamodb.us-isob-east-1.sc2s.sgov.gov", false},
		{"European Sovereign Cloud", DynamoDB, "eusc-de-east-1", nil, "https://dynamodb.eusc-de-east-1.amazonaws.eu", false},
		{"service variable", SecretsManager, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:4566/"}, "http://127.0.0.1:4566", false},
		{"service variable wins over the global one", DynamoDB, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}, "http://127.0.0.1:8000", false},
		{"global variable", Firehose, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, "http://127.0.0.1:4566", false},
		{"another service's variable is not ours", Firehose, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, "https://firehose.eu-west-1.amazonaws.com", false},
		{"variables ignored on request", DynamoDB, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "https://dynamodb.eu-west-1.amazonaws.com", false},
		{"override that is not a URL", DynamoDB, "eu-west-1",
			map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "localhost:8000"}, "AWS_ENDPOINT_URL_DYNAMODB", true},
		{"no region", DynamoDB, "", nil, "AWS_REGION", true},
		{"region that is not a name", DynamoDB, "eu-west-1.evil.example/", nil, "not a region name", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Endpoint(envOf(tt.env), tt.service, tt.region)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Endpoint = %q, %v; want an error about %q", got, err, tt.want)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Endpoint = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestLoadConfigReadsRegionAndCredentials(t *testing.T) {
	cfg, err := LoadConfig(envOf(map[string]string{
		"AWS_DEFAULT_REGION": "eu-central-1", "AWS_ACCESS_KEY_ID": "ASIA1", "AWS_SECRET_ACCESS_KEY": "s",
	}))
	if err != nil || cfg.Region != "eu-central-1" || cfg.CredentialsErr() != nil {
		t.Fatalf("LoadConfig = %+v, %v", cfg, err)
	}
	cfg, err = LoadConfig(envOf(map[string]string{
		"AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ACCESS_KEY_ID": "ASIA1", "AWS_SECRET_ACCESS_KEY": "s",
	}))
	if err != nil || cfg.Region != "eu-west-3" {
		t.Fatalf("AWS_REGION does not win: %+v, %v", cfg, err)
	}
	if _, err := LoadConfig(envOf(map[string]string{"AWS_ACCESS_KEY_ID": "ASIA1", "AWS_SECRET_ACCESS_KEY": "s"})); err == nil {
		t.Error("no region accepted")
	}
	// Without credentials the client is made, and each call says why it
	// cannot be signed.
	cfg, err = LoadConfig(envOf(map[string]string{"AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "ASIA1"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CredentialsErr(); err == nil || !strings.Contains(err.Error(), "must be set together") {
		t.Errorf("CredentialsErr = %v", err)
	}
	c, err := NewClient(cfg, DynamoDB, time.Second, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Call(context.Background(), "GetItem", struct{}{}, nil); err == nil || !strings.Contains(err.Error(), "must be set together") {
		t.Errorf("call without credentials: %v", err)
	}
}
