package lambdawaf

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// Literal ARNs, as an existing stack would get them from a StackReference
// to the infra stack.
const (
	refX86    = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-x86_64:12"
	refArm    = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-arm64:12"
	refConfig = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-config:3"
	refBoot   = "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-bootstrap:2"
	refSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf/agent-key-Xy12Ab"
	refStream = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/lambdawaf-decisions"
	refKey    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
)

func infraRef() AgentRef {
	return AgentRef{
		LayerArnX86_64:    pulumi.String(refX86),
		LayerArnArm64:     pulumi.String(refArm),
		BootstrapLayerArn: pulumi.String(refBoot),
		AgentKeySecretArn: pulumi.String(refSecret),
	}
}

func userLayers(n int) []string {
	var l []string
	for i := range n {
		l = append(l, fmt.Sprintf("arn:aws:lambda:eu-west-1:123456789012:layer:user-%d:1", i))
	}
	return l
}

// protectAndDeploy protects args with opts and registers the function, as
// an existing program would after calling Protect.
func protectAndDeploy(t *testing.T, args lambda.FunctionArgs, opts ProtectOptions) (*mocks, error, error) {
	t.Helper()
	var protectErr error
	m, err := run(t, func(ctx *pulumi.Context) error {
		if args.Role == nil {
			args.Role = pulumi.String("arn:aws:iam::123456789012:role/legacy")
		}
		if args.Code == nil && args.ImageUri == nil {
			args.Code = pulumi.NewFileArchive("testdata")
		}
		if protectErr = Protect(ctx.Context(), &args, opts); protectErr != nil {
			return nil
		}
		_, err := lambda.NewFunction(ctx, "legacy", &args)
		return err
	})
	return m, protectErr, err
}

