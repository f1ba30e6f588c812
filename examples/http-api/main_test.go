package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program)

	fn := cloud.One(t, "aws:lambda/function:Function", "orders")
	if got := fn.Str(t, "runtime"); got != "provided.al2023" {
		t.Errorf("runtime %q", got)
	}
	if got := fn.Strings("architectures"); !slices.Equal(got, []string{"arm64"}) {
		t.Errorf("architectures %v", got)
	}
	armLayer := lambdawaftest.AgentLayerArn(t, cloud, "arm64")
	if layers := fn.Strings("layers"); !slices.Contains(layers, armLayer) {
		t.Errorf("function layers %v lack the arm64 agent layer %s", layers, armLayer)
	}
	env := fn.Env()
	if env["LAMBDAWAF_MODE"] != "block" || env["LAMBDAWAF_AGENT_KEY_SECRET_ARN"] == "" {
		t.Errorf("agent environment %v", env)
	}
	if _, wrapped := env["AWS_LAMBDA_EXEC_WRAPPER"]; wrapped {
		t.Error("provided.al2023 Go function must use in-process wiring, not the exec wrapper")
	}

	// The shared-state table of the protection group, wired into the
	// function's environment and its role's least-privilege grant.
	table := cloud.One(t, "aws:dynamodb/table:Table", "orders")
	if table.Str(t, "billingMode") != "PAY_PER_REQUEST" {
		t.Errorf("shared-state table billing %q, want on demand", table.Str(t, "billingMode"))
	}
	if env["LAMBDAWAF_FLEET_GROUP"] != "orders" || env["LAMBDAWAF_FLEET_TABLE"] == "" {
		t.Errorf("fleet environment %v", env)
	}
	grant := cloud.One(t, "aws:iam/rolePolicy:RolePolicy", "orders-fleet-lambdawaf-shared-state")
	if doc := grant.Str(t, "policy"); !strings.Contains(doc, "dynamodb:LeadingKeys") || !strings.Contains(doc, `"orders#*"`) {
		t.Errorf("shared-state grant %s lacks the group's LeadingKeys condition", doc)
	}

	if fn.Inputs["reservedConcurrentExecutions"].NumberValue() != 50 {
		t.Errorf("reserved concurrency %v, want 50", fn.Inputs["reservedConcurrentExecutions"])
	}
	stage := lambdawaftest.Plain(cloud.One(t, "aws:apigatewayv2/stage:Stage", "default").Inputs)
	if rs, _ := stage["defaultRouteSettings"].(map[string]any); rs["throttlingRateLimit"] != 100.0 || rs["throttlingBurstLimit"] != 200.0 {
		t.Errorf("stage route settings %v, want the gateway throttling in front of the function", stage["defaultRouteSettings"])
	}

	integ := cloud.One(t, "aws:apigatewayv2/integration:Integration", "orders")
	if integ.Str(t, "integrationType") != "AWS_PROXY" || integ.Str(t, "payloadFormatVersion") != "2.0" {
		t.Errorf("integration %v", integ.Inputs)
	}
	if !strings.HasSuffix(integ.Str(t, "integrationUri"), ":function:"+fnName(t, fn)) {
		t.Errorf("integration targets %s, not the protected function", integ.Str(t, "integrationUri"))
	}
	var keys []string
	for _, r := range cloud.All("aws:apigatewayv2/route:Route") {
		keys = append(keys, r.Str(t, "routeKey"))
		if r.Str(t, "target") != "integrations/orders-id" {
			t.Errorf("route %s targets %s", r.Name, r.Str(t, "target"))
		}
	}
	slices.Sort(keys)
	if want := []string{"DELETE /orders/{id}", "GET /orders", "GET /orders/{id}", "POST /orders"}; !slices.Equal(keys, want) {
		t.Errorf("routes %v, want %v", keys, want)
	}
	perm := cloud.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "principal") != "apigateway.amazonaws.com" || perm.Str(t, "action") != "lambda:InvokeFunction" {
		t.Errorf("permission %v", perm.Inputs)
	}
	if got, want := perm.Str(t, "sourceArn"), "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/*"; got != want {
		t.Errorf("permission source %s, want %s", got, want)
	}
}

func fnName(t *testing.T, fn lambdawaftest.Resource) string {
	t.Helper()
	if n, ok := fn.Input("name").(string); ok && n != "" {
		return n
	}
	return fn.Name + "-1a2b3c4"
}
