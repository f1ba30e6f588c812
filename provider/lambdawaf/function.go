package lambdawaf

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// ProtectedFunctionType is the Pulumi type token of the ProtectedFunction
// component.
const ProtectedFunctionType = "lambdawaf:index:ProtectedFunction"

// WafArgs is the waf block of a protected function.
type WafArgs struct {
	Settings
	// Agent is a shared agent created in this program. When neither Agent
	// nor AgentRef is set, the component creates its own agent from
	// NewAgent (with NewAgentArgs).
	Agent *Agent
	// AgentRef is an agent deployed elsewhere, by its outputs.
	AgentRef *AgentRef
	// NewAgentArgs configure the agent created when none is given.
	NewAgentArgs *AgentArgs
	// Configuration is a configuration document for this function only,
	// shipped as its own configuration layer in place of the agent's.
	Configuration string
}

// ProtectedFunctionArgs are a function's arguments, exactly as for
// lambda.NewFunction, plus the waf block and the logging settings the
// component owns.
type ProtectedFunctionArgs struct {
	// Function is the function. Leave Role empty to have the component
	// create a least-privilege role; leave LoggingConfig empty (the
	// component sets JSON logs to a log group it creates with retention).
	// Name defaults to a stable name derived from the component's name.
	Function lambda.FunctionArgs
	// Waf says which agent protects the function and how.
	Waf WafArgs
	// LogGroup says whether the component creates the function's log
	// group /aws/lambda/<name> (LogGroupCreate, the default) or uses the
	// one that exists already (LogGroupExisting): log groups outlive their
	// functions, and creating one that exists fails with
	// ResourceAlreadyExistsException, for example when an existing
	// function moves into the component.
	LogGroup LogGroupMode
	// LogRetentionInDays of the function's log group. Default: the
	// agent's. Only for a log group the component creates.
	LogRetentionInDays int
	// ApplicationLogLevel and SystemLogLevel filter the JSON logs
	// (Lambda's TRACE…FATAL and DEBUG/INFO/WARN). Default: Lambda's.
	ApplicationLogLevel string
	SystemLogLevel      string
	// PolicyArns are managed policies attached to the created role: the
	// permissions the function's own code needs.
	PolicyArns []string
	// Policy is an inline policy document added to the created role, for
	// the same purpose.
	Policy pulumi.StringInput
}

// LogGroupMode is who owns a protected function's log group.
type LogGroupMode string

// The log group modes.
const (
	LogGroupCreate   LogGroupMode = "create"   // the component creates it, with retention
	LogGroupExisting LogGroupMode = "existing" // it exists; the component only uses it
)

// ProtectedFunction is a Lambda function with the lambdawaf agent.
type ProtectedFunction struct {
	pulumi.ResourceState

	FunctionArn  pulumi.StringOutput `pulumi:"functionArn"`
	FunctionName pulumi.StringOutput `pulumi:"functionName"`
	RoleArn      pulumi.StringOutput `pulumi:"roleArn"`
	LayerArn     pulumi.StringOutput `pulumi:"layerArn"`
	LogGroupName pulumi.StringOutput `pulumi:"logGroupName"`
	Wiring       pulumi.StringOutput `pulumi:"wiring"`

	// Function is the underlying function, for callers that need more of
	// it (permissions for triggers, aliases).
	Function *lambda.Function
}