func TestProtectExistingFunctionArgs(t *testing.T) {
	wrapper := map[string]string{EnvExecWrapper: WrapperPath}
	for _, tc := range []struct {
		name    string
		args    lambda.FunctionArgs
		opts    func(*ProtectOptions)
		layers  []string
		env     map[string]string // expected beyond the agent's own
		noAgent []string          // agent variables that must be absent
	}{
		{
			name: "node API on x86_64 with its layers and variables",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("nodejs20.x"), Handler: pulumi.String("dist/api.handler"),
				Layers: pulumi.ToStringArray(userLayers(2)),
				Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
					"NODE_OPTIONS": pulumi.String("--enable-source-maps"), "TABLE_NAME": pulumi.String("orders"),
				}},
			},
			layers: append(userLayers(2), refX86),
			env:    merge(wrapper, map[string]string{"NODE_OPTIONS": "--enable-source-maps", "TABLE_NAME": "orders"}),
		},
		{
			name: "python worker on arm64",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("python3.12"), Handler: pulumi.String("worker.handle"),
				Architectures: pulumi.ToStringArray([]string{"arm64"}),
				Layers:        pulumi.ToStringArray([]string{"arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:7"}),
			},
			layers: []string{"arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:7", refArm},
			env:    wrapper,
		},
		{
			name: "Go on provided.al2023 arm64 redirects in process",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap"),
				Architectures: pulumi.ToStringArray([]string{"arm64"}),
				Environment:   lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"LOG_LEVEL": pulumi.String("debug")}},
			},
			layers:  []string{refArm},
			env:     map[string]string{"LOG_LEVEL": "debug"},
			noAgent: []string{EnvExecWrapper},
		},
		{
			name: "Rust on provided.al2 x86_64 through /opt/bootstrap from the bootstrap layer, last",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("provided.al2"), Handler: pulumi.String("orders-service"),
				Architectures: pulumi.ToStringArray([]string{"x86_64"}),
				Layers:        pulumi.ToStringArray([]string{refBoot, "arn:aws:lambda:eu-west-1:123456789012:layer:rust-runtime:4"}),
			},
			layers:  []string{"arn:aws:lambda:eu-west-1:123456789012:layer:rust-runtime:4", refX86, refBoot},
			noAgent: []string{EnvExecWrapper},
		},
		{
			name: "java with four layers and the configuration layer fills five",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("java21"), Handler: pulumi.String("shop.Handler::handleRequest"),
				Layers: pulumi.ToStringArray(userLayers(3)),
			},
			opts:   func(o *ProtectOptions) { o.Agent.ConfigLayerArn = pulumi.String(refConfig) },
			layers: append(userLayers(3), refX86, refConfig),
			env:    merge(wrapper, map[string]string{EnvConfig: ConfigPath}),
		},
		{
			name: "already protected: same settings, no duplicate layer",
			args: lambda.FunctionArgs{
				Runtime: pulumi.String("ruby3.3"), Handler: pulumi.String("app.handler"),
				Layers: pulumi.ToStringArray([]string{refX86}),
				Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
					EnvExecWrapper: pulumi.String(WrapperPath), EnvMode: pulumi.String("log"),
				}},
			},
			layers: []string{refX86},
			env:    merge(wrapper, map[string]string{EnvMode: "log"}),
		},
		{
			name: "firehose and settings",
			args: lambda.FunctionArgs{Runtime: pulumi.String("dotnet8"), Handler: pulumi.String("Shop::Shop.Fn::Handle")},
			opts: func(o *ProtectOptions) {
				o.Agent.FirehoseStreamArn = pulumi.String(refStream)
				o.Settings = Settings{Mode: ModeOff, FailurePolicy: FailClosed, Port: 9010, LogLevel: "warn"}
			},
			layers: []string{refX86},
			env: merge(wrapper, map[string]string{
				EnvFirehoseStream: "lambdawaf-decisions", EnvMode: "off", EnvFailurePolicy: "closed", EnvPort: "9010", EnvLogLevel: "warn",
			}),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := ProtectOptions{Agent: infraRef()}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			m, perr, err := protectAndDeploy(t, tc.args, opts)
			if perr != nil || err != nil {
				t.Fatalf("Protect: %v; program: %v", perr, err)
			}
			fn := m.one(t, fnType, "legacy")
			if got := fn.strings("layers"); !slices.Equal(got, tc.layers) {
				t.Errorf("layers = %v\nwant     %v", got, tc.layers)
			}
			want := merge(map[string]string{EnvMode: "block", EnvFailurePolicy: "open", EnvAgentKeySecret: refSecret}, tc.env)
			for _, k := range tc.noAgent {
				delete(want, k)
			}
			if got := fn.env(); !maps.Equal(got, want) {
				t.Errorf("environment = %v\nwant          %v", got, want)
			}
			if got := fn.str(t, "role"); got != "arn:aws:iam::123456789012:role/legacy" {
				t.Errorf("role changed to %q", got)
			}
		})
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

