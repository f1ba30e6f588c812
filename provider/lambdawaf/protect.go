package lambdawaf

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// Lambda limits the protection must stay within.
const (
	maxLayers = 5
	// ConfigPath is where the configuration layer's lambdawaf/config.yaml
	// lands in the function's file system.
	ConfigPath = contract.ConfigPath
)

// Architectures Lambda supports; each has its own agent layer.
const (
	ArchX86_64 = "x86_64"
	ArchArm64  = "arm64"
)

// Mode is what the agent does with an event it judges malicious: the
// agent's own type (package contract), so the component cannot offer a mode
// the agent does not know.
type Mode = contract.Mode

// The modes.
const (
	ModeBlock = contract.ModeBlock // answer with a block response; the handler never sees the event
	ModeLog   = contract.ModeLog   // record the decision and let the event through
	ModeOff   = contract.ModeOff   // pass everything through uninspected
)

// FailurePolicy is what the agent does when inspection itself fails.
type FailurePolicy = contract.FailurePolicy

// The failure policies.
const (
	FailOpen   = contract.FailOpen   // let the event through
	FailClosed = contract.FailClosed // block the event
)

// AgentRef is everything a function needs from an agent deployment. An
// [Agent] created in the same program gives one with [Agent.Ref]; an agent
// published by another stack (the infra stack, say) is described by its
// outputs, for example through a StackReference.
type AgentRef struct {
	// LayerArnX86_64 and LayerArnArm64 are the agent layer versions. A
	// function whose architecture has no layer is refused.
	LayerArnX86_64 pulumi.StringInput
	LayerArnArm64  pulumi.StringInput
	// BootstrapLayerArn is the layer holding /opt/bootstrap alone, added
	// only to OS-only functions whose executable is not named bootstrap
	// (wiring bootstrap); such a function is refused without it.
	BootstrapLayerArn pulumi.StringInput
	// ConfigLayerArn is an optional layer carrying lambdawaf/config.yaml.
	ConfigLayerArn pulumi.StringInput
	// AgentKeySecretArn is the Secrets Manager secret holding the agent key.
	AgentKeySecretArn pulumi.StringInput
	// KmsKeyArn is the customer-managed key encrypting the secret, if any.
	KmsKeyArn pulumi.StringInput
	// FirehoseStreamArn is the optional stream for decision records.
	FirehoseStreamArn pulumi.StringInput
}

// Settings are the per-function agent settings; zero values mean the
// agent's defaults.
type Settings struct {
	Mode          Mode          // default block
	FailurePolicy FailurePolicy // default open
	Wiring        Wiring        // default auto
	LogLevel      string        // default: the agent's (info)
	Port          int           // default: the agent's (9009)
	// ResponseStreaming lists the front doors that invoke the function
	// with response streaming: "function-url" for a Function URL with
	// invoke mode RESPONSE_STREAM, "apigateway-rest" for a REST API
	// integration in STREAM mode. The agent then answers blocked requests
	// with a streamed response, so clients get a real 403 (a buffered one
	// would reach them as a 200 carrying the JSON). Leave it empty for
	// buffered front doors.
	ResponseStreaming []string
}

// ProtectOptions says which agent protects a function and how.
type ProtectOptions struct {
	Agent AgentRef
	Settings
	// ConfigLayerArn overrides Agent.ConfigLayerArn for this function.
	ConfigLayerArn pulumi.StringInput
}

func (o *ProtectOptions) configLayer() pulumi.StringInput {
	if o.ConfigLayerArn != nil {
		return o.ConfigLayerArn
	}
	return o.Agent.ConfigLayerArn
}

// validate checks what can be checked without looking at the function.
func (o *ProtectOptions) validate() error {
	switch o.Mode {
	case "", ModeBlock, ModeLog, ModeOff:
	default:
		return fmt.Errorf("unknown mode %q: want block, log or off", o.Mode)
	}
	switch o.FailurePolicy {
	case "", FailOpen, FailClosed:
	default:
		return fmt.Errorf("unknown failure policy %q: want open or closed", o.FailurePolicy)
	}
	if o.Mode == ModeLog && o.FailurePolicy == FailClosed {
		return errors.New("failure policy closed has no effect in log mode, which never blocks: use open, or mode block")
	}
	switch strings.ToLower(o.LogLevel) {
	case "", "trace", "debug", "info", "warn", "error", "fatal", "panic":
	default:
		return fmt.Errorf("unknown log level %q: want trace, debug, info, warn or error", o.LogLevel)
	}
	for _, s := range o.ResponseStreaming {
		if s != "function-url" && s != "apigateway-rest" {
			return fmt.Errorf("response streaming %q: want function-url or apigateway-rest", s)
		}
	}
	if o.Port < 0 || o.Port > 65535 {
		return fmt.Errorf("port %d is out of range", o.Port)
	}
	if _, err := ParseWiring(string(o.Wiring)); err != nil {
		return err
	}
	if o.Agent.AgentKeySecretArn == nil {
		return errors.New("agent key secret ARN is required")
	}
	if o.Agent.LayerArnX86_64 == nil && o.Agent.LayerArnArm64 == nil {
		return errors.New("agent has no layer for any architecture")
	}
	return nil
}

