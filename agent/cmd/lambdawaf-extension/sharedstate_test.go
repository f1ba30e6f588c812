package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/background"
	settings "github.com/lambdawaf/lambdawaf/agent/config"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func TestSharedStateNeedsTheTableAndTheSharedKey(t *testing.T) {
	p, err := policy.Parse([]byte(`rateLimits: [{id: api, key: source-ip, limit: 10, period: 10s, scope: global}]`), "g.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		settings  settings.Settings
		wantState bool
		wantLog   string
	}{
		{"no table", settings.Settings{AgentKeySecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k"}, false, "LAMBDAWAF_FLEET_TABLE"},
		{"no shared key", settings.Settings{FleetTable: "t", FleetGroup: "shop"}, false, "shared agent key"},
		{"table, group and key", settings.Settings{FleetTable: "t", FleetGroup: "shop", AgentKeySecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// As Lambda sets them for the function's role.
			t.Setenv("AWS_REGION", "eu-west-1")
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			var logs bytes.Buffer
			work := background.New(background.Options{})
			s := &sharedStates{ctx: context.Background(), settings: tt.settings, key: agentkey.Static(bytes.Repeat([]byte("k"), 32)),
				work: work, log: zerolog.New(&logs)}
			got := s.forPolicy(p)
			if (got != nil) != tt.wantState {
				t.Fatalf("shared state %v, want one: %v; logs: %s", got, tt.wantState, logs.String())
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %q does not mention %q", logs.String(), tt.wantLog)
			}
			if tt.wantState {
				if st := work.Stats(); len(st) != 1 || st[0].Name != syncTask {
					t.Errorf("background tasks = %+v, want the %s task", st, syncTask)
				}
				// A key of this environment only is not the group's.
				s.key = agentkey.Ephemeral()
				if _, shared := s.sharedKey(); shared {
					t.Error("an ephemeral key counted as the group's shared key")
				}
			}
		})
	}
}
