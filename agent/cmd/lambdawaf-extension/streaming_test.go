package main

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func TestResponseStreamingSetting(t *testing.T) {
	tests := []struct {
		value    string
		want     []event.Trigger
		problems int
	}{
		{"", nil, 0},
		{"false", nil, 0},
		{"0", nil, 0},
		{"true", []event.Trigger{event.FunctionURL}, 0},
		{" TRUE ", []event.Trigger{event.FunctionURL}, 0},
		{"1", []event.Trigger{event.FunctionURL}, 0},
		{"function-url", []event.Trigger{event.FunctionURL}, 0},
		{"Function-URL, apigateway-rest,function-url", []event.Trigger{event.FunctionURL, event.APIGatewayREST}, 0},
		{"yes", nil, 1},
		{"function-url,apigateway-http", nil, 1},
		{"alb", nil, 1},
		{",", nil, 1},
	}
	for _, tt := range tests {
		c := loadConfig(envOf(map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001", "LAMBDAWAF_RESPONSE_STREAMING": tt.value}))
		if !slices.Equal(c.Streaming, tt.want) || len(c.Problems) != tt.problems {
			t.Errorf("LAMBDAWAF_RESPONSE_STREAMING=%q: streaming %v problems %q", tt.value, c.Streaming, c.Problems)
		}
	}
}