func TestProtectRefuses(t *testing.T) {
	big := strings.Repeat("x", 4000)
	for _, tc := range []struct {
		name string
		args lambda.FunctionArgs
		opts func(*ProtectOptions)
		want string // in the error
	}{
		{"container image", lambda.FunctionArgs{PackageType: pulumi.String("Image"), ImageUri: pulumi.String("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1")}, nil, "container image"},
		{"no runtime", lambda.FunctionArgs{Handler: pulumi.String("index.handler")}, nil, "runtime is required"},
		{"unknown runtime", lambda.FunctionArgs{Runtime: pulumi.String("deno1"), Handler: pulumi.String("x")}, nil, `runtime "deno1" is not supported`},
		{"retired go1.x", lambda.FunctionArgs{Runtime: pulumi.String("go1.x"), Handler: pulumi.String("main")}, nil, "go1.x is retired"},
		{"unknown streaming front door", lambda.FunctionArgs{Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler")},
			func(o *ProtectOptions) { o.ResponseStreaming = []string{"alb"} }, `response streaming "alb"`},
		{"wrapper on provided", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap")},
			func(o *ProtectOptions) { o.Wiring = WiringWrapper }, "ignore AWS_LAMBDA_EXEC_WRAPPER"},
		{"inprocess on python", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")},
			func(o *ProtectOptions) { o.Wiring = WiringInProcess }, "wiring inprocess is for Go"},
		{"bootstrap on node", lambda.FunctionArgs{Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler")},
			func(o *ProtectOptions) { o.Wiring = WiringBootstrap }, "never run /opt/bootstrap"},
		{"bootstrap wiring and an agent without a bootstrap layer", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("orders-rs")},
			func(o *ProtectOptions) { o.Agent.BootstrapLayerArn = nil }, "needs the bootstrap layer"},
		{"bootstrap wiring with a binary named bootstrap", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap")},
			func(o *ProtectOptions) { o.Wiring = WiringBootstrap }, "bypass the agent"},
		{"unknown wiring", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")},
			func(o *ProtectOptions) { o.Wiring = "magic" }, "unknown wiring"},
		{"conflicting exec wrapper", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{EnvExecWrapper: pulumi.String("/opt/otel-instrument")}}}, nil, "only one exec wrapper"},
		{"conflicting mode", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{EnvMode: pulumi.String("off")}}},
			func(o *ProtectOptions) { o.Mode = ModeBlock }, "set it in one place"},
		{"reserved variables", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"AWS_REGION": pulumi.String("eu-west-1"), "TZ": pulumi.String("UTC"), "OK": pulumi.String("1")}}},
			nil, "environment sets AWS_REGION, TZ, reserved by Lambda"},
		{"runtime API redirect by hand", lambda.FunctionArgs{Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"AWS_LAMBDA_RUNTIME_API": pulumi.String("127.0.0.1:9009")}}},
			nil, "AWS_LAMBDA_RUNTIME_API, reserved by Lambda"},
		{"invalid variable name", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"1ST": pulumi.String("x")}}}, nil, `name "1ST" is invalid`},
		{"over 4 KB of variables", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"BLOB": pulumi.String(big)}}}, nil, "over Lambda's limit of 4096"},
		{"five layers of its own", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Layers: pulumi.ToStringArray(userLayers(5))}, nil, "6 layers with the agent's, over Lambda's limit of 5"},
		{"four layers and a configuration layer", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Layers: pulumi.ToStringArray(userLayers(4))}, func(o *ProtectOptions) { o.ConfigLayerArn = pulumi.String(refConfig) }, "6 layers"},
		{"arm64 without an arm64 layer", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Architectures: pulumi.ToStringArray([]string{"arm64"})}, func(o *ProtectOptions) { o.Agent.LayerArnArm64 = nil }, "no arm64 layer"},
		{"two architectures", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Architectures: pulumi.ToStringArray([]string{"x86_64", "arm64"})}, nil, "exactly one architecture"},
		{"unknown architecture", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Architectures: pulumi.ToStringArray([]string{"riscv64"})}, nil, `unknown architecture "riscv64"`},
		{"unknown mode", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")},
			func(o *ProtectOptions) { o.Mode = "monitor" }, `unknown mode "monitor"`},
		{"no secret", lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")},
			func(o *ProtectOptions) { o.Agent.AgentKeySecretArn = nil }, "secret ARN is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := ProtectOptions{Agent: infraRef()}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			m, perr, err := protectAndDeploy(t, tc.args, opts)
			if err != nil {
				t.Fatalf("program: %v", err)
			}
			if perr == nil || !strings.Contains(perr.Error(), tc.want) {
				t.Fatalf("Protect error = %v, want one containing %q", perr, tc.want)
			}
			if n := len(m.all(fnType)); n != 0 {
				t.Errorf("%d functions deployed after a refusal", n)
			}
		})
	}
}

