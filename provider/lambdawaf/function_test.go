package lambdawaf

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

const (
	fnType     = "aws:lambda/function:Function"
	layerType  = "aws:lambda/layerVersion:LayerVersion"
	policyType = "aws:iam/rolePolicy:RolePolicy"
	roleType   = "aws:iam/role:Role"
	logType    = "aws:cloudwatch/logGroup:LogGroup"
	secretType = "aws:secretsmanager/secret:Secret"
	versionTyp = "aws:secretsmanager/secretVersion:SecretVersion"
)

// newFunction runs a program with a shared agent and one protected
// function built from fn and waf.
func newFunction(t *testing.T, agentArgs AgentArgs, fn lambda.FunctionArgs, waf WafArgs) (*mocks, error) {
	t.Helper()
	return newFunctionThen(t, agentArgs, fn, waf, func(*pulumi.Context, *ProtectedFunction) {})
}

// newFunctionThen is newFunction with a look at the component.
func newFunctionThen(t *testing.T, agentArgs AgentArgs, fn lambda.FunctionArgs, waf WafArgs, then func(*pulumi.Context, *ProtectedFunction)) (*mocks, error) {
	t.Helper()
	x86, arm := layerZips(t)
	if agentArgs.LayerArnX86_64 == nil && agentArgs.LayerZipX86_64 == "" {
		agentArgs.LayerZipX86_64 = x86
	}
	if agentArgs.LayerArnArm64 == nil && agentArgs.LayerZipArm64 == "" {
		agentArgs.LayerZipArm64 = arm
	}
	if agentArgs.BootstrapLayerArn == nil && agentArgs.BootstrapLayerZip == "" {
		agentArgs.BootstrapLayerZip = bootstrapZip(t)
	}
	return run(t, func(ctx *pulumi.Context) error {
		agent, err := NewAgent(ctx, "waf", &agentArgs)
		if err != nil {
			return err
		}
		waf.Agent = agent
		f, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{Function: fn, Waf: waf})
		if err != nil {
			return err
		}
		then(ctx, f)
		return nil
	})
}

func TestLayerMatchesArchitecture(t *testing.T) {
	for _, tc := range []struct {
		name  string
		archs pulumi.StringArrayInput
		want  string
	}{
		{"default is x86_64", nil, ArchX86_64},
		{"x86_64", pulumi.ToStringArray([]string{"x86_64"}), ArchX86_64},
		{"arm64", pulumi.ToStringArray([]string{"arm64"}), ArchArm64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := newFunction(t, AgentArgs{}, lambda.FunctionArgs{
				Runtime:       pulumi.String("python3.12"),
				Handler:       pulumi.String("app.handler"),
				Code:          pulumi.NewFileArchive("testdata"),
				Architectures: tc.archs,
				Layers:        pulumi.ToStringArray([]string{"arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7"}),
			}, WafArgs{})
			if err != nil {
				t.Fatal(err)
			}
			fn := m.one(t, fnType, "orders")
			want := []string{
				"arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7",
				agentLayerArn("waf", tc.want),
			}
			if got := fn.strings("layers"); !slices.Equal(got, want) {
				t.Errorf("layers = %v, want %v", got, want)
			}
			// Each published layer declares exactly its own architecture.
			for _, arch := range []string{ArchX86_64, ArchArm64} {
				l := m.one(t, layerType, "waf-layer-"+arch)
				if got := l.strings("compatibleArchitectures"); !slices.Equal(got, []string{arch}) {
					t.Errorf("%s layer compatibleArchitectures = %v", arch, got)
				}
				if got := l.strings("compatibleRuntimes"); !slices.Contains(got, "provided.al2023") || !slices.Contains(got, "nodejs22.x") {
					t.Errorf("%s layer compatibleRuntimes = %v", arch, got)
				}
			}
		})
	}
}

