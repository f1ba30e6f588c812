package lambdawaf

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestProtectConfig(t *testing.T) {
	agent := AgentARNs{LayerArnX86_64: refX86, LayerArnArm64: refArm, AgentKeySecretArn: refSecret, FirehoseStreamArn: refStream, ConfigLayerArn: refConfig}
	got, err := ProtectConfig(FunctionConfig{
		Runtime: "nodejs22.x", Handler: "index.handler", Architectures: []string{"arm64"},
		Layers: userLayers(2), Environment: map[string]string{"TABLE": "orders"},
	}, agent, Settings{Mode: ModeLog})
	if err != nil {
		t.Fatal(err)
	}
	if want := append(userLayers(2), refArm, refConfig); !slices.Equal(got.Layers, want) {
		t.Errorf("layers = %v, want %v", got.Layers, want)
	}
	want := map[string]string{"TABLE": "orders", EnvMode: "log", EnvFailurePolicy: "open", EnvAgentKeySecret: refSecret,
		EnvFirehoseStream: "lambdawaf-decisions", EnvConfig: ConfigPath, EnvExecWrapper: WrapperPath}
	if !maps.Equal(got.Environment, want) {
		t.Errorf("environment = %v, want %v", got.Environment, want)
	}
	if got.Wiring != WiringWrapper || got.LayerArn != refArm {
		t.Errorf("wiring %q, layer %q", got.Wiring, got.LayerArn)
	}

	for _, tc := range []struct {
		fn    FunctionConfig
		agent AgentARNs
		want  string
	}{
		{FunctionConfig{Runtime: "provided.al2023", Handler: "bootstrap", Architectures: []string{"arm64"}}, AgentARNs{LayerArnX86_64: refX86, AgentKeySecretArn: refSecret}, "no arm64 layer"},
		{FunctionConfig{Runtime: "python3.12", Handler: "h", Layers: userLayers(4)}, agent, "6 layers"},
		{FunctionConfig{Runtime: "python3.12", Handler: "h", Environment: map[string]string{"_HANDLER": "x"}}, agent, "reserved by Lambda"},
		{FunctionConfig{Runtime: "python3.12", Handler: "h"}, AgentARNs{LayerArnX86_64: refX86}, "secret ARN is required"},
		{FunctionConfig{Runtime: "provided.al2023", Handler: "orders-rs"}, agent, "needs the bootstrap layer"},
	} {
		if _, err := ProtectConfig(tc.fn, tc.agent, Settings{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error = %v, want %q", tc.fn, err, tc.want)
		}
	}
}