// TestEnvironmentLimitIsExact puts the environment at exactly 4 KB with
// the agent's variables, then one byte over. The agent's secret ARN is
// not awaited by Protect, so one byte over is caught when the ARN
// resolves: the update fails.
func TestEnvironmentLimitIsExact(t *testing.T) {
	agentVars := map[string]string{EnvMode: "block", EnvFailurePolicy: "open", EnvAgentKeySecret: refSecret, EnvExecWrapper: WrapperPath}
	room := maxEnvironmentSize - environmentSize(agentVars) - len("PAYLOAD")
	for _, extra := range []int{0, 1} {
		m, perr, err := protectAndDeploy(t, lambda.FunctionArgs{
			Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"PAYLOAD": pulumi.String(strings.Repeat("a", room+extra))}},
		}, ProtectOptions{Agent: infraRef()})
		if perr != nil {
			t.Fatalf("with %d bytes over: Protect: %v", extra, perr)
		}
		if extra == 0 {
			if err != nil {
				t.Errorf("exactly 4 KB refused: %v", err)
			} else if n := environmentSize(m.one(t, fnType, "legacy").env()); n != maxEnvironmentSize {
				t.Errorf("environment is %d bytes, want exactly %d", n, maxEnvironmentSize)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "4097 bytes") {
			t.Errorf("one byte over: program error = %v", err)
		}
		if n := len(m.all(fnType)); n != 0 {
			t.Errorf("function deployed over the limit")
		}
	}
}

// TestLayerOfOtherArchitectureRefused covers a check made only when layer
// ARNs resolve: it fails the update rather than Protect.
func TestLayerOfOtherArchitectureRefused(t *testing.T) {
	_, perr, err := protectAndDeploy(t, lambda.FunctionArgs{
		Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
		Architectures: pulumi.ToStringArray([]string{"arm64"}),
		Layers:        pulumi.ToStringArray([]string{refX86}),
	}, ProtectOptions{Agent: infraRef()})
	if perr != nil {
		t.Fatalf("Protect: %v", perr)
	}
	if err == nil || !strings.Contains(err.Error(), "exec format error") {
		t.Fatalf("program error = %v, want the architecture mismatch", err)
	}
}

// TestUnknownValuesDeferChecks: during a preview, values that depend on
// resources not created yet are unknown; Protect must not guess.
func TestUnknownValuesDeferChecks(t *testing.T) {
	mustRun(t, func(ctx *pulumi.Context) error {
		unknown := pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) string { return "" }).(pulumi.StringOutput)
		args := lambda.FunctionArgs{
			Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
			Environment: lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"QUEUE_URL": unknown}},
		}
		if err := Protect(ctx.Context(), &args, ProtectOptions{Agent: infraRef()}); err != nil {
			t.Errorf("Protect with an unknown variable: %v", err)
		}
		args.Runtime = unknown.ToStringPtrOutput()
		if err := Protect(ctx.Context(), &args, ProtectOptions{Agent: infraRef()}); err != nil {
			t.Errorf("Protect with an unknown runtime: %v", err)
		}
		return nil
	})
}

func TestProtectDoesNotTouchOtherArguments(t *testing.T) {
	m, perr, err := protectAndDeploy(t, lambda.FunctionArgs{
		Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler"),
		MemorySize: pulumi.Int(1024), Timeout: pulumi.Int(15), Description: pulumi.String("orders API"),
		Tags: pulumi.StringMap{"team": pulumi.String("shop")},
	}, ProtectOptions{Agent: infraRef()})
	if perr != nil || err != nil {
		t.Fatal(perr, err)
	}
	in := plain(m.one(t, fnType, "legacy").inputs)
	if in["memorySize"] != 1024.0 || in["timeout"] != 15.0 || in["description"] != "orders API" || in["handler"] != "index.handler" {
		t.Errorf("function arguments changed: %v", in)
	}
}

