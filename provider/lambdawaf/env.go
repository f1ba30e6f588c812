package lambdawaf

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Environment variable names read by the agent, as the agent spells them
// (package contract).
const (
	EnvMode           = contract.EnvMode
	EnvFailurePolicy  = contract.EnvFailurePolicy
	EnvConfig         = contract.EnvConfig
	EnvAgentKeySecret = contract.EnvAgentKeySecretARN
	EnvFirehoseStream = contract.EnvFirehoseStream
	EnvLogLevel       = contract.EnvLogLevel
	EnvPort           = contract.EnvPort
	// EnvResponseStreaming names the front doors that invoke the function
	// with response streaming, so the agent streams its block responses.
	EnvResponseStreaming = contract.EnvResponseStreaming
	EnvExecWrapper       = contract.EnvExecWrapper
	maxEnvironmentSize   = 4096
)

// ReservedEnvironment lists the variables Lambda sets itself and refuses in a
// function's configuration. Rejecting them here gives a clear error at
// preview time instead of a failed update.
var ReservedEnvironment = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
	"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
}

// envKey is Lambda's rule for variable names.
var envKey = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)

// checkUserEnvironment rejects names Lambda would refuse.
func checkUserEnvironment(env map[string]string) error {
	var reserved []string
	for k := range env {
		if slices.Contains(ReservedEnvironment, k) {
			reserved = append(reserved, k)
			continue
		}
		if !envKey.MatchString(k) {
			return fmt.Errorf("environment variable name %q is invalid: Lambda wants a letter followed by letters, digits or underscores", k)
		}
	}
	if len(reserved) > 0 {
		sort.Strings(reserved)
		return fmt.Errorf("environment sets %s, reserved by Lambda: remove %s", strings.Join(reserved, ", "), pluralIt(len(reserved)))
	}
	return nil
}

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// environmentSize is the size Lambda counts against its 4 KB limit: every
// name and value.
func environmentSize(env map[string]string) int {
	n := 0
	for k, v := range env {
		n += len(k) + len(v)
	}
	return n
}

func checkEnvironmentSize(env map[string]string) error {
	if n := environmentSize(env); n > maxEnvironmentSize {
		return fmt.Errorf("environment variables take %d bytes with the agent's settings, over Lambda's limit of %d", n, maxEnvironmentSize)
	}
	return nil
}

// mergeEnvironment adds the agent's variables to the user's. A variable the
// user already set to the same value is fine (protecting twice is harmless);
// a different value is a conflict the user must resolve, because silently
// overriding either side changes behaviour someone relied on.
func mergeEnvironment(user, agent map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(user)+len(agent))
	for k, v := range user {
		out[k] = v
	}
	keys := make([]string, 0, len(agent))
	for k := range agent {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := agent[k]
		if old, ok := user[k]; ok && old != v {
			if k == EnvExecWrapper {
				return nil, fmt.Errorf("environment already sets %s=%q; lambdawaf needs %q (only one exec wrapper can run; remove yours or use another wiring)", k, old, v)
			}
			return nil, fmt.Errorf("environment sets %s=%q but the waf settings want %q: set it in one place", k, old, v)
		}
		out[k] = v
	}
	return out, nil
}
