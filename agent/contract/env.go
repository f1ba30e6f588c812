package contract

// Environment variables the agent, its wrapper and the redirect package
// read. The Pulumi component sets them; README.md documents them. They are
// parsed in one place (the agent's configuration, agent/cmd/lambdawaf-extension)
// and handed down as typed values.
const (
	// EnvMode is the function-wide mode (block, log, off); it wins over the
	// configuration document.
	EnvMode = "LAMBDAWAF_MODE"
	// EnvFailurePolicy is what an inspection error or panic does (open,
	// closed).
	EnvFailurePolicy = "LAMBDAWAF_FAILURE_POLICY"
	// EnvConfig is the path of the configuration document.
	EnvConfig = "LAMBDAWAF_CONFIG"
	// EnvPort is the agent's listener port on 127.0.0.1.
	EnvPort = "LAMBDAWAF_PORT"
	// EnvUpstream is the upstream Runtime API host:port, to chain proxies.
	EnvUpstream = "LAMBDAWAF_UPSTREAM"
	// EnvAgentKeySecretARN names the Secrets Manager secret with the key
	// that makes pseudonyms.
	EnvAgentKeySecretARN = "LAMBDAWAF_AGENT_KEY_SECRET_ARN"
	// EnvFirehoseStream names the Firehose stream decision records are
	// shipped to.
	EnvFirehoseStream = "LAMBDAWAF_FIREHOSE_STREAM"
	// EnvOutbound is response data-leak inspection: off, mask, block, log.
	EnvOutbound = "LAMBDAWAF_OUTBOUND"
	// EnvOutboundKinds narrows what outbound inspection looks for.
	EnvOutboundKinds = "LAMBDAWAF_OUTBOUND_KINDS"
	// EnvResponseStreaming lists the front doors that invoke with response
	// streaming, so block responses are streamed to them.
	EnvResponseStreaming = "LAMBDAWAF_RESPONSE_STREAMING"
	// EnvLogLevel is the agent's own log level.
	EnvLogLevel = "LAMBDAWAF_LOG_LEVEL"
	// EnvSampleAllowed is the fraction of allowed events recorded.
	EnvSampleAllowed = "LAMBDAWAF_SAMPLE_ALLOWED"
	// EnvLogHeaders adds headers to the logged allowlist.
	EnvLogHeaders = "LAMBDAWAF_LOG_HEADERS"
	// EnvSensitiveNames adds names (comma-separated fragments, matched
	// case-insensitively) whose values never appear in any record.
	EnvSensitiveNames = "LAMBDAWAF_SENSITIVE_NAMES"
	// EnvWaitMs is how long the wrapper and the redirect package wait for
	// the agent's listener.
	EnvWaitMs = "LAMBDAWAF_WAIT_MS"
	// EnvFleetTable names the DynamoDB table holding the protection
	// group's shared state (global rate limits, flagged sources).
	EnvFleetTable = "LAMBDAWAF_FLEET_TABLE"
	// EnvFleetGroup is the protection group: the prefix of every key the
	// agent reads and writes in the table (IAM pins it with
	// dynamodb:LeadingKeys).
	EnvFleetGroup = "LAMBDAWAF_FLEET_GROUP"
	// EnvFleetLocalShare is the fraction of each global limit one
	// environment admits per window while the table cannot be reached.
	EnvFleetLocalShare = "LAMBDAWAF_FLEET_LOCAL_SHARE"
	// EnvExtensionsDir overrides ExtensionsDir, for emulators and tests.
	EnvExtensionsDir = "LAMBDAWAF_EXTENSIONS_DIR"
	// EnvBundleSource is where signed policy bundles are published:
	// s3://bucket/prefix. Unset, the agent runs the configuration baked
	// into the layer or function and polls nothing.
	EnvBundleSource = "LAMBDAWAF_BUNDLE_SOURCE"
	// EnvBundleKeys lists the Ed25519 public keys trusted to sign bundles
	// and pointers, "ed25519:<base64>" separated by commas; more than one
	// during a key rotation.
	EnvBundleKeys = "LAMBDAWAF_BUNDLE_KEYS"
	// EnvBundlePoll is the least time between two checks of the bundle
	// pointer (a Go duration); DefaultBundlePoll when unset.
	EnvBundlePoll = "LAMBDAWAF_BUNDLE_POLL"
	// EnvBundleEndpoint overrides the S3 endpoint (a local S3-compatible
	// server in tests and demos).
	EnvBundleEndpoint = "LAMBDAWAF_BUNDLE_ENDPOINT"
)

// Variables Lambda sets that the agent and the wiring read or set.
const (
	// EnvRuntimeAPI is the Runtime API address. The wrapper and the
	// redirect package point it at the agent; the function's configuration
	// cannot set it.
	EnvRuntimeAPI = "AWS_LAMBDA_RUNTIME_API"
	// EnvExecWrapper is the managed runtimes' exec wrapper.
	EnvExecWrapper = "AWS_LAMBDA_EXEC_WRAPPER"
	// EnvFunctionName and EnvFunctionVersion identify the function.
	EnvFunctionName    = "AWS_LAMBDA_FUNCTION_NAME"
	EnvFunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION"
	// EnvFunctionMemorySize is the function's memory in MB: the agent
	// shares it, and bounds its own memory limit by it.
	EnvFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
	// EnvMaxConcurrency is set in Lambda Managed Instances: several
	// invocations run at once in one environment.
	EnvMaxConcurrency = "AWS_LAMBDA_MAX_CONCURRENCY"
	// EnvRegion is the function's region.
	EnvRegion = "AWS_REGION"
	// EnvHandler and EnvTaskRoot are the handler name and the function's
	// code directory.
	EnvHandler  = "_HANDLER"
	EnvTaskRoot = "LAMBDA_TASK_ROOT"
)

// Variables through which Lambda (or a local stand-in) hands the agent its
// AWS credentials and service endpoints; agent/awsapi reads them.
const (
	// EnvDefaultRegion is the region where AWS_REGION is unset.
	EnvDefaultRegion = "AWS_DEFAULT_REGION"
	// EnvAccessKeyID, EnvSecretAccessKey and EnvSessionToken are the
	// execution role's temporary credentials.
	EnvAccessKeyID     = "AWS_ACCESS_KEY_ID"
	EnvSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	EnvSessionToken    = "AWS_SESSION_TOKEN"
	// EnvContainerCredentialsFullURI and EnvContainerAuthorizationToken
	// (or EnvContainerAuthorizationTokenFile) name an HTTP endpoint that
	// serves the role's credentials: how SnapStart functions get them, and
	// how `lambdawaf serve` hands them to local environments.
	EnvContainerCredentialsFullURI     = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	EnvContainerCredentialsRelativeURI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	EnvContainerAuthorizationToken     = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	EnvContainerAuthorizationTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	// EnvEndpointURL overrides every service's endpoint; a service's own
	// variable (EnvEndpointURL + "_" + its id, e.g. _DYNAMODB) wins over it.
	EnvEndpointURL = "AWS_ENDPOINT_URL"
	// EnvIgnoreConfiguredEndpointURLs, "true", makes the endpoint
	// variables ignored, as the AWS SDKs do.
	EnvIgnoreConfiguredEndpointURLs = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
)