// functionShape is the part of a function's configuration that decides how
// it is protected.
type functionShape struct {
	PackageType   string
	Runtime       string
	Handler       string
	Architectures []string
}

// decision is how one function is protected.
type decision struct {
	wiring Wiring
	arch   string
}

func (o *ProtectOptions) decide(sh functionShape) (decision, error) {
	switch sh.PackageType {
	case "", "Zip":
	case "Image":
		return decision{}, errors.New("container image functions cannot use layers: copy the extension into the image (extensions/lambdawaf to /opt/extensions/lambdawaf) instead")
	default:
		return decision{}, fmt.Errorf("unknown package type %q", sh.PackageType)
	}
	arch, err := architectureOf(sh.Architectures)
	if err != nil {
		return decision{}, err
	}
	if o.layerFor(arch) == nil {
		return decision{}, fmt.Errorf("the agent has no %s layer for this %s function", arch, arch)
	}
	w, err := resolveWiring(o.Wiring, sh.Runtime, sh.Handler)
	if err != nil {
		return decision{}, err
	}
	if w == WiringBootstrap && o.Agent.BootstrapLayerArn == nil {
		return decision{}, fmt.Errorf("%s with handler %q needs the bootstrap layer (/opt/bootstrap), and the agent has none: "+
			"give the agent's bootstrapLayerArn, or build a Go function with redirect.Start and handler bootstrap", sh.Runtime, sh.Handler)
	}
	return decision{wiring: w, arch: arch}, nil
}

func architectureOf(archs []string) (string, error) {
	switch len(archs) {
	case 0:
		return ArchX86_64, nil // Lambda's default
	case 1:
		if archs[0] == ArchX86_64 || archs[0] == ArchArm64 {
			return archs[0], nil
		}
		return "", fmt.Errorf("unknown architecture %q: want x86_64 or arm64", archs[0])
	}
	return "", fmt.Errorf("a function has exactly one architecture, got %v", archs)
}

func (o *ProtectOptions) layerFor(arch string) pulumi.StringInput {
	if arch == ArchArm64 {
		return o.Agent.LayerArnArm64
	}
	return o.Agent.LayerArnX86_64
}

func (o *ProtectOptions) otherLayer(arch string) pulumi.StringInput {
	if arch == ArchArm64 {
		return o.Agent.LayerArnX86_64
	}
	return o.Agent.LayerArnArm64
}

// agentEnvironment is the set of variables the agent needs, given the
// resolved secret and stream ARNs. defaults are added only when the user
// has not set the variable.
func (o *ProtectOptions) agentEnvironment(d decision, secretArn, firehoseArn, configArn string) (set, defaults map[string]string, err error) {
	set = map[string]string{EnvAgentKeySecret: secretArn}
	defaults = map[string]string{EnvMode: string(ModeBlock), EnvFailurePolicy: string(FailOpen)}
	if o.Mode != "" {
		set[EnvMode] = string(o.Mode)
	}
	if o.FailurePolicy != "" {
		set[EnvFailurePolicy] = string(o.FailurePolicy)
	}
	if o.LogLevel != "" {
		set[EnvLogLevel] = strings.ToLower(o.LogLevel)
	}
	if o.Port != 0 {
		set[EnvPort] = strconv.Itoa(o.Port)
	}
	if len(o.ResponseStreaming) > 0 {
		set[EnvResponseStreaming] = strings.Join(o.ResponseStreaming, ",")
	}
	if configArn != "" {
		set[EnvConfig] = ConfigPath
	}
	if firehoseArn != "" {
		a, err := parseARN(firehoseArn, "firehose")
		if err != nil {
			return nil, nil, fmt.Errorf("firehose stream: %w", err)
		}
		name, ok := strings.CutPrefix(a.resource, "deliverystream/")
		if !ok || name == "" {
			return nil, nil, fmt.Errorf("firehose stream %q is not a delivery stream ARN", firehoseArn)
		}
		set[EnvFirehoseStream] = name
	}
	if d.wiring == WiringWrapper {
		set[EnvExecWrapper] = WrapperPath
	}
	return set, defaults, nil
}

