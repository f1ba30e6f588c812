package lambdawaf

import (
	"fmt"
	"math"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// FrontDoorLimits are the request rates an API Gateway stage admits before
// it invokes the function.
//
// The agent runs inside the function, so a request it blocks is still an
// invocation: billed, and holding one of the function's concurrent
// executions while it is judged. A flood is cheapest refused in front of
// Lambda: API Gateway's throttling answers 429 itself, and reserved
// concurrency (lambda.FunctionArgs.ReservedConcurrentExecutions) caps what
// one function can take from the account's concurrency. The agent's own
// rate limits, account-takeover and scanning counters are the last line,
// for what is finer than a stage: per source, per identity, per route.
type FrontDoorLimits struct {
	// RatePerSecond is the steady request rate the stage admits. Required.
	RatePerSecond float64
	// Burst is how many requests may arrive at once above the steady rate.
	// Default: RatePerSecond rounded up.
	Burst int
}

func (l FrontDoorLimits) resolve() (rate float64, burst int, err error) {
	if !(l.RatePerSecond > 0) || math.IsInf(l.RatePerSecond, 0) {
		return 0, 0, fmt.Errorf("front door limits: rate per second must be a positive number, got %v", l.RatePerSecond)
	}
	burst = l.Burst
	if burst < 0 {
		return 0, 0, fmt.Errorf("front door limits: burst must not be negative, got %d", burst)
	}
	if burst == 0 {
		burst = int(math.Ceil(l.RatePerSecond))
	}
	return l.RatePerSecond, burst, nil
}

// HTTPAPIRouteSettings are the limits as an HTTP API stage's default route
// settings (apigatewayv2.StageArgs.DefaultRouteSettings): every route of
// the stage gets them unless a route sets its own.
func (l FrontDoorLimits) HTTPAPIRouteSettings() (*apigatewayv2.StageDefaultRouteSettingsArgs, error) {
	rate, burst, err := l.resolve()
	if err != nil {
		return nil, err
	}
	return &apigatewayv2.StageDefaultRouteSettingsArgs{
		ThrottlingRateLimit:  pulumi.Float64(rate),
		ThrottlingBurstLimit: pulumi.Int(burst),
	}, nil
}

// NewRESTMethodSettings applies the limits to every method of a REST API
// stage ("*/*"), as the stage's method settings.
func (l FrontDoorLimits) NewRESTMethodSettings(ctx *pulumi.Context, name string, restAPI pulumi.StringInput, stageName pulumi.StringInput, opts ...pulumi.ResourceOption) (*apigateway.MethodSettings, error) {
	rate, burst, err := l.resolve()
	if err != nil {
		return nil, err
	}
	ms, err := apigateway.NewMethodSettings(ctx, name, &apigateway.MethodSettingsArgs{
		RestApi:    restAPI,
		StageName:  stageName,
		MethodPath: pulumi.String("*/*"),
		Settings: apigateway.MethodSettingsSettingsArgs{
			ThrottlingRateLimit:  pulumi.Float64(rate),
			ThrottlingBurstLimit: pulumi.Int(burst),
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("front door limits %s: %w", name, err)
	}
	return ms, nil
}
