package emulator

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Limits Lambda enforces, reproduced so tests fail here the way they would
// fail in the cloud.
const (
	// MaxPayloadSize is the largest synchronous invocation request and
	// buffered response Lambda accepts (6 MiB).
	MaxPayloadSize = 6 * 1024 * 1024
	// MaxEnvironmentSize is the total size Lambda allows for a function's
	// environment variables (keys plus values).
	MaxEnvironmentSize = 4 * 1024

	// DefaultTimeout, DefaultInitTimeout and DefaultShutdownBudget are
	// Lambda's defaults: a 3 s function timeout, the 10 s Init cap and the
	// 2 s given to external extensions at shutdown.
	DefaultTimeout        = 3 * time.Second
	DefaultInitTimeout    = 10 * time.Second
	DefaultShutdownBudget = 2 * time.Second
	// runtimeTermGrace is how long the runtime has between SIGTERM and
	// SIGKILL at spindown when extensions are registered.
	runtimeTermGrace = 500 * time.Millisecond

	accountID = "123456789012"
)

// reservedEnv are the variables Lambda refuses in a function configuration.
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
	"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
	"AWS_LAMBDA_MAX_CONCURRENCY",
}

// Config describes one function: its code, its layers and its
// configuration, as Lambda would see them.
type Config struct {
	// Handler is the runtime process: the command Lambda would run as the
	// bootstrap (for example an aws-lambda-go binary). A first element
	// under /opt/ is resolved inside LayerDir.
	Handler []string
	// HandlerName is the _HANDLER value. Default: the file name of
	// Handler[0].
	HandlerName string
	// TaskRoot is LAMBDA_TASK_ROOT and the runtime's working directory.
	// Default: the directory of Handler[0].
	TaskRoot string
	// Runtime is the Lambda runtime identifier. AWS_LAMBDA_EXEC_WRAPPER is
	// honoured only for managed runtimes, as on Lambda: it is ignored for
	// "provided.al2" and "provided.al2023". Default: "provided.al2023".
	Runtime string
	// ExtensionsDir plays /opt/extensions: every executable regular file in
	// it is launched as an external extension. Default: LayerDir/extensions
	// when LayerDir is set.
	ExtensionsDir string
	// LayerDir plays /opt: AWS_LAMBDA_EXEC_WRAPPER and Handler paths under
	// /opt/ are resolved inside it.
	LayerDir string
	// Env is the function's configured environment. Reserved names are
	// rejected, as Lambda rejects them.
	Env map[string]string

	Timeout        time.Duration // function timeout; default 3 s
	InitTimeout    time.Duration // Init phase cap; default 10 s
	ShutdownBudget time.Duration // time extensions get after SHUTDOWN; default 2 s
	MemoryMB       int           // default 128
	// Concurrency > 1 models Lambda Managed Instances: that many
	// invocations may be in flight in one environment, and the runtime
	// sees AWS_LAMBDA_MAX_CONCURRENCY.
	Concurrency int

	// Credentials are the execution role's temporary credentials, which
	// Lambda puts in every process's environment (AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and a configuration may
	// not set. Zero: none, as for a role-less local run.
	Credentials Credentials

	FunctionName string // default "function"
	Version      string // default "$LATEST"
	Region       string // default "us-east-1"

	// Logs receives every line the runtime and the extensions write to
	// stdout and stderr, whole lines at a time. Default: discarded.
	Logs io.Writer
}

// Credentials are an execution role's temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