func TestEnvironmentPerRuntimeFamily(t *testing.T) {
	secret := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + physicalNameFor("shop", "prod", "lambdawaf-waf-agent-key", 100) + "-AbCdEf"
	base := map[string]string{
		EnvMode:           "block",
		EnvFailurePolicy:  "open",
		EnvAgentKeySecret: secret,
		"TABLE":           "orders",
	}
	with := func(extra map[string]string) map[string]string {
		m := maps.Clone(base)
		maps.Copy(m, extra)
		return m
	}
	for _, tc := range []struct {
		runtime, handler string
		wiring           Wiring
		want             map[string]string
		wantWiring       Wiring
	}{
		{"nodejs22.x", "index.handler", "", with(map[string]string{EnvExecWrapper: WrapperPath}), WiringWrapper},
		{"python3.13", "app.handler", "", with(map[string]string{EnvExecWrapper: WrapperPath}), WiringWrapper},
		{"java21", "example.Handler::handleRequest", "", with(map[string]string{EnvExecWrapper: WrapperPath}), WiringWrapper},
		{"dotnet8", "Orders::Orders.Function::Handler", "", with(map[string]string{EnvExecWrapper: WrapperPath}), WiringWrapper},
		{"ruby3.3", "app.handler", "wrapper", with(map[string]string{EnvExecWrapper: WrapperPath}), WiringWrapper},
		{"provided.al2023", "bootstrap", "", base, WiringInProcess},
		{"provided.al2", "bootstrap", "inprocess", base, WiringInProcess},
		{"provided.al2023", "orders-rs", "", base, WiringBootstrap},
		{"provided.al2023", "orders-rs", "bootstrap", base, WiringBootstrap},
	} {
		t.Run(tc.runtime+"/"+tc.handler, func(t *testing.T) {
			var wiring atomicString
			m, err := newFunctionThen(t, AgentArgs{}, lambda.FunctionArgs{
				Runtime:     pulumi.String(tc.runtime),
				Handler:     pulumi.String(tc.handler),
				Code:        pulumi.NewFileArchive("testdata"),
				Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"TABLE": pulumi.String("orders")}},
			}, WafArgs{Settings: Settings{Wiring: tc.wiring}}, func(ctx *pulumi.Context, f *ProtectedFunction) {
				wiring.capture(ctx.Context(), f.Wiring)
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := wiring.get(); got != string(tc.wantWiring) {
				t.Errorf("wiring output = %q, want %q", got, tc.wantWiring)
			}
			if got := m.one(t, fnType, "orders").env(); !maps.Equal(got, tc.want) {
				t.Errorf("environment = %v\nwant          %v", got, tc.want)
			}
		})
	}
}

func TestSettingsReachEnvironment(t *testing.T) {
	m, err := newFunction(t, AgentArgs{Configuration: "mode: block\nrules: []\n", Firehose: &FirehoseArgs{}}, lambda.FunctionArgs{
		Runtime: pulumi.String("nodejs22.x"),
		Handler: pulumi.String("index.handler"),
		Code:    pulumi.NewFileArchive("testdata"),
	}, WafArgs{Settings: Settings{Mode: ModeOff, FailurePolicy: FailClosed, LogLevel: "DEBUG", Port: 9100,
		ResponseStreaming: []string{"function-url", "apigateway-rest"}}})
	if err != nil {
		t.Fatal(err)
	}
	env := m.one(t, fnType, "orders").env()
	stream := physicalNameFor("shop", "prod", "lambdawaf-waf", 64)
	for k, want := range map[string]string{
		EnvMode:           "off",
		EnvFailurePolicy:  "closed",
		EnvLogLevel:       "debug",
		EnvPort:           "9100",
		EnvConfig:         ConfigPath,
		EnvFirehoseStream: stream,
		EnvExecWrapper:    WrapperPath,

		EnvResponseStreaming: "function-url,apigateway-rest",
	} {
		if env[k] != want {
			t.Errorf("%s = %q, want %q", k, env[k], want)
		}
	}
	// The configuration layer follows the agent layer.
	layers := m.one(t, fnType, "orders").strings("layers")
	if len(layers) != 2 || layers[1] != layerArn(physicalNameFor("shop", "prod", "lambdawaf-waf-config", 140)) {
		t.Errorf("layers = %v, want the agent layer then the configuration layer", layers)
	}
	cfg := m.one(t, layerType, "waf-config")
	if got := cfg.strings("compatibleArchitectures"); !slices.Equal(got, []string{ArchX86_64, ArchArm64}) {
		t.Errorf("configuration layer architectures = %v", got)
	}
}

