// Command echo is a test handler that returns the event and everything the
// invocation showed it: the lambdacontext values, the trace id, the function
// environment and the Runtime API address it was pointed at. When
// HANDLER_SEEN_DIR is set it also writes every event it receives to
// <dir>/<request id>.json, so tests can prove which events reached it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

// Seen is the echo handler's response.
type Seen struct {
	Event              json.RawMessage               `json:"event"`
	RequestID          string                        `json:"requestId"`
	InvokedFunctionArn string                        `json:"invokedFunctionArn"`
	TenantID           string                        `json:"tenantId"`
	DeadlineMs         int64                         `json:"deadlineMs"`
	ClientContext      lambdacontext.ClientContext   `json:"clientContext"`
	Identity           lambdacontext.CognitoIdentity `json:"identity"`
	TraceEnv           string                        `json:"traceEnv"`
	TraceContext       string                        `json:"traceContext"`
	FunctionName       string                        `json:"functionName"`
	FunctionVersion    string                        `json:"functionVersion"`
	MemoryLimitMB      int                           `json:"memoryLimitMB"`
	LogGroupName       string                        `json:"logGroupName"`
	RuntimeAPI         string                        `json:"runtimeApi"`
	MaxConcurrency     int                           `json:"maxConcurrency"`
	PID                int                           `json:"pid"`
}

type instructions struct {
	SleepMs int `json:"sleepMs"`
}

func handle(ctx context.Context, event json.RawMessage) (*Seen, error) {
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok {
		return nil, fmt.Errorf("no lambda context")
	}
	deadline, _ := ctx.Deadline()
	traceCtx, _ := ctx.Value("x-amzn-trace-id").(string)
	if dir := os.Getenv("HANDLER_SEEN_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, lc.AwsRequestID+".json"), event, 0o600); err != nil {
			return nil, fmt.Errorf("record event: %w", err)
		}
	}
	var in instructions
	_ = json.Unmarshal(event, &in)
	if in.SleepMs > 0 {
		select {
		case <-time.After(time.Duration(in.SleepMs) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &Seen{
		Event:              event,
		RequestID:          lc.AwsRequestID,
		InvokedFunctionArn: lc.InvokedFunctionArn,
		TenantID:           lc.TenantID,
		DeadlineMs:         deadline.UnixMilli(),
		ClientContext:      lc.ClientContext,
		Identity:           lc.Identity,
		TraceEnv:           os.Getenv("_X_AMZN_TRACE_ID"),
		TraceContext:       traceCtx,
		FunctionName:       lambdacontext.FunctionName,
		FunctionVersion:    lambdacontext.FunctionVersion,
		MemoryLimitMB:      lambdacontext.MemoryLimitInMB,
		LogGroupName:       lambdacontext.LogGroupName,
		RuntimeAPI:         os.Getenv("AWS_LAMBDA_RUNTIME_API"),
		MaxConcurrency:     lambdacontext.MaxConcurrency(),
		PID:                os.Getpid(),
	}, nil
}

func main() {
	wiring.Start(handle)
}
