package plugin

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

const (
	refX86    = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-x86_64:12"
	refArm    = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-arm64:12"
	refSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf/agent-key-Xy12Ab"
	refBoot   = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-bootstrap:2"
)

// cloud is the mock AWS behind the provider: it records what the
// components register and answers with the identifiers AWS would give.
type cloud struct {
	mu        sync.Mutex
	resources map[string]map[string]any // type/name → plain inputs
}

func (c *cloud) newResource(args integration.MockResourceArgs) (string, property.Map, error) {
	in := resource.ToResourcePropertyMap(args.Inputs).Mappable()
	c.mu.Lock()
	if c.resources == nil {
		c.resources = map[string]map[string]any{}
	}
	c.resources[string(args.TypeToken)+"/"+args.Name] = in
	c.mu.Unlock()

	out := args.Inputs.AsMap()
	s := func(k string) string { v, _ := in[k].(string); return v }
	var arn string
	switch args.TypeToken {
	case "aws:lambda/layerVersion:LayerVersion":
		arn = "arn:aws:lambda:eu-west-1:123456789012:layer:" + s("layerName") + ":1"
	case "aws:secretsmanager/secret:Secret":
		arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + s("namePrefix") + "AbCdEf"
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = "arn:aws:logs:eu-west-1:123456789012:log-group:" + s("name")
	case "aws:iam/role:Role":
		arn = "arn:aws:iam::123456789012:role/" + args.Name
		out["name"] = property.New(args.Name)
	case "aws:lambda/function:Function":
		arn = "arn:aws:lambda:eu-west-1:123456789012:function:" + s("name")
	}
	if arn != "" {
		out["arn"] = property.New(arn)
	}
	return args.Name + "-id", property.NewMap(out), nil
}

func (c *cloud) get(t *testing.T, typ, name string) map[string]any {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.resources[typ+"/"+name]
	if !ok {
		t.Fatalf("no %s %q; have %v", typ, name, slices.Sorted(maps.Keys(c.resources)))
	}
	return r
}

func construct(t *testing.T, typ, name string, inputs map[string]property.Value) (*cloud, p.ConstructResponse, error) {
	t.Helper()
	c := &cloud{}
	s := server(t, integration.WithMocks(&integration.MockResourceMonitor{NewResourceF: c.newResource}))
	resp, err := s.Construct(p.ConstructRequest{
		Urn:    resource.URN(fmt.Sprintf("urn:pulumi:prod::shop::%s::%s", typ, name)),
		Inputs: property.NewMap(inputs),
	})
	return c, resp, err
}

func strs(v ...string) property.Value {
	var a []property.Value
	for _, s := range v {
		a = append(a, property.New(s))
	}
	return property.New(property.NewArray(a))
}

func TestConstructAgent(t *testing.T) {
	c, resp, err := construct(t, "lambdawaf:index:Agent", "waf", map[string]property.Value{
		"layerArnX86_64":     property.New(refX86),
		"layerArnArm64":      property.New(refArm),
		"configuration":      property.New("mode: log\n"),
		"logRetentionInDays": property.New(14.0),
	})
	if err != nil {
		t.Fatal(err)
	}
	state := resource.ToResourcePropertyMap(resp.State).Mappable()
	if state["layerArnX86_64"] != refX86 || state["layerArnArm64"] != refArm {
		t.Errorf("layer outputs = %v, %v (state %v)", state["layerArnX86_64"], state["layerArnArm64"], state)
	}
	if arn, _ := state["agentKeySecretArn"].(string); !strings.HasPrefix(arn, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf-waf-agent-key-") {
		t.Errorf("agentKeySecretArn = %v", state["agentKeySecretArn"])
	}
	if state["logRetentionInDays"] != 14.0 {
		t.Errorf("logRetentionInDays = %v", state["logRetentionInDays"])
	}
	if cfg, _ := state["configLayerArn"].(string); !strings.Contains(cfg, ":layer:lambdawaf-waf-config-") {
		t.Errorf("configLayerArn = %v", state["configLayerArn"])
	}
	// Existing layers are reused, not republished; the key is created.
	c.get(t, "aws:secretsmanager/secretVersion:SecretVersion", "waf-agent-key")
	c.get(t, "aws:lambda/layerVersion:LayerVersion", "waf-config")
	for k := range c.resources {
		if strings.HasPrefix(k, "aws:lambda/layerVersion:LayerVersion/waf-layer-") {
			t.Errorf("republished %s", k)
		}
	}
}

