package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsWhenNothingIsSet(t *testing.T) {
	s := FromEnv(envOf(nil))
	if s.ListenAddr != "127.0.0.1:9009" || s.PortErr != nil || s.Mode != contract.ModeBlock || s.ModeSet ||
		s.FailClosed || s.Streaming != nil || s.LogLevel != zerolog.InfoLevel || s.OutboundOn || s.MaxConcurrency != 0 {
		t.Errorf("defaults = %+v", s)
	}
	if s.Records.Level != zerolog.InfoLevel || s.Records.SampleAllowed != 1 || s.Records.Headers != nil {
		t.Errorf("record defaults = %+v", s.Records)
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems with an empty environment: %v", s.Problems)
	}
}

func TestEverySettingIsRead(t *testing.T) {
	s := FromEnv(envOf(map[string]string{
		contract.EnvPort: "9010", contract.EnvRuntimeAPI: "127.0.0.1:9001", contract.EnvUpstream: "127.0.0.1:9002",
		contract.EnvMode: "LOG", contract.EnvResponseStreaming: "function-url,apigateway-rest",
		contract.EnvLogLevel: "WARN", contract.EnvSampleAllowed: "0.25", contract.EnvLogHeaders: "user-agent,authorization",
		contract.EnvFunctionName: "orders", contract.EnvFunctionVersion: "7",
		contract.EnvAgentKeySecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k",
		contract.EnvFirehoseStream:    "records", contract.EnvConfig: "/x/y.yaml", contract.EnvMaxConcurrency: "16",
		contract.EnvOutbound: "block", contract.EnvOutboundKinds: "card, ssn",
	}))
	if s.ListenAddr != "127.0.0.1:9010" || s.RuntimeAPI != "127.0.0.1:9001" || s.Upstream != "127.0.0.1:9002" {
		t.Errorf("addresses = %s %s %s", s.ListenAddr, s.RuntimeAPI, s.Upstream)
	}
	if s.Mode != contract.ModeLog || !s.ModeSet {
		t.Errorf("mode = %s (set %v)", s.Mode, s.ModeSet)
	}
	if len(s.Streaming) != 2 || s.Streaming[0] != event.FunctionURL || s.Streaming[1] != event.APIGatewayREST {
		t.Errorf("streaming = %v", s.Streaming)
	}
	if s.LogLevel != zerolog.WarnLevel || s.Records.Level != zerolog.WarnLevel || s.Records.SampleAllowed != 0.25 ||
		strings.Join(s.Records.Headers, ",") != "user-agent,authorization" ||
		s.Records.FunctionName != "orders" || s.Records.FunctionVersion != "7" {
		t.Errorf("records = %+v, level %v", s.Records, s.LogLevel)
	}
	if s.AgentKeySecretARN == "" || s.FirehoseStream != "records" || s.ConfigPath != "/x/y.yaml" || s.MaxConcurrency != 16 {
		t.Errorf("resources = %q %q %q %d", s.AgentKeySecretARN, s.FirehoseStream, s.ConfigPath, s.MaxConcurrency)
	}
	if !s.OutboundOn || s.Outbound.Action != outbound.Block || s.Outbound.Kinds != leak.Card|leak.SSN {
		t.Errorf("outbound = %+v on=%v", s.Outbound, s.OutboundOn)
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems: %v", s.Problems)
	}
}

// Bad values fall back to the safe default and say so; a port that is not
// a port is an error the agent reports through the Extensions API.
func TestBadValuesFallBackAndSaySo(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
		ok   func(Settings) bool
	}{
		{map[string]string{contract.EnvMode: "monitor"}, "is not block, log or off", func(s Settings) bool { return s.Mode == contract.ModeBlock && !s.ModeSet }},
		{map[string]string{contract.EnvFailurePolicy: "shut"}, "is not open or closed", func(s Settings) bool { return !s.FailClosed }},
		{map[string]string{contract.EnvMode: "log", contract.EnvFailurePolicy: "closed"}, "no effect in log mode", func(s Settings) bool { return !s.FailClosed }},
		{map[string]string{contract.EnvResponseStreaming: "sqs"}, "block responses stay buffered", func(s Settings) bool { return s.Streaming == nil }},
		{map[string]string{contract.EnvLogLevel: "loud"}, "is not a log level", func(s Settings) bool { return s.LogLevel == zerolog.InfoLevel }},
		{map[string]string{contract.EnvSampleAllowed: "2"}, "not a fraction", func(s Settings) bool { return s.Records.SampleAllowed == 1 }},
		{map[string]string{contract.EnvMaxConcurrency: "many"}, "not a positive number", func(s Settings) bool { return s.MaxConcurrency == 0 }},
	} {
		s := FromEnv(envOf(tc.env))
		if len(s.Problems) != 1 || !strings.Contains(s.Problems[0], tc.want) || !tc.ok(s) {
			t.Errorf("%v: problems %v, settings %+v; want one problem containing %q and the safe default", tc.env, s.Problems, s, tc.want)
		}
	}
	if s := FromEnv(envOf(map[string]string{contract.EnvPort: "http"})); s.PortErr == nil {
		t.Error("a port that is not a port must be an error")
	}
}

func TestOutboundSettings(t *testing.T) {
	for _, tt := range []struct {
		action, kinds string
		on            bool
		want          outbound.Action
		kindsWant     leak.Kind
		err           bool
	}{
		{"", "", false, "", 0, false},
		{"off", "", false, "", 0, false},
		{"mask", "", true, outbound.Mask, 0, false},
		{"block", "card, ssn", true, outbound.Block, leak.Card | leak.SSN, false},
		{"drop", "", false, "", 0, true},
		{"log", "cards", false, "", 0, true},
	} {
		s := FromEnv(envOf(map[string]string{contract.EnvOutbound: tt.action, contract.EnvOutboundKinds: tt.kinds}))
		if (s.OutboundErr != nil) != tt.err || s.OutboundOn != tt.on || s.Outbound.Action != tt.want || s.Outbound.Kinds != tt.kindsWant {
			t.Errorf("%q/%q: %+v on=%v err=%v", tt.action, tt.kinds, s.Outbound, s.OutboundOn, s.OutboundErr)
		}
	}
}

// The configuration document: LAMBDAWAF_CONFIG, else the configuration
// layer's, else the one shipped with the function, else none.
func TestConfigPathIsLocated(t *testing.T) {
	dir := t.TempDir()
	if got := FromEnv(envOf(nil)).ConfigPath; got != "" && got != contract.ConfigPath {
		t.Errorf("no variables: %q", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "lambdawaf.yaml"), []byte("mode: log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(contract.ConfigPath); err != nil {
		if got := FromEnv(envOf(map[string]string{contract.EnvTaskRoot: dir})).ConfigPath; got != filepath.Join(dir, "lambdawaf.yaml") {
			t.Errorf("task root: %q", got)
		}
	}
	if got := FromEnv(envOf(map[string]string{contract.EnvTaskRoot: dir, contract.EnvConfig: "/x/y.yaml"})).ConfigPath; got != "/x/y.yaml" {
		t.Errorf("explicit: %q", got)
	}
}