func TestLogGroupRetentionAndDependency(t *testing.T) {
	m, err := newFunction(t, AgentArgs{LogRetentionInDays: 14}, lambda.FunctionArgs{
		Runtime: pulumi.String("python3.12"),
		Handler: pulumi.String("app.handler"),
		Code:    pulumi.NewFileArchive("testdata"),
		Name:    pulumi.String("orders-api"),
	}, WafArgs{})
	if err != nil {
		t.Fatal(err)
	}
	lg := m.one(t, logType, "orders")
	if got := lg.str(t, "name"); got != "/aws/lambda/orders-api" {
		t.Errorf("log group name = %q", got)
	}
	if got := plain(lg.inputs)["retentionInDays"]; got != 14.0 {
		t.Errorf("retention = %v, want 14", got)
	}
	fn := m.one(t, fnType, "orders")
	logging := plain(fn.inputs)["loggingConfig"].(map[string]any)
	if logging["logFormat"] != "JSON" || logging["logGroup"] != "/aws/lambda/orders-api" {
		t.Errorf("loggingConfig = %v", logging)
	}
	if !slices.Contains(fn.deps, lg.urn) {
		t.Errorf("function depends on %v, not on its log group %s", fn.deps, lg.urn)
	}
	filter := plain(m.one(t, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "orders-agent-errors").inputs)
	mt, _ := filter["metricTransformation"].(map[string]any)
	if filter["logGroupName"] != "/aws/lambda/orders-api" || filter["pattern"] != telemetry.AgentErrorPattern ||
		mt["namespace"] != telemetry.Namespace || mt["name"] != telemetry.MetricAgentErrors || mt["value"] != "1" {
		t.Errorf("agent error metric filter = %v", filter)
	}
	policy := m.one(t, policyType, "orders-lambdawaf")
	if !slices.Contains(fn.deps, policy.urn) {
		t.Errorf("function does not depend on its role policy")
	}
	// The default function name is stable and derived from the component.
	m2, err := newFunction(t, AgentArgs{}, lambda.FunctionArgs{
		Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata"),
	}, WafArgs{})
	if err != nil {
		t.Fatal(err)
	}
	name := m2.one(t, fnType, "orders").str(t, "name")
	if name != physicalNameFor("shop", "prod", "orders", 64) || !strings.HasPrefix(name, "orders-") {
		t.Errorf("default function name = %q", name)
	}
	if got := m2.one(t, logType, "orders").str(t, "name"); got != "/aws/lambda/"+name {
		t.Errorf("log group %q does not match function %q", got, name)
	}
	if got := plain(m2.one(t, logType, "orders").inputs)["retentionInDays"]; got != float64(DefaultLogRetentionInDays) {
		t.Errorf("default retention = %v", got)
	}
}

func TestUserLayersAndEnvironmentKept(t *testing.T) {
	user := []string{
		"arn:aws:lambda:eu-west-1:123456789012:layer:deps:3",
		"arn:aws:lambda:eu-west-1:580247275435:layer:LambdaInsightsExtension:53",
	}
	m, err := newFunction(t, AgentArgs{}, lambda.FunctionArgs{
		Runtime: pulumi.String("nodejs22.x"),
		Handler: pulumi.String("index.handler"),
		Code:    pulumi.NewFileArchive("testdata"),
		Layers:  pulumi.ToStringArray(user),
		Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
			"NODE_OPTIONS": pulumi.String("--enable-source-maps"),
			"API_TOKEN":    pulumi.ToSecret(pulumi.String("s3cr3t")).(pulumi.StringOutput),
		}},
	}, WafArgs{})
	if err != nil {
		t.Fatal(err)
	}
	fn := m.one(t, fnType, "orders")
	if got := fn.strings("layers"); !slices.Equal(got, append(slices.Clone(user), agentLayerArn("waf", ArchX86_64))) {
		t.Errorf("layers = %v", got)
	}
	env := fn.env()
	if env["NODE_OPTIONS"] != "--enable-source-maps" || env["API_TOKEN"] != "s3cr3t" {
		t.Errorf("user variables lost: %v", env)
	}
	// A secret user variable keeps the environment secret.
	if !fn.inputs["environment"].ContainsSecrets() {
		t.Errorf("environment with a secret variable is no longer secret")
	}
}

