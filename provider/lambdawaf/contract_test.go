package lambdawaf

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
)

// The component and the agent agree on what they exchange: the variable
// names come from package contract on both sides (the agent's settings
// read them there), and the agent reads the key the component writes.
func TestAgentContract(t *testing.T) {
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
		got, err := agentkey.Parse(&agentkey.GetSecretValueOutput{SecretString: &key})
		if err != nil {
			t.Fatalf("the agent refuses the key the component writes: %v", err)
		}
		if string(got) != key {
			t.Fatalf("the agent reads %q from %q", got, key)
		}
	}
}
