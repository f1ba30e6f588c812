package lambdawaf

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// The component and the agent agree on what they exchange: variable names
// and the form of the agent key.
func TestAgentContract(t *testing.T) {
	if EnvAgentKeySecret != agentkey.EnvSecretARN {
		t.Errorf("secret variable: component %s, agent %s", EnvAgentKeySecret, agentkey.EnvSecretARN)
	}
	if EnvFirehoseStream != telemetry.EnvFirehoseStream {
		t.Errorf("firehose variable: component %s, agent %s", EnvFirehoseStream, telemetry.EnvFirehoseStream)
	}
	seen := map[string]bool{}
	for range 100 {
		key, err := newAgentKey()
		if err != nil {
			t.Fatal(err)
		}
		if seen[key] {
			t.Fatal("agent key repeated")
		}
		seen[key] = true
		got, err := agentkey.Parse(&secretsmanager.GetSecretValueOutput{SecretString: &key})
		if err != nil {
			t.Fatalf("the agent refuses the key the component writes: %v", err)
		}
		if string(got) != key {
			t.Fatalf("the agent reads %q from %q", got, key)
		}
	}
}