// NewProtectedFunction creates a function protected by the lambdawaf
// agent, with its log group and, unless Function.Role is given, its role.
//
// Published versions and aliases keep the layers they were published
// with: set Function.Publish so that a new agent or configuration layer
// publishes a new version, and point aliases at it.
func NewProtectedFunction(ctx *pulumi.Context, name string, args *ProtectedFunctionArgs, opts ...pulumi.ResourceOption) (*ProtectedFunction, error) {
	if args == nil {
		return nil, errors.New("protected function: no arguments")
	}
	f := &ProtectedFunction{}
	if err := ctx.RegisterComponentResource(ProtectedFunctionType, name, f, opts...); err != nil {
		return nil, err
	}
	if err := f.construct(ctx, name, *args); err != nil {
		return nil, fmt.Errorf("protected function %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{
		"functionArn":  f.FunctionArn,
		"functionName": f.FunctionName,
		"roleArn":      f.RoleArn,
		"layerArn":     f.LayerArn,
		"logGroupName": f.LogGroupName,
		"wiring":       f.Wiring,
	}); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *ProtectedFunction) construct(ctx *pulumi.Context, name string, args ProtectedFunctionArgs) error {
	child := pulumi.Parent(f)
	fn := args.Function // a copy: the caller's arguments are not modified
	if fn.LoggingConfig != nil {
		return errors.New("Function.LoggingConfig is managed by the component: use LogRetentionInDays, ApplicationLogLevel and SystemLogLevel")
	}

	ref, retention, err := f.agent(ctx, name, args.Waf, child)
	if err != nil {
		return err
	}
	switch args.LogGroup {
	case "", LogGroupCreate:
	case LogGroupExisting:
		if args.LogRetentionInDays != 0 {
			return errors.New("LogRetentionInDays applies to a log group the component creates: with LogGroup existing, set the retention on that group")
		}
	default:
		return fmt.Errorf("unknown LogGroup %q: want create or existing", args.LogGroup)
	}
	if args.LogRetentionInDays != 0 {
		retention = args.LogRetentionInDays
	}
	if err := checkRetention(retention); err != nil {
		return err
	}

	popts := ProtectOptions{Agent: ref, Settings: args.Waf.Settings}
	if args.Waf.Configuration != "" {
		doc, err := configurationDocument(args.Waf.Configuration, "")
		if err != nil {
			return err
		}
		l, err := NewConfigLayer(ctx, name, doc, child)
		if err != nil {
			return err
		}
		popts.ConfigLayerArn = l.Arn
	}
	p, err := protectArgs(ctx.Context(), &fn, popts)
	if err != nil {
		return err
	}

	if fn.Name == nil {
		fn.Name = pulumi.String(physicalName(ctx, name, 64))
	}
	functionName := fn.Name.ToStringPtrOutput().Elem()
	logGroup, err := f.logGroup(ctx, name, args.LogGroup, functionName, retention, fn.Tags, child)
	if err != nil {
		return err
	}
	// The agent's own errors become the AgentErrors metric the infra
	// stack's alarm watches.
	if _, err := cloudwatch.NewLogMetricFilter(ctx, name+"-agent-errors", &cloudwatch.LogMetricFilterArgs{
		LogGroupName: logGroup.name,
		Pattern:      pulumi.String(contract.AgentErrorPattern),
		MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
			Namespace: pulumi.String(contract.Namespace),
			Name:      pulumi.String(contract.MetricAgentErrors),
			Value:     pulumi.String("1"),
			Unit:      pulumi.String("Count"),
		},
	}, child); err != nil {
		return fmt.Errorf("create agent error metric filter: %w", err)
	}
	logging := &lambda.FunctionLoggingConfigArgs{
		LogFormat: pulumi.String("JSON"),
		LogGroup:  logGroup.name,
	}
	if args.ApplicationLogLevel != "" {
		logging.ApplicationLogLevel = pulumi.String(args.ApplicationLogLevel)
	}
	if args.SystemLogLevel != "" {
		logging.SystemLogLevel = pulumi.String(args.SystemLogLevel)
	}
	fn.LoggingConfig = logging

	dependsOn := logGroup.created
	if fn.Role == nil {
		role, grants, err := f.role(ctx, name, &fn, args, ref, logGroup, child)
		if err != nil {
			return err
		}
		fn.Role = role.Arn
		dependsOn = append(dependsOn, grants...)
	} else if len(args.PolicyArns) > 0 || args.Policy != nil {
		return errors.New("PolicyArns and Policy apply to the role the component creates: with Function.Role set, grant on that role and use GrantAgentAccess")
	}

	function, err := lambda.NewFunction(ctx, name, &fn, child, pulumi.DependsOn(dependsOn))
	if err != nil {
		return fmt.Errorf("create function: %w", err)
	}
	f.Function = function
	f.FunctionArn = function.Arn
	f.FunctionName = function.Name
	f.RoleArn = function.Role
	f.LayerArn = p.agentLayer
	f.LogGroupName = logGroup.name
	f.Wiring = p.wiring
	return nil
}

// agent resolves the waf block's agent, creating one when none is given.
func (f *ProtectedFunction) agent(ctx *pulumi.Context, name string, waf WafArgs, child pulumi.ResourceOption) (AgentRef, int, error) {
	given := 0
	for _, set := range []bool{waf.Agent != nil, waf.AgentRef != nil, waf.NewAgentArgs != nil} {
		if set {
			given++
		}
	}
	if given > 1 {
		return AgentRef{}, 0, errors.New("waf: set one of Agent, AgentRef and NewAgentArgs")
	}
	switch {
	case waf.Agent != nil:
		return waf.Agent.Ref(), waf.Agent.retention, nil
	case waf.AgentRef != nil:
		return *waf.AgentRef, DefaultLogRetentionInDays, nil
	}
	a, err := NewAgent(ctx, name+"-agent", waf.NewAgentArgs, child)
	if err != nil {
		return AgentRef{}, 0, err
	}
	return a.Ref(), a.retention, nil
}