func (c Config) withDefaults() Config {
	if c.Runtime == "" {
		c.Runtime = "provided.al2023"
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.InitTimeout <= 0 {
		c.InitTimeout = DefaultInitTimeout
	}
	if c.ShutdownBudget <= 0 {
		c.ShutdownBudget = DefaultShutdownBudget
	}
	if c.MemoryMB <= 0 {
		c.MemoryMB = 128
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 1
	}
	if c.FunctionName == "" {
		c.FunctionName = "function"
	}
	if c.Version == "" {
		c.Version = "$LATEST"
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.ExtensionsDir == "" && c.LayerDir != "" {
		c.ExtensionsDir = filepath.Join(c.LayerDir, "extensions")
	}
	if len(c.Handler) > 0 {
		c.Handler = append([]string{c.optPath(c.Handler[0])}, c.Handler[1:]...)
		if c.HandlerName == "" {
			c.HandlerName = filepath.Base(c.Handler[0])
		}
		if c.TaskRoot == "" {
			c.TaskRoot = filepath.Dir(c.Handler[0])
		}
	}
	if c.Logs == nil {
		c.Logs = io.Discard
	}
	return c
}

// optPath resolves a path under /opt inside LayerDir.
func (c Config) optPath(p string) string {
	if c.LayerDir != "" && (p == "/opt" || strings.HasPrefix(p, "/opt/")) {
		return filepath.Join(c.LayerDir, strings.TrimPrefix(p, "/opt"))
	}
	return p
}

func (c Config) validate() error {
	if len(c.Handler) == 0 || c.Handler[0] == "" {
		return errors.New("emulator: Config.Handler is empty")
	}
	var reserved []string
	size := 0
	for k, v := range c.Env {
		size += len(k) + len(v)
		for _, r := range reservedEnv {
			if k == r {
				reserved = append(reserved, k)
			}
		}
	}
	if len(reserved) > 0 {
		sort.Strings(reserved)
		return fmt.Errorf("InvalidParameterValueException: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ","))
	}
	if size > MaxEnvironmentSize {
		return fmt.Errorf("InvalidParameterValueException: Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %d bytes", size)
	}
	if c.ExtensionsDir != "" {
		if _, err := os.Stat(c.ExtensionsDir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("emulator: extensions dir: %w", err)
		}
	}
	return nil
}

// managedRuntime reports whether Lambda honours AWS_LAMBDA_EXEC_WRAPPER for
// this runtime.
func (c Config) managedRuntime() bool {
	return !strings.HasPrefix(c.Runtime, "provided")
}

// processEnv is the environment every process of the execution environment
// gets: the function configuration plus what Lambda sets itself.
func (c Config) processEnv(apiAddr string, generation int) []string {
	env := map[string]string{
		"PATH":                            os.Getenv("PATH"),
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"AWS_LAMBDA_FUNCTION_NAME":        c.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION":     c.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(c.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + c.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME":      fmt.Sprintf("%s/[%s]%032x", time.Now().UTC().Format("2006/01/02"), c.Version, generation),
		"AWS_LAMBDA_RUNTIME_API":          apiAddr,
		"AWS_REGION":                      c.Region,
		"AWS_DEFAULT_REGION":              c.Region,
		"LAMBDA_TASK_ROOT":                c.TaskRoot,
		"LAMBDA_RUNTIME_DIR":              c.TaskRoot,
		"_HANDLER":                        c.HandlerName,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
	}
	if c.managedRuntime() {
		env["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + c.Runtime
	}
	if c.Concurrency > 1 {
		env["AWS_LAMBDA_MAX_CONCURRENCY"] = strconv.Itoa(c.Concurrency)
		env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "lambda-managed-instances"
	}
	if c.Credentials.AccessKeyID != "" {
		env["AWS_ACCESS_KEY_ID"] = c.Credentials.AccessKeyID
		env["AWS_SECRET_ACCESS_KEY"] = c.Credentials.SecretAccessKey
		if c.Credentials.SessionToken != "" {
			env["AWS_SESSION_TOKEN"] = c.Credentials.SessionToken
		}
	}
	for k, v := range c.Env {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// runtimeCommand is the runtime's argv: Handler, run through
// AWS_LAMBDA_EXEC_WRAPPER on managed runtimes.
func (c Config) runtimeCommand() []string {
	if w := c.Env["AWS_LAMBDA_EXEC_WRAPPER"]; w != "" && c.managedRuntime() {
		return append([]string{c.optPath(w)}, c.Handler...)
	}
	return c.Handler
}

// extensionFiles lists the executables Lambda would launch from
// /opt/extensions, in name order.
func (c Config) extensionFiles() ([]string, error) {
	if c.ExtensionsDir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(c.ExtensionsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read extensions dir: %w", err)
	}
	var files []string
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(c.ExtensionsDir, e.Name()))
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			continue
		}
		files = append(files, filepath.Join(c.ExtensionsDir, e.Name()))
	}
	return files, nil
}