func TestSecretNeverInPlainOutputs(t *testing.T) {
	x86, arm := layerZips(t)
	var outputs []pulumi.StringPtrOutput
	var secretArn atomicString
	var agentOutputs []string
	m := mustRun(t, func(ctx *pulumi.Context) error {
		a, err := NewAgent(ctx, "waf", &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm, CreateKmsKey: true, Firehose: &FirehoseArgs{}})
		if err != nil {
			return err
		}
		f, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
			Function: lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata")},
			Waf:      WafArgs{Agent: a},
		})
		if err != nil {
			return err
		}
		outputs = []pulumi.StringPtrOutput{a.LayerArnX86_64, a.LayerArnArm64, a.ConfigLayerArn, a.KmsKeyArn, a.FirehoseStreamArn,
			a.AgentKeySecretArn.ToStringPtrOutput(), f.FunctionArn.ToStringPtrOutput(), f.FunctionName.ToStringPtrOutput(),
			f.RoleArn.ToStringPtrOutput(), f.LayerArn.ToStringPtrOutput(), f.LogGroupName.ToStringPtrOutput(), f.Wiring.ToStringPtrOutput()}
		for _, o := range outputs {
			var s atomicString
			s.capture(ctx.Context(), o.Elem())
			agentOutputs = append(agentOutputs, s.get())
		}
		secretArn.capture(ctx.Context(), a.AgentKeySecretArn)
		return nil
	})
	versions := m.all(versionTyp)
	if len(versions) != 1 {
		t.Fatalf("%d secret versions", len(versions))
	}
	v := versions[0]
	value := v.inputs["secretString"]
	if !value.IsSecret() {
		t.Fatalf("secretString is not a secret: %v", value)
	}
	key := value.SecretValue().Element.StringValue()
	if len(key) != 43 {
		t.Errorf("agent key has %d characters, want 43 (32 random bytes, base64url)", len(key))
	}
	if !slices.Contains(v.ignore, "secretString") {
		t.Errorf("secret version ignoreChanges = %v: a new key would be generated on every update", v.ignore)
	}
	if !slices.Contains(v.secrets, "secretString") {
		t.Errorf("secret version additionalSecretOutputs = %v", v.secrets)
	}
	// The key appears nowhere else: not in any other resource's inputs,
	// not in the function's environment, not in any component output.
	for _, r := range m.resources() {
		if r.typ == versionTyp {
			continue
		}
		b, _ := json.Marshal(plain(r.inputs))
		if strings.Contains(string(b), key) {
			t.Errorf("%s %s carries the agent key", r.typ, r.name)
		}
	}
	for _, o := range agentOutputs {
		if strings.Contains(o, key) {
			t.Errorf("component output %q carries the agent key", o)
		}
	}
	if !strings.HasPrefix(secretArn.get(), "arn:aws:secretsmanager:") {
		t.Errorf("agentKeySecretArn = %q", secretArn.get())
	}
}