func TestRolePolicyIsLeastPrivilege(t *testing.T) {
	cmk := "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, tc := range []struct {
		name     string
		agent    AgentArgs
		cmk      bool
		firehose bool
	}{
		{"AWS-managed key, no Firehose", AgentArgs{}, false, false},
		{"created CMK", AgentArgs{CreateKmsKey: true}, true, false},
		{"given CMK and Firehose", AgentArgs{KmsKeyArn: pulumi.String(cmk), Firehose: &FirehoseArgs{}}, true, true},
		{"Firehose only", AgentArgs{Firehose: &FirehoseArgs{}}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := newFunction(t, tc.agent, lambda.FunctionArgs{
				Runtime: pulumi.String("python3.12"),
				Handler: pulumi.String("app.handler"),
				Code:    pulumi.NewFileArchive("testdata"),
				Name:    pulumi.String("orders-api"),
			}, WafArgs{})
			if err != nil {
				t.Fatal(err)
			}
			secret := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + physicalNameFor("shop", "prod", "lambdawaf-waf-agent-key", 100) + "-AbCdEf"
			want := PolicyDocument{Version: "2012-10-17", Statement: []PolicyStatement{
				{Sid: "WriteFunctionLogs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
					Resource: []string{"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders-api:*"}},
				{Sid: "ReadAgentKey", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{secret}},
			}}
			if tc.cmk {
				want.Statement = append(want.Statement, PolicyStatement{
					Sid: "DecryptAgentKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{cmk},
					Condition: map[string]map[string]string{"StringEquals": {
						"kms:ViaService":                  "secretsmanager.eu-west-1.amazonaws.com",
						"kms:EncryptionContext:SecretARN": secret,
					}},
				})
			}
			if tc.firehose {
				want.Statement = append(want.Statement, PolicyStatement{
					Sid: "ShipDecisionRecords", Effect: "Allow", Action: []string{"firehose:PutRecordBatch"},
					Resource: []string{"arn:aws:firehose:eu-west-1:123456789012:deliverystream/" + physicalNameFor("shop", "prod", "lambdawaf-waf", 64)},
				})
			}
			got := m.one(t, policyType, "orders-lambdawaf").policy(t)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("policy =\n%+v\nwant\n%+v", got, want)
			}
			// Exactly one inline policy and no managed policy on the role.
			if n := len(m.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment")); n != 0 {
				t.Errorf("%d managed policies attached", n)
			}
			role := m.one(t, roleType, "orders")
			var trust PolicyDocument
			if err := jsonUnmarshal(role.str(t, "assumeRolePolicy"), &trust); err != nil {
				t.Fatal(err)
			}
			if len(trust.Statement) != 1 || trust.Statement[0].Principal["Service"] != "lambda.amazonaws.com" ||
				!slices.Equal(trust.Statement[0].Action, []string{"sts:AssumeRole"}) {
				t.Errorf("trust policy = %+v", trust)
			}
			// The secret is encrypted with the CMK when there is one.
			s := m.one(t, secretType, "waf-agent-key")
			if got, _ := plain(s.inputs)["kmsKeyId"].(string); (got == cmk) != tc.cmk {
				t.Errorf("secret kmsKeyId = %q (cmk expected: %v)", got, tc.cmk)
			}
		})
	}
}

func TestFunctionRoleExtras(t *testing.T) {
	m, err := newFunction(t, AgentArgs{}, lambda.FunctionArgs{
		Runtime:          pulumi.String("python3.12"),
		Handler:          pulumi.String("app.handler"),
		Code:             pulumi.NewFileArchive("testdata"),
		Name:             pulumi.String("orders-api"),
		VpcConfig:        lambda.FunctionVpcConfigArgs{SubnetIds: pulumi.ToStringArray([]string{"subnet-1"}), SecurityGroupIds: pulumi.ToStringArray([]string{"sg-1"})},
		TracingConfig:    lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		DeadLetterConfig: lambda.FunctionDeadLetterConfigArgs{TargetArn: pulumi.String("arn:aws:sqs:eu-west-1:123456789012:orders-dlq")},
	}, WafArgs{})
	if err != nil {
		t.Fatal(err)
	}
	doc := m.one(t, policyType, "orders-lambdawaf").policy(t)
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s.Sid)
		if s.Sid == "SendToDeadLetterTarget" && (!slices.Equal(s.Action, []string{"sqs:SendMessage"}) || s.Resource[0] != "arn:aws:sqs:eu-west-1:123456789012:orders-dlq") {
			t.Errorf("dead-letter statement = %+v", s)
		}
	}
	if want := []string{"WriteFunctionLogs", "ReadAgentKey", "AttachToVpc", "WriteTraces", "SendToDeadLetterTarget"}; !slices.Equal(sids, want) {
		t.Errorf("statements = %v, want %v", sids, want)
	}
}