// role creates the function's least-privilege role and returns the
// resources the function must wait for before it first runs.
func (f *ProtectedFunction) role(ctx *pulumi.Context, name string, fn *lambda.FunctionArgs, args ProtectedFunctionArgs, ref AgentRef, logGroup functionLogGroup, child pulumi.ResourceOption) (*iam.Role, []pulumi.Resource, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(LambdaAssumeRolePolicy),
		Description:      pulumi.String("lambdawaf protected function " + name),
		Tags:             fn.Tags,
	}, child)
	if err != nil {
		return nil, nil, fmt.Errorf("create role: %w", err)
	}

	tracing := noString()
	if fn.TracingConfig != nil {
		tracing = fn.TracingConfig.ToFunctionTracingConfigPtrOutput().Mode().ToStringPtrOutput()
	}
	deadLetter := noString()
	if fn.DeadLetterConfig != nil {
		deadLetter = fn.DeadLetterConfig.ToFunctionDeadLetterConfigPtrOutput().TargetArn().ToStringPtrOutput()
	}
	vpc := fn.VpcConfig != nil
	document := pulumi.All(logGroup.arn, optionalString(ref.AgentKeySecretArn), optionalString(ref.KmsKeyArn),
		optionalString(ref.FirehoseStreamArn), tracing, deadLetter).ApplyT(
		func(v []any) (string, error) {
			return AgentPolicyDocument(PolicyInputs{
				LogGroupArn:         v[0].(string),
				SecretArn:           v[1].(string),
				KmsKeyArn:           v[2].(string),
				FirehoseStreamArn:   v[3].(string),
				VpcAccess:           vpc,
				Tracing:             deref(v[4].(*string)) == "Active",
				DeadLetterTargetArn: deref(v[5].(*string)),
			})
		}).(pulumi.StringOutput)
	agentPolicy, err := iam.NewRolePolicy(ctx, name+"-lambdawaf", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: document,
	}, child)
	if err != nil {
		return nil, nil, fmt.Errorf("grant agent access: %w", err)
	}
	grants := []pulumi.Resource{agentPolicy}
	if args.Policy != nil {
		p, err := iam.NewRolePolicy(ctx, name+"-function", &iam.RolePolicyArgs{
			Role:   role.ID(),
			Policy: args.Policy,
		}, child)
		if err != nil {
			return nil, nil, fmt.Errorf("attach function policy: %w", err)
		}
		grants = append(grants, p)
	}
	for _, arn := range args.PolicyArns {
		// Named by the policy, not its position, so that reordering the
		// list does not detach and reattach policies.
		sum := sha256.Sum256([]byte(arn))
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-policy-"+hex.EncodeToString(sum[:4]), &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(arn),
		}, child)
		if err != nil {
			return nil, nil, fmt.Errorf("attach %s: %w", arn, err)
		}
		grants = append(grants, a)
	}
	return role, grants, nil
}

// functionLogGroup is a protected function's log group, created or not.
type functionLogGroup struct {
	name, arn pulumi.StringOutput
	created   []pulumi.Resource // what the function must wait for
}

// logGroup creates the function's log group with its retention, or, with
// LogGroupExisting, names the existing /aws/lambda/<function> and derives
// its ARN from the caller's account, region and partition.
func (f *ProtectedFunction) logGroup(ctx *pulumi.Context, name string, mode LogGroupMode, functionName pulumi.StringOutput, retention int, tags pulumi.StringMapInput, child pulumi.ResourceOption) (functionLogGroup, error) {
	groupName := pulumi.Sprintf("/aws/lambda/%s", functionName)
	if mode == LogGroupExisting {
		id, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(f))
		if err != nil {
			return functionLogGroup{}, fmt.Errorf("existing log group: look up the account: %w", err)
		}
		region, err := aws.GetRegion(ctx, nil, pulumi.Parent(f))
		if err != nil {
			return functionLogGroup{}, fmt.Errorf("existing log group: look up the region: %w", err)
		}
		partition, err := aws.GetPartition(ctx, nil, pulumi.Parent(f))
		if err != nil {
			return functionLogGroup{}, fmt.Errorf("existing log group: look up the partition: %w", err)
		}
		arn := pulumi.Sprintf("arn:%s:logs:%s:%s:log-group:%s", partition.Partition, region.Name, id.AccountId, groupName)
		return functionLogGroup{name: groupName, arn: arn}, nil
	}
	lg, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            groupName,
		RetentionInDays: pulumi.Int(retention),
		Tags:            tags,
	}, child)
	if err != nil {
		return functionLogGroup{}, fmt.Errorf("create log group: %w", err)
	}
	return functionLogGroup{name: lg.Name, arn: lg.Arn, created: []pulumi.Resource{lg}}, nil
}
