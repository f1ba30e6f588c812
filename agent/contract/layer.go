package contract

import "time"

// Where the agent layer puts its files (layers merge into /opt). The
// extension's file name is also the name it registers under: Lambda treats
// a process whose Lambda-Extension-Name matches no file in ExtensionsDir as
// an internal extension, and init hangs.
const (
	// ExtensionsDir is where Lambda starts external extensions from.
	ExtensionsDir = "/opt/extensions"
	// ExtensionName is the agent's file name in ExtensionsDir.
	ExtensionName = "lambdawaf"
	// WrapperPath is the AWS_LAMBDA_EXEC_WRAPPER for managed runtimes.
	WrapperPath = "/opt/lambdawaf-wrapper"
	// ConfigPath is where a configuration layer puts the policy document.
	ConfigPath = "/opt/lambdawaf/config.yaml"
	// DefaultPort is the agent's listener port on 127.0.0.1.
	DefaultPort = 9009
	// DefaultWait bounds how long the wrapper and the redirect package wait
	// for the agent's listener unless EnvWaitMs says otherwise.
	DefaultWait = 2 * time.Second
)

// StreamingContentType is the content type of a Function URL (or API
// Gateway) streaming response: a JSON prelude with status, headers and
// cookies, eight NUL bytes, then the body.
const StreamingContentType = "application/vnd.awslambda.http-integration-response"

// RequestIDHeader is the header of every HTTP block response that carries
// Lambda's request id of the blocked invocation (from the Runtime API's
// Lambda-Runtime-Aws-Request-Id, never from the event, which the caller
// controls), the key of its decision record: a user who was blocked can
// quote it and an operator finds the record.
const RequestIDHeader = "X-Lambdawaf-Request-Id"

// ResponseModeHeader and ResponseModeStreaming mark a streamed runtime
// response.
const (
	ResponseModeHeader    = "Lambda-Runtime-Function-Response-Mode"
	ResponseModeStreaming = "streaming"
)

// DefaultBundlePoll is the least time between two checks of the bundle
// pointer unless EnvBundlePoll says otherwise.
const DefaultBundlePoll = 30 * time.Second

// Bundle store layout under the EnvBundleSource prefix: the signed pointer,
// and per version the immutable bundle object and its signed manifest. The
// functions get read access to the prefix, the deployer role write access.
const (
	BundlePointerKey   = "pointer.json"
	BundleObjectsDir   = "bundles/"
	BundleManifestsDir = "manifests/"
)

// BundleVersionBaked is the bundle version recorded for decisions made by
// the configuration baked into the layer or function, before a signed
// bundle has been fetched.
const BundleVersionBaked = "baked"