func TestFunctionOwnPermissions(t *testing.T) {
	x86, arm := layerZips(t)
	dynamo := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]}]}`
	m := mustRun(t, func(ctx *pulumi.Context) error {
		a, err := NewAgent(ctx, "waf", &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm})
		if err != nil {
			return err
		}
		_, err = NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
			Function:   lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata")},
			Waf:        WafArgs{Agent: a},
			PolicyArns: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
			Policy:     pulumi.String(dynamo),
		})
		return err
	})
	if got := m.one(t, policyType, "orders-function").str(t, "policy"); got != dynamo {
		t.Errorf("function policy = %s", got)
	}
	att := m.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
	if len(att) != 1 || att[0].str(t, "policyArn") != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" || att[0].str(t, "role") != "orders-1a2b3c4" {
		t.Errorf("attachments = %+v", att)
	}
	fn := m.one(t, fnType, "orders")
	for _, r := range append(att, m.one(t, policyType, "orders-function")) {
		if !slices.Contains(fn.deps, r.urn) {
			t.Errorf("function does not wait for %s", r.name)
		}
	}
	// With a role of its own, the component refuses to pretend it grants.
	_, err := run(t, func(ctx *pulumi.Context) error {
		_, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
			Function: lambda.FunctionArgs{
				Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata"),
				Role: pulumi.String("arn:aws:iam::123456789012:role/r"),
			},
			Waf:        WafArgs{AgentRef: &AgentRef{LayerArnX86_64: pulumi.String(refX86), AgentKeySecretArn: pulumi.String(refSecret)}},
			PolicyArns: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
		})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "GrantAgentAccess") {
		t.Errorf("error = %v, want a pointer to GrantAgentAccess", err)
	}
}

func TestExistingLogGroupIsUsedNotCreated(t *testing.T) {
	x86, arm := layerZips(t)
	program := func(args ProtectedFunctionArgs) func(*pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			agent, err := NewAgent(ctx, "waf", &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm, BootstrapLayerZip: bootstrapZip(t)})
			if err != nil {
				return err
			}
			args.Waf.Agent = agent
			_, err = NewProtectedFunction(ctx, "orders", &args)
			return err
		}
	}
	fn := lambda.FunctionArgs{
		Name: pulumi.String("orders-api"), Runtime: pulumi.String("python3.12"),
		Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata"),
	}
	m := mustRun(t, program(ProtectedFunctionArgs{Function: fn, LogGroup: LogGroupExisting}))
	if groups := m.names(logType); len(groups) != 0 {
		t.Fatalf("log groups %v created; the existing one must be used (creating it fails with ResourceAlreadyExists)", groups)
	}
	f := m.one(t, fnType, "orders")
	logging := plain(f.inputs)["loggingConfig"].(map[string]any)
	if logging["logGroup"] != "/aws/lambda/orders-api" || logging["logFormat"] != "JSON" {
		t.Errorf("loggingConfig = %v", logging)
	}
	filter := plain(m.one(t, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "orders-agent-errors").inputs)
	if filter["logGroupName"] != "/aws/lambda/orders-api" {
		t.Errorf("agent error metric filter on %v", filter["logGroupName"])
	}
	// The role may write to the existing group, by its exact ARN.
	want := "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/orders-api"
	doc := m.one(t, policyType, "orders-lambdawaf").policy(t)
	found := false
	for _, st := range doc.Statement {
		for _, r := range st.Resource {
			found = found || strings.HasPrefix(r, want)
		}
	}
	if !found {
		t.Errorf("role policy %+v grants nothing on %s", doc, want)
	}

	for _, tc := range []struct {
		name string
		args ProtectedFunctionArgs
		want string
	}{
		{"retention on a group the component does not own", ProtectedFunctionArgs{Function: fn, LogGroup: LogGroupExisting, LogRetentionInDays: 7}, "set the retention on that group"},
		{"unknown mode", ProtectedFunctionArgs{Function: fn, LogGroup: "adopt"}, `unknown LogGroup "adopt"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := run(t, program(tc.args)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestBootstrapLayerOnlyForOSOnlyFunctionsWithoutRedirect(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fn        lambda.FunctionArgs
		bootstrap bool
	}{
		{"Rust binary named by the handler on provided.al2023", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("orders-rs")}, true},
		{"Go binary named bootstrap redirects in process", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap")}, false},
		{"Node.js on the exec wrapper", lambda.FunctionArgs{Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn.Code = pulumi.NewFileArchive("testdata")
			m, err := newFunction(t, AgentArgs{}, tc.fn, WafArgs{})
			if err != nil {
				t.Fatal(err)
			}
			bootstrap := layerArn(m.one(t, layerType, "waf-bootstrap").str(t, "layerName"))
			layers := m.one(t, fnType, "orders").strings("layers")
			if got := slices.Contains(layers, bootstrap); got != tc.bootstrap {
				t.Errorf("layers %v: bootstrap layer present = %v, want %v", layers, got, tc.bootstrap)
			}
			if tc.bootstrap && layers[len(layers)-1] != bootstrap {
				t.Errorf("layers %v: the bootstrap layer must come last so its /opt/bootstrap wins", layers)
			}
		})
	}
}
