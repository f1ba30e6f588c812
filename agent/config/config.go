// Package config reads the agent's settings from its environment, once, at
// start. Every LAMBDAWAF_* variable (and the Lambda variables the agent
// needs) is read and parsed here into typed Settings; the packages that act
// on them (proxy, telemetry, outbound, firewall) receive values, never an
// environment to read. Variable names come from package contract, which the
// Pulumi component shares, so the two sides cannot drift apart.
//
// Bad values the agent can run without fall back to the safe default and
// are listed in Settings.Problems, to be logged at start; what the agent
// cannot run with (a port that is not a port) is kept as an error for the
// caller to report through the Extensions API.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// Settings are the agent's settings, as read from its environment.
type Settings struct {
	// ListenAddr is 127.0.0.1:LAMBDAWAF_PORT; PortErr says why the port
	// could not be used.
	ListenAddr string
	PortErr    error
	// RuntimeAPI is AWS_LAMBDA_RUNTIME_API as the agent sees it: the
	// Extensions API, and the upstream Runtime API unless Upstream says
	// otherwise.
	RuntimeAPI string
	// Upstream is LAMBDAWAF_UPSTREAM, else RuntimeAPI.
	Upstream string
	// Mode is LAMBDAWAF_MODE (block when unset or invalid); ModeSet says the
	// variable was set, in which case it wins over the configuration
	// document's mode.
	Mode    contract.Mode
	ModeSet bool
	// FailClosed is LAMBDAWAF_FAILURE_POLICY=closed (never in log mode).
	FailClosed bool
	// Streaming lists the triggers whose front door invokes with response
	// streaming (LAMBDAWAF_RESPONSE_STREAMING): their blocks are streamed.
	Streaming []event.Trigger
	// LogLevel is the agent's own log level (LAMBDAWAF_LOG_LEVEL).
	LogLevel zerolog.Level
	// Records configures decision records: the function's name and
	// version, LAMBDAWAF_LOG_LEVEL, LAMBDAWAF_SAMPLE_ALLOWED,
	// LAMBDAWAF_LOG_HEADERS.
	Records telemetry.Config
	// AgentKeySecretARN and FirehoseStream name the optional AWS resources
	// telemetry uses.
	AgentKeySecretARN string
	FirehoseStream    string
	// FleetTable and FleetGroup locate the protection group's shared
	// state (LAMBDAWAF_FLEET_TABLE, LAMBDAWAF_FLEET_GROUP); FleetLocalShare
	// is LAMBDAWAF_FLEET_LOCAL_SHARE (0: the default share).
	FleetTable      string
	FleetGroup      string
	FleetLocalShare float64
	// Outbound is response inspection (LAMBDAWAF_OUTBOUND,
	// LAMBDAWAF_OUTBOUND_KINDS); OutboundOn is false when it is off, the
	// default. OutboundErr says why a setting was refused (it is then off).
	Outbound    outbound.Config
	OutboundOn  bool
	OutboundErr error
	// ConfigPath is the configuration document to load: LAMBDAWAF_CONFIG,
	// else contract.ConfigPath if it exists, else
	// $LAMBDA_TASK_ROOT/lambdawaf.yaml if it exists; "" means the built-in
	// defaults.
	ConfigPath string
	// MaxConcurrency is AWS_LAMBDA_MAX_CONCURRENCY (Lambda Managed
	// Instances); 0 when invocations come one at a time.
	MaxConcurrency int
	// FunctionMemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE; 0 when unset
	// or not a positive number.
	FunctionMemoryMB int
	// Bundles are the signed policy bundle settings (LAMBDAWAF_BUNDLE_*):
	// nil when LAMBDAWAF_BUNDLE_SOURCE is unset. BundlesErr says why the
	// settings were refused; bundles are then off and the baked
	// configuration runs.
	Bundles    *Bundles
	BundlesErr error
	// Problems are the settings that were ignored, each with what was used
	// instead.
	Problems []string
}