func TestTransformProtectsFunctions(t *testing.T) {
	m, err := run(t, func(ctx *pulumi.Context) error {
		transform := ProtectTransform(ctx, ProtectOptions{Agent: infraRef()})
		props := pulumi.Map{
			"runtime":       pulumi.String("python3.12"),
			"handler":       pulumi.String("app.handler"),
			"role":          pulumi.String("arn:aws:iam::123456789012:role/legacy"),
			"architectures": pulumi.Array{pulumi.String("arm64")},
			"layers":        pulumi.Array{pulumi.String(userLayers(1)[0])},
			"environment":   pulumi.Map{"variables": pulumi.Map{"TABLE": pulumi.String("orders")}},
			"code":          pulumi.NewFileArchive("testdata"),
		}
		res := transform(ctx.Context(), &pulumi.ResourceTransformArgs{Custom: true, Type: FunctionType, Name: "legacy", Props: props})
		if res == nil {
			t.Fatal("function not transformed")
		}
		var fn pulumi.CustomResourceState
		if err := ctx.RegisterResource(FunctionType, "legacy", res.Props, &fn); err != nil {
			return err
		}
		// Not a function, or a function that already carries the agent:
		// left alone.
		if transform(ctx.Context(), &pulumi.ResourceTransformArgs{Custom: true, Type: "aws:sqs/queue:Queue", Props: pulumi.Map{}}) != nil {
			t.Error("queue transformed")
		}
		done := pulumi.Map{"runtime": pulumi.String("python3.12"), "environment": pulumi.Map{"variables": pulumi.Map{EnvAgentKeySecret: pulumi.String(refSecret)}}}
		if transform(ctx.Context(), &pulumi.ResourceTransformArgs{Custom: true, Type: FunctionType, Props: done}) != nil {
			t.Error("protected function transformed again")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fn := m.one(t, fnType, "legacy")
	if got, want := fn.strings("layers"), []string{userLayers(1)[0], refArm}; !slices.Equal(got, want) {
		t.Errorf("layers = %v, want %v", got, want)
	}
	want := map[string]string{"TABLE": "orders", EnvMode: "block", EnvFailurePolicy: "open", EnvAgentKeySecret: refSecret, EnvExecWrapper: WrapperPath}
	if got := fn.env(); !maps.Equal(got, want) {
		t.Errorf("environment = %v, want %v", got, want)
	}
}

func TestTransformFailsUnprotectableFunction(t *testing.T) {
	m, err := run(t, func(ctx *pulumi.Context) error {
		transform := ProtectTransform(ctx, ProtectOptions{Agent: infraRef()})
		props := pulumi.Map{
			"runtime": pulumi.String("provided.al2023"), "handler": pulumi.String("bootstrap"),
			"role":        pulumi.String("arn:aws:iam::123456789012:role/legacy"),
			"environment": pulumi.Map{"variables": pulumi.Map{"AWS_REGION": pulumi.String("eu-west-1")}},
		}
		res := transform(ctx.Context(), &pulumi.ResourceTransformArgs{Custom: true, Type: FunctionType, Name: "legacy", Props: props})
		if res == nil {
			t.Fatal("an unprotectable function was passed through unchanged")
		}
		var fn pulumi.CustomResourceState
		return ctx.RegisterResource(FunctionType, "legacy", res.Props, &fn)
	})
	if err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("program error = %v, want the reserved variable", err)
	}
	if n := len(m.all(fnType)); n != 0 {
		t.Errorf("unprotectable function deployed")
	}
}

func TestGrantAgentAccess(t *testing.T) {
	m := mustRun(t, func(ctx *pulumi.Context) error {
		ref := infraRef()
		ref.KmsKeyArn = pulumi.String(refKey)
		ref.FirehoseStreamArn = pulumi.String(refStream)
		_, err := GrantAgentAccess(ctx, "legacy", pulumi.String("arn:aws:iam::123456789012:role/service-role/legacy-role-x1"), ref)
		return err
	})
	p := m.one(t, policyType, "legacy-lambdawaf")
	if got := p.str(t, "role"); got != "legacy-role-x1" {
		t.Errorf("role = %q, want the role name", got)
	}
	doc := p.policy(t)
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s.Sid)
	}
	if want := []string{"ReadAgentKey", "DecryptAgentKey", "ShipDecisionRecords"}; !slices.Equal(sids, want) {
		t.Errorf("statements = %v, want %v (no logs: an existing role already writes them)", sids, want)
	}
}

// TestEmptyAgentOutputsMeanAbsent: an Agent without a configuration or
// without an arm64 layer reports empty outputs, which programs in other
// languages pass on as they are.
func TestEmptyAgentOutputsMeanAbsent(t *testing.T) {
	ref := infraRef()
	ref.ConfigLayerArn = pulumi.String("")
	ref.KmsKeyArn = pulumi.String("")
	ref.FirehoseStreamArn = pulumi.String("")
	m, perr, err := protectAndDeploy(t, lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")}, ProtectOptions{Agent: ref})
	if perr != nil || err != nil {
		t.Fatal(perr, err)
	}
	fn := m.one(t, fnType, "legacy")
	if got := fn.strings("layers"); !slices.Equal(got, []string{refX86}) {
		t.Errorf("layers = %v", got)
	}
	env := fn.env()
	for _, k := range []string{EnvConfig, EnvFirehoseStream} {
		if _, ok := env[k]; ok {
			t.Errorf("%s set for an absent output", k)
		}
	}

	ref = infraRef()
	ref.LayerArnArm64 = pulumi.String("")
	_, perr, err = protectAndDeploy(t, lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
		Architectures: pulumi.ToStringArray([]string{"arm64"})}, ProtectOptions{Agent: ref})
	if perr != nil {
		t.Fatal(perr)
	}
	if err == nil || !strings.Contains(err.Error(), "no arm64 layer") {
		t.Errorf("program error = %v, want the missing arm64 layer", err)
	}
}

