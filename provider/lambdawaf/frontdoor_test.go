package lambdawaf

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The limits reach the gateway's resources as the throttling settings AWS
// reads: an HTTP API stage's default route settings, a REST stage's "*/*"
// method settings; the burst defaults to the rate rounded up.
func TestFrontDoorLimitsReachTheStage(t *testing.T) {
	m := mustRun(t, func(ctx *pulumi.Context) error {
		http, err := FrontDoorLimits{RatePerSecond: 50, Burst: 100}.HTTPAPIRouteSettings()
		if err != nil {
			return err
		}
		if _, err := apigatewayv2.NewStage(ctx, "http", &apigatewayv2.StageArgs{
			ApiId: pulumi.String("api1"), Name: pulumi.String("$default"), DefaultRouteSettings: http,
		}); err != nil {
			return err
		}
		_, err = FrontDoorLimits{RatePerSecond: 12.5}.NewRESTMethodSettings(ctx, "rest", pulumi.String("rest1"), pulumi.String("prod"))
		return err
	})
	stage := plain(m.one(t, "aws:apigatewayv2/stage:Stage", "http").inputs)
	routes, _ := stage["defaultRouteSettings"].(map[string]any)
	if routes["throttlingRateLimit"] != 50.0 || routes["throttlingBurstLimit"] != 100.0 {
		t.Errorf("HTTP API stage route settings = %v, want rate 50, burst 100", routes)
	}
	ms := m.one(t, "aws:apigateway/methodSettings:MethodSettings", "rest")
	in := plain(ms.inputs)
	settings, _ := in["settings"].(map[string]any)
	if in["methodPath"] != "*/*" || in["restApi"] != "rest1" || in["stageName"] != "prod" {
		t.Errorf("REST method settings = %v, want */* on rest1/prod", in)
	}
	if settings["throttlingRateLimit"] != 12.5 || settings["throttlingBurstLimit"] != 13.0 {
		t.Errorf("REST throttling = %v, want rate 12.5 and burst 13 (the rate rounded up)", settings)
	}
}

func TestFrontDoorLimitsRefuseNonsense(t *testing.T) {
	for _, l := range []FrontDoorLimits{{}, {RatePerSecond: -1}, {RatePerSecond: 10, Burst: -5}} {
		if _, err := l.HTTPAPIRouteSettings(); err == nil || !strings.Contains(err.Error(), "front door limits") {
			t.Errorf("%+v: err = %v, want a front door limits error", l, err)
		}
	}
}