// shapeOutputs are the function properties protection reads, as outputs so
// that unknown values during preview are handled like known ones at update.
type shapeOutputs struct {
	packageType, runtime, handler pulumi.StringPtrOutput
	architectures, layers         pulumi.StringArrayOutput
	environment                   pulumi.StringMapOutput
}

func typedShape(args *lambda.FunctionArgs) shapeOutputs {
	s := shapeOutputs{
		packageType:   stringPtrOutput(args.PackageType),
		runtime:       stringPtrOutput(args.Runtime),
		handler:       stringPtrOutput(args.Handler),
		architectures: pulumi.StringArray{}.ToStringArrayOutput(),
		layers:        pulumi.StringArray{}.ToStringArrayOutput(),
		environment:   pulumi.StringMap{}.ToStringMapOutput(),
	}
	if args.Architectures != nil {
		s.architectures = args.Architectures.ToStringArrayOutput()
	}
	if args.Layers != nil {
		s.layers = args.Layers.ToStringArrayOutput()
	}
	if args.Environment != nil {
		s.environment = args.Environment.ToFunctionEnvironmentPtrOutput().Variables()
	}
	return s
}

func stringPtrOutput(in pulumi.StringPtrInput) pulumi.StringPtrOutput {
	if in == nil {
		return noString()
	}
	return in.ToStringPtrOutput()
}

func optionalString(in pulumi.StringInput) pulumi.StringOutput {
	if in == nil {
		return pulumi.String("").ToStringOutput()
	}
	return in.ToStringOutput()
}

// Protect adds the agent to the arguments of a zip-packaged function: the
// agent layer for its architecture (after the user's layers, and the
// configuration layer if any), the LAMBDAWAF_* variables merged into the
// user's, and the runtime wiring. The user's layers and variables are kept.
//
// Whatever is already known is checked now and reported as the returned
// error: reserved or conflicting variables, more than 5 layers, more than
// 4 KB of variables, unsupported runtime/wiring combinations, container
// images, architectures without a layer. Values that are still unknown
// (during a preview, say) are checked again when they resolve and fail the
// update instead.
//
// Protect does not grant the function's role access to the agent key; see
// [GrantAgentAccess] for functions whose role is not created by
// [NewProtectedFunction].
func Protect(ctx context.Context, args *lambda.FunctionArgs, opts ProtectOptions) error {
	_, err := protectArgs(ctx, args, opts)
	return err
}

func protectArgs(ctx context.Context, args *lambda.FunctionArgs, opts ProtectOptions) (protection, error) {
	if args == nil {
		return protection{}, errors.New("protect function: no arguments")
	}
	p, err := protect(ctx, typedShape(args), opts)
	if err != nil {
		return p, fmt.Errorf("protect function: %w", err)
	}
	args.Layers = p.layers
	args.Environment = lambda.FunctionEnvironmentArgs{Variables: p.environment}
	return p, nil
}

// protection is the outcome of protecting one function.
type protection struct {
	layers      pulumi.StringArrayOutput
	environment pulumi.StringMapOutput
	agentLayer  pulumi.StringOutput // the agent layer chosen for the architecture
	wiring      pulumi.StringOutput // the wiring chosen
}

