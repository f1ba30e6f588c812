package plugin

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func TestInvokeProtectFunction(t *testing.T) {
	resp, err := server(t).Invoke(p.InvokeRequest{
		Token: "lambdawaf:index:protectFunction",
		Args: property.NewMap(map[string]property.Value{
			"runtime":       property.New("provided.al2023"),
			"handler":       property.New("orders-service"),
			"architectures": strs("arm64"),
			"layers":        strs("arn:aws:lambda:eu-west-1:123456789012:layer:deps:3"),
			"environment":   property.New(map[string]property.Value{"TABLE": property.New("orders")}),
			"mode":          property.New("log"),
			"agent": property.New(map[string]property.Value{
				"layerArnX86_64":    property.New(refX86),
				"layerArnArm64":     property.New(refArm),
				"bootstrapLayerArn": property.New(refBoot),
				"agentKeySecretArn": property.New(refSecret),
			}),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Failures) > 0 {
		t.Fatalf("failures: %v", resp.Failures)
	}
	out := resource.ToResourcePropertyMap(resp.Return).Mappable()
	if got := anyStrings(out["layers"]); !slices.Equal(got, []string{"arn:aws:lambda:eu-west-1:123456789012:layer:deps:3", refArm, refBoot}) {
		t.Errorf("layers = %v", got)
	}
	env := out["environment"].(map[string]any)
	want := map[string]any{"TABLE": "orders", lambdawaf.EnvMode: "log", lambdawaf.EnvFailurePolicy: "open", lambdawaf.EnvAgentKeySecret: refSecret}
	if !maps.Equal(env, want) {
		t.Errorf("environment = %v, want %v", env, want)
	}
	if out["wiring"] != "bootstrap" || out["layerArn"] != refArm {
		t.Errorf("wiring %v, layer %v", out["wiring"], out["layerArn"])
	}

	_, err = server(t).Invoke(p.InvokeRequest{
		Token: "lambdawaf:index:protectFunction",
		Args: property.NewMap(map[string]property.Value{
			"runtime":     property.New("python3.12"),
			"handler":     property.New("app.handler"),
			"environment": property.New(map[string]property.Value{"AWS_REGION": property.New("eu-west-1")}),
			"agent": property.New(map[string]property.Value{
				"layerArnX86_64": property.New(refX86), "agentKeySecretArn": property.New(refSecret),
			}),
		}),
	})
	if err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("reserved variable: error = %v", err)
	}
}

func TestConstructAgentAccess(t *testing.T) {
	c, _, err := construct(t, "lambdawaf:index:AgentAccess", "legacy", map[string]property.Value{
		"role": property.New("arn:aws:iam::123456789012:role/service-role/legacy-x1"),
		"agent": property.New(map[string]property.Value{
			"agentKeySecretArn": property.New(refSecret),
			"kmsKeyArn":         property.New("arn:aws:kms:eu-west-1:123456789012:key/0a1b"),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	policy := c.get(t, "aws:iam/rolePolicy:RolePolicy", "legacy-lambdawaf")
	if policy["role"] != "legacy-x1" {
		t.Errorf("role = %v", policy["role"])
	}
	var doc lambdawaf.PolicyDocument
	if err := json.Unmarshal([]byte(policy["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s.Sid)
	}
	if !slices.Equal(sids, []string{"ReadAgentKey", "DecryptAgentKey"}) {
		t.Errorf("statements = %v", sids)
	}
}