func TestConstructProtectedFunction(t *testing.T) {
	c, resp, err := construct(t, "lambdawaf:index:ProtectedFunction", "orders", map[string]property.Value{
		"name":          property.New("orders-api"),
		"runtime":       property.New("python3.12"),
		"handler":       property.New("app.handler"),
		"codePath":      property.New("../lambdawaf/testdata"),
		"architectures": strs("arm64"),
		"layers":        strs("arn:aws:lambda:eu-west-1:123456789012:layer:deps:3"),
		"environment":   property.New(map[string]property.Value{"TABLE": property.New("orders")}),
		"waf": property.New(map[string]property.Value{
			"mode":   property.New("log"),
			"wiring": property.New("auto"),
			"agent": property.New(map[string]property.Value{
				"layerArnX86_64":    property.New(refX86),
				"layerArnArm64":     property.New(refArm),
				"agentKeySecretArn": property.New(refSecret),
			}),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	fn := c.get(t, "aws:lambda/function:Function", "orders")
	if got := fn["layers"]; !slices.Equal(anyStrings(got), []string{"arn:aws:lambda:eu-west-1:123456789012:layer:deps:3", refArm}) {
		t.Errorf("layers = %v", got)
	}
	env := fn["environment"].(map[string]any)["variables"].(map[string]any)
	want := map[string]any{
		"TABLE": "orders", lambdawaf.EnvMode: "log", lambdawaf.EnvFailurePolicy: "open",
		lambdawaf.EnvAgentKeySecret: refSecret, lambdawaf.EnvExecWrapper: lambdawaf.WrapperPath,
	}
	if !maps.Equal(env, want) {
		t.Errorf("environment = %v\nwant          %v", env, want)
	}
	if fn["role"] != "arn:aws:iam::123456789012:role/orders" {
		t.Errorf("role = %v", fn["role"])
	}
	state := resource.ToResourcePropertyMap(resp.State).Mappable()
	for k, v := range map[string]any{
		"functionArn":  "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
		"functionName": "orders-api",
		"roleArn":      "arn:aws:iam::123456789012:role/orders",
		"layerArn":     refArm,
		"logGroupName": "/aws/lambda/orders-api",
		"wiring":       "wrapper",
	} {
		if state[k] != v {
			t.Errorf("output %s = %v, want %v", k, state[k], v)
		}
	}
	if got := c.get(t, "aws:cloudwatch/logGroup:LogGroup", "orders")["retentionInDays"]; got != 30.0 {
		t.Errorf("log retention = %v", got)
	}
	c.get(t, "aws:iam/rolePolicy:RolePolicy", "orders-lambdawaf")
}

func TestConstructRefusesUnsupportedCombination(t *testing.T) {
	_, _, err := construct(t, "lambdawaf:index:ProtectedFunction", "orders", map[string]property.Value{
		"runtime":  property.New("provided.al2023"),
		"handler":  property.New("bootstrap"),
		"codePath": property.New("../lambdawaf/testdata"),
		"waf": property.New(map[string]property.Value{
			"wiring": property.New("wrapper"),
			"agent": property.New(map[string]property.Value{
				"layerArnX86_64":    property.New(refX86),
				"agentKeySecretArn": property.New(refSecret),
			}),
		}),
	})
	if err == nil || !strings.Contains(err.Error(), "ignore AWS_LAMBDA_EXEC_WRAPPER") {
		t.Fatalf("error = %v, want the wiring refusal", err)
	}
}

func anyStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}