func TestLogModeWithClosedFailurePolicyRefused(t *testing.T) {
	_, perr, err := protectAndDeploy(t, lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler")},
		ProtectOptions{Agent: infraRef(), Settings: Settings{Mode: ModeLog, FailurePolicy: FailClosed}})
	if err != nil {
		t.Fatal(err)
	}
	if perr == nil || !strings.Contains(perr.Error(), "no effect in log mode") {
		t.Errorf("Protect error = %v", perr)
	}
}

// TestProtectFromStackReference protects a function with an agent read
// from the infra stack's outputs; the infra stack has no arm64 layer and
// no configuration.
func TestProtectFromStackReference(t *testing.T) {
	cloud := &lambdawaftest.Cloud{Stacks: map[string]resource.PropertyMap{
		"acme/lambdawaf-infra/prod": resource.NewPropertyMapFromMap(map[string]any{
			OutputLayerArnX86_64:    refX86,
			OutputAgentKeySecretArn: refSecret,
			OutputFirehoseStreamArn: refStream,
		}),
	}}
	_, err := cloud.Run(func(ctx *pulumi.Context) error {
		infra, err := pulumi.NewStackReference(ctx, "acme/lambdawaf-infra/prod", nil)
		if err != nil {
			return err
		}
		args := &lambda.FunctionArgs{
			Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler"),
			Code: pulumi.NewFileArchive("testdata"), Role: pulumi.String("arn:aws:iam::123456789012:role/legacy"),
		}
		if err := Protect(ctx.Context(), args, ProtectOptions{Agent: AgentRefFromStack(infra)}); err != nil {
			return err
		}
		_, err = lambda.NewFunction(ctx, "legacy", args)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fn := (&mocks{cloud}).one(t, fnType, "legacy")
	if got := fn.strings("layers"); !slices.Equal(got, []string{refX86}) {
		t.Errorf("layers = %v", got)
	}
	want := map[string]string{EnvMode: "block", EnvFailurePolicy: "open", EnvAgentKeySecret: refSecret,
		EnvExecWrapper: WrapperPath, EnvFirehoseStream: "lambdawaf-decisions"}
	if got := fn.env(); !maps.Equal(got, want) {
		t.Errorf("environment = %v, want %v", got, want)
	}
}

// TestReprotectAtTheLayerLimit: five layers of which one is already the
// agent's is not six.
func TestReprotectAtTheLayerLimit(t *testing.T) {
	layers := append(userLayers(4), refX86)
	m, perr, err := protectAndDeploy(t, lambda.FunctionArgs{Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
		Layers: pulumi.ToStringArray(layers)}, ProtectOptions{Agent: infraRef()})
	if perr != nil || err != nil {
		t.Fatal(perr, err)
	}
	if got := m.one(t, fnType, "legacy").strings("layers"); !slices.Equal(got, layers) {
		t.Errorf("layers = %v", got)
	}
}

// RegisterProtectTransform validates its options before registering (the
// mock monitor cannot register stack transforms, so only this part runs
// here; the transform itself is TestTransform*).
func TestRegisterProtectTransformValidates(t *testing.T) {
	_, err := run(t, func(ctx *pulumi.Context) error {
		return RegisterProtectTransform(ctx, ProtectOptions{Agent: AgentRef{LayerArnX86_64: pulumi.String(refX86)}})
	})
	if err == nil || !strings.Contains(err.Error(), "protect stack: agent key secret ARN is required") {
		t.Errorf("error = %v", err)
	}
}