// FromEnv reads the settings; getenv is os.Getenv in production.
func FromEnv(getenv func(string) string) Settings {
	s := Settings{Mode: contract.ModeBlock, LogLevel: zerolog.InfoLevel}
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }

	port := contract.DefaultPort
	if v := env(contract.EnvPort); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			s.PortErr = fmt.Errorf("%s=%q is not a TCP port", contract.EnvPort, v)
		}
		port = n
	}
	s.ListenAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	s.RuntimeAPI = env(contract.EnvRuntimeAPI)
	s.Upstream = env(contract.EnvUpstream)
	if s.Upstream == "" {
		s.Upstream = s.RuntimeAPI
	}

	if v := strings.ToLower(env(contract.EnvMode)); v != "" {
		m, err := contract.ParseMode(v)
		if err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not block, log or off; using block", contract.EnvMode, v))
		} else {
			s.Mode, s.ModeSet = m, true
		}
	}
	if v := strings.ToLower(env(contract.EnvFailurePolicy)); v != "" {
		p, err := contract.ParseFailurePolicy(v)
		if err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not open or closed; using open", contract.EnvFailurePolicy, v))
		}
		s.FailClosed = p == contract.FailClosed
	}
	if s.Mode == contract.ModeLog && s.FailClosed {
		s.FailClosed = false
		s.Problems = append(s.Problems, contract.EnvFailurePolicy+"=closed has no effect in log mode: log mode never blocks")
	}

	streaming, err := ParseStreaming(getenv(contract.EnvResponseStreaming))
	if err != nil {
		s.Problems = append(s.Problems, err.Error()+"; block responses stay buffered")
	}
	s.Streaming = streaming

	s.Records = telemetry.Config{
		FunctionName:    getenv(contract.EnvFunctionName),
		FunctionVersion: getenv(contract.EnvFunctionVersion),
		Level:           zerolog.InfoLevel,
		SampleAllowed:   1,
	}
	if v := env(contract.EnvLogLevel); v != "" {
		lvl, err := zerolog.ParseLevel(strings.ToLower(v))
		if err != nil || lvl == zerolog.NoLevel {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not a log level; using info", contract.EnvLogLevel, v))
		} else {
			s.LogLevel, s.Records.Level = lvl, lvl
		}
	}
	if v := env(contract.EnvSampleAllowed); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
			s.Records.SampleAllowed = f
		} else {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not a fraction from 0 to 1; recording every allowed event", contract.EnvSampleAllowed, v))
		}
	}
	if v := env(contract.EnvLogHeaders); v != "" {
		s.Records.Headers = strings.Split(v, ",")
	}
	if v := env(contract.EnvSensitiveNames); v != "" {
		s.Records.SensitiveNames = strings.Split(v, ",")
	}

	s.AgentKeySecretARN = env(contract.EnvAgentKeySecretARN)
	s.FirehoseStream = env(contract.EnvFirehoseStream)
	s.FleetTable, s.FleetGroup = env(contract.EnvFleetTable), env(contract.EnvFleetGroup)
	if v := env(contract.EnvFleetLocalShare); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err == nil && f > 0 && f <= 1 {
			s.FleetLocalShare = f
		} else {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not a fraction above 0 up to 1; using the default share", contract.EnvFleetLocalShare, v))
		}
	}
	s.Outbound, s.OutboundOn, s.OutboundErr = parseOutbound(env(contract.EnvOutbound), env(contract.EnvOutboundKinds))
	s.ConfigPath = locate(getenv(contract.EnvConfig), getenv(contract.EnvTaskRoot))

	s.Bundles, s.BundlesErr = parseBundles(env)
	if v := env(contract.EnvMaxConcurrency); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			s.MaxConcurrency = n
		} else {
			s.Problems = append(s.Problems, fmt.Sprintf("%s=%q is not a positive number; assuming one invocation at a time", contract.EnvMaxConcurrency, v))
		}
	}
	if n, err := strconv.Atoi(env(contract.EnvFunctionMemorySize)); err == nil && n > 0 {
		s.FunctionMemoryMB = n
	}
	return s
}

// ParseStreaming reads LAMBDAWAF_RESPONSE_STREAMING: a boolean (true means
// the Function URL, the common case: InvokeMode RESPONSE_STREAM), or a
// comma-separated list of the triggers whose front door invokes with
// response streaming (function-url, apigateway-rest). The agent cannot
// tell from an event how it was invoked, so the deployment must say.
func ParseStreaming(s string) ([]event.Trigger, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if on, err := strconv.ParseBool(s); err == nil {
		if on {
			return []event.Trigger{event.FunctionURL}, nil
		}
		return nil, nil
	}
	var out []event.Trigger
	for name := range strings.SplitSeq(s, ",") {
		t := event.Trigger(strings.ToLower(strings.TrimSpace(name)))
		if !t.StreamsResponses() {
			return nil, fmt.Errorf("%s=%q: %q is not true, false, %s or %s", contract.EnvResponseStreaming, s, name, event.FunctionURL, event.APIGatewayREST)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// parseOutbound reads the outbound settings. on is false when outbound
// inspection is off (the default: it rewrites responses, so it is opted
// into) or refused.
func parseOutbound(action, kinds string) (cfg outbound.Config, on bool, err error) {
	if action == "" || strings.EqualFold(action, "off") {
		return outbound.Config{}, false, nil
	}
	a, err := outbound.ParseAction(action)
	if err != nil {
		return outbound.Config{}, false, fmt.Errorf("%s: %w", contract.EnvOutbound, err)
	}
	cfg.Action = a
	if kinds != "" {
		for _, name := range strings.Split(kinds, ",") {
			k, ok := leak.ParseKind(strings.TrimSpace(name))
			if !ok {
				return outbound.Config{}, false, fmt.Errorf("%s: unknown kind %q", contract.EnvOutboundKinds, name)
			}
			cfg.Kinds |= k
		}
	}
	return cfg, true, nil
}

// locate returns the configuration document to load: the explicit path
// when set, else contract.ConfigPath if it exists (a configuration layer),
// else taskRoot/lambdawaf.yaml if it exists (shipped with the function),
// else "".
func locate(explicit, taskRoot string) string {
	if explicit != "" {
		return explicit
	}
	if fileExists(contract.ConfigPath) {
		return contract.ConfigPath
	}
	if taskRoot != "" {
		if p := filepath.Join(taskRoot, "lambdawaf.yaml"); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