// protect computes the protected layers and environment. It is shared by
// Protect (typed arguments) and the stack transform (untyped properties).
func protect(ctx context.Context, s shapeOutputs, opts ProtectOptions) (protection, error) {
	if err := opts.validate(); err != nil {
		return protection{}, err
	}
	if err := checkKnown(ctx, s, &opts); err != nil {
		return protection{}, err
	}

	shape := pulumi.All(s.packageType, s.runtime, s.handler, s.architectures).ApplyT(
		func(v []any) (functionShape, error) {
			return functionShape{
				PackageType:   deref(v[0].(*string)),
				Runtime:       deref(v[1].(*string)),
				Handler:       deref(v[2].(*string)),
				Architectures: v[3].([]string),
			}, nil
		}).(pulumi.AnyOutput)

	x86, arm := optionalString(opts.Agent.LayerArnX86_64), optionalString(opts.Agent.LayerArnArm64)
	decided := shape.ApplyT(func(sh any) (decision, error) { return opts.decide(sh.(functionShape)) }).(pulumi.AnyOutput)
	wiring := decided.ApplyT(func(d any) string { return string(d.(decision).wiring) }).(pulumi.StringOutput)
	agentLayer := pulumi.All(decided, x86, arm).ApplyT(func(v []any) string {
		if v[0].(decision).arch == ArchArm64 {
			return v[2].(string)
		}
		return v[1].(string)
	}).(pulumi.StringOutput)

	config := opts.configLayer()
	layers := pulumi.All(shape, s.layers, x86, arm, optionalString(config), optionalString(opts.Agent.BootstrapLayerArn)).ApplyT(
		func(v []any) ([]string, error) {
			d, err := opts.decide(v[0].(functionShape))
			if err != nil {
				return nil, err
			}
			agentLayer, otherLayer := v[2].(string), v[3].(string)
			if d.arch == ArchArm64 {
				agentLayer, otherLayer = otherLayer, agentLayer
			}
			bootstrap, err := d.requireBootstrapLayer(v[5].(string))
			if err != nil {
				return nil, err
			}
			return assembleLayers(v[1].([]string), agentLayers{agent: agentLayer, other: otherLayer, config: v[4].(string), bootstrap: bootstrap}, d.arch)
		}).(pulumi.StringArrayOutput)

	env := pulumi.All(shape, s.environment, optionalString(opts.Agent.AgentKeySecretArn),
		optionalString(opts.Agent.FirehoseStreamArn), optionalString(config)).ApplyT(
		func(v []any) (map[string]string, error) {
			d, err := opts.decide(v[0].(functionShape))
			if err != nil {
				return nil, err
			}
			return opts.assembleEnvironment(d, v[1].(map[string]string), v[2].(string), v[3].(string), v[4].(string))
		}).(pulumi.StringMapOutput)
	return protection{layers: layers, environment: env, agentLayer: agentLayer, wiring: wiring}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// agentLayers are the layers protection may add to a function; empty
// means none.
type agentLayers struct {
	agent     string // the agent layer of the function's architecture
	other     string // the agent layer of the other architecture, refused
	config    string // the configuration layer
	bootstrap string // the bootstrap layer, for wiring bootstrap only
}

// bootstrapLayer is the bootstrap layer ARN if the decision needs it.
func (d decision) bootstrapLayer(arn string) string {
	if d.wiring == WiringBootstrap {
		return arn
	}
	return ""
}

// requireBootstrapLayer is bootstrapLayer, refusing an empty ARN where
// the decision needs one (an agent reference whose bootstrap output is
// absent): without /opt/bootstrap the function would not start.
func (d decision) requireBootstrapLayer(arn string) (string, error) {
	if d.wiring == WiringBootstrap && arn == "" {
		return "", errors.New("wiring bootstrap needs the agent's bootstrap layer, and its ARN is empty")
	}
	return d.bootstrapLayer(arn), nil
}

// assembleLayers appends the agent, configuration and bootstrap layers to
// the user's. A user layer that already is one of them is not added twice;
// one that is the agent layer of the other architecture is refused. An
// empty configuration layer ARN means none (an Agent without a
// configuration reports it so). The bootstrap layer comes last, so that
// its /opt/bootstrap wins over any other layer's.
func assembleLayers(user []string, l agentLayers, arch string) ([]string, error) {
	agent, other, config := l.agent, l.other, l.config
	if agent == "" {
		return nil, fmt.Errorf("the agent has no %s layer for this %s function", arch, arch)
	}
	out := slices.Clone(user)
	for _, l := range user {
		if other != "" && l == other {
			return nil, fmt.Errorf("layer %s is the agent built for the other architecture: it would fail with exec format error; remove it", l)
		}
	}
	if !slices.Contains(out, agent) {
		out = append(out, agent)
	}
	if config != "" && !slices.Contains(out, config) {
		out = append(out, config)
	}
	if l.bootstrap != "" {
		out = slices.DeleteFunc(out, func(s string) bool { return s == l.bootstrap })
		out = append(out, l.bootstrap)
	}
	if len(out) > maxLayers {
		return nil, fmt.Errorf("the function would have %d layers with the agent's, over Lambda's limit of %d (it has %d of its own)", len(out), maxLayers, len(user))
	}
	return out, nil
}

func (o *ProtectOptions) assembleEnvironment(d decision, user map[string]string, secretArn, firehoseArn, configArn string) (map[string]string, error) {
	if err := checkUserEnvironment(user); err != nil {
		return nil, err
	}
	if secretArn == "" {
		return nil, errors.New("the agent key secret ARN is empty")
	}
	set, defaults, err := o.agentEnvironment(d, secretArn, firehoseArn, configArn)
	if err != nil {
		return nil, err
	}
	env, err := mergeEnvironment(user, set)
	if err != nil {
		return nil, err
	}
	for k, v := range defaults {
		if _, ok := env[k]; !ok {
			env[k] = v
		}
	}
	if err := checkEnvironmentSize(env); err != nil {
		return nil, err
	}
	return env, nil
}

// checkKnown runs the checks whose inputs are already known, so that most
// mistakes surface as an error from Protect rather than as a failed update.
func checkKnown(ctx context.Context, s shapeOutputs, o *ProtectOptions) error {
	var sh functionShape
	shapeKnown := true
	for _, f := range []struct {
		out pulumi.Output
		set func(any)
	}{
		{s.packageType, func(v any) { sh.PackageType = deref(v.(*string)) }},
		{s.runtime, func(v any) { sh.Runtime = deref(v.(*string)) }},
		{s.handler, func(v any) { sh.Handler = deref(v.(*string)) }},
		{s.architectures, func(v any) { sh.Architectures = v.([]string) }},
	} {
		v, known, err := await(ctx, f.out)
		if err != nil {
			return err
		}
		if !known {
			shapeKnown = false
			continue
		}
		f.set(v)
	}
	if !shapeKnown {
		return nil
	}
	d, err := o.decide(sh)
	if err != nil {
		return err
	}
	if err := o.checkLayerCount(ctx, s.layers, d); err != nil {
		return err
	}
	v, known, err := await(ctx, s.environment)
	if err != nil || !known {
		return err
	}
	user := v.(map[string]string)
	// The agent's ARNs are not awaited: they may belong to resources being
	// created in this very update, and waiting for them here would hold
	// up the rest of the program. Stand in for them with the user's own
	// setting or the shortest valid ARN, so that this check never refuses
	// what the exact check at update time would accept.
	secret := user[EnvAgentKeySecret]
	if secret == "" {
		secret = "arn:aws:secretsmanager:r:a:secret:s"
	}
	firehose := ""
	if o.Agent.FirehoseStreamArn != nil {
		name := user[EnvFirehoseStream]
		if name == "" {
			name = "s"
		}
		firehose = "arn:aws:firehose:r:a:deliverystream/" + name
	}
	config := ""
	if o.configLayer() != nil {
		config = "arn:aws:lambda:r:a:layer:c:1"
	}
	_, err = o.assembleEnvironment(d, user, secret, firehose, config)
	return err
}

// checkLayerCount refuses more than five layers. Only when the count is
// over the limit on its face are the agent's layer ARNs resolved (the user
// may already list them): that may wait for them to be created, which is
// acceptable on a path that usually ends in an error.
func (o *ProtectOptions) checkLayerCount(ctx context.Context, layers pulumi.StringArrayOutput, d decision) error {
	arch := d.arch
	v, known, err := await(ctx, layers)
	if err != nil || !known {
		return err
	}
	user := v.([]string)
	n := len(user) + 1
	if o.configLayer() != nil {
		n++
	}
	if d.wiring == WiringBootstrap {
		n++
	}
	if n <= maxLayers {
		return nil
	}
	agent, agentKnown, err := await(ctx, optionalString(o.layerFor(arch)))
	if err != nil {
		return err
	}
	config, configKnown, err := await(ctx, optionalString(o.configLayer()))
	if err != nil || !agentKnown || !configKnown {
		return err
	}
	bootstrap, bootstrapKnown, err := await(ctx, optionalString(o.Agent.BootstrapLayerArn))
	if err != nil || !bootstrapKnown {
		return err
	}
	if agent.(string) == "" {
		return nil // refused with a clearer message when it resolves
	}
	_, err = assembleLayers(user, agentLayers{agent: agent.(string), config: config.(string), bootstrap: d.bootstrapLayer(bootstrap.(string))}, arch)
	return err
}

// await resolves an output that is usually already known (a literal in the
// program). known is false during a preview when it depends on a resource
// not created yet.
func await(ctx context.Context, o pulumi.Output) (any, bool, error) {
	r, err := internals.UnsafeAwaitOutput(ctx, o)
	if err != nil {
		return nil, false, err
	}
	return r.Value, r.Known, nil
}

// noString is a known, absent optional string.
func noString() pulumi.StringPtrOutput {
	return pulumi.String("").ToStringOutput().ApplyT(func(string) *string { return nil }).(pulumi.StringPtrOutput)
}
