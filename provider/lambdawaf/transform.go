package lambdawaf

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// FunctionType is the type token of the functions the stack transform
// protects.
const FunctionType = "aws:lambda/function:Function"

// RegisterProtectTransform protects every aws.lambda.Function registered
// after it in the stack, as Protect does for typed arguments. Call it
// first thing in the program. Functions that already carry the agent (a
// ProtectedFunction's, say) are left alone, and so are those that
// opts.Include and opts.Exclude leave out or that carry the tag
// lambdawaf:protect=false (OptOutTag).
//
// A function that cannot be protected is not deployed unprotected: the
// error is logged and its registration fails. Roles are not changed: grant
// each function's role with GrantAgentAccess.
func RegisterProtectTransform(ctx *pulumi.Context, opts ProtectOptions) error {
	if err := opts.validate(); err != nil {
		return fmt.Errorf("protect stack: %w", err)
	}
	if err := ctx.RegisterResourceTransform(ProtectTransform(ctx, opts)); err != nil {
		return fmt.Errorf("protect stack: %w", err)
	}
	return nil
}

// ProtectTransform is the transform RegisterProtectTransform registers.
// It is exported so that it can be composed with other transforms, or
// scoped to one component with pulumi.Transforms.
func ProtectTransform(ctx *pulumi.Context, opts ProtectOptions) pulumi.ResourceTransform {
	return func(tctx context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		if !a.Custom || a.Type != FunctionType || !opts.selects(a.Name) {
			return nil
		}
		if optedOut(tctx, a.Props["tags"]) {
			return nil
		}
		props, err := protectProps(tctx, a.Props, opts)
		if err != nil {
			err = fmt.Errorf("lambdawaf: protect function %s: %w", a.Name, err)
			_ = ctx.Log.Error(err.Error(), nil)
			props = copyMap(a.Props)
			// An input that never resolves fails the registration: better
			// than a function deployed without its firewall.
			props["runtime"] = pulumi.String("").ToStringOutput().ApplyT(func(string) (string, error) {
				return "", err
			}).(pulumi.StringOutput)
		}
		if props == nil {
			return nil
		}
		return &pulumi.ResourceTransformResult{Props: props, Opts: a.Opts}
	}
}

// protectProps is Protect over untyped resource properties. It returns nil
// properties when the function is already protected.
func protectProps(ctx context.Context, props pulumi.Map, opts ProtectOptions) (pulumi.Map, error) {
	s := shapeOutputs{
		packageType:   propString(props["packageType"]),
		runtime:       propString(props["runtime"]),
		handler:       propString(props["handler"]),
		architectures: propStrings(props["architectures"]),
		layers:        propStrings(props["layers"]),
		environment:   propVariables(props["environment"]),
	}
	env, known, err := await(ctx, s.environment)
	if err != nil {
		return nil, err
	}
	if known {
		if _, ok := env.(map[string]string)[EnvAgentKeySecret]; ok {
			return nil, nil
		}
	}
	p, err := protect(ctx, s, opts)
	if err != nil {
		return nil, err
	}
	out := copyMap(props)
	out["layers"] = p.layers
	out["environment"] = pulumi.Map{"variables": p.environment}
	return out, nil
}

// optedOut reports whether a function's tags opt it out of the stack
// transform (OptOutTag=false). Tags not known yet do not.
func optedOut(ctx context.Context, tags pulumi.Input) bool {
	if tags == nil {
		return false
	}
	v, known, err := await(ctx, propOutput(tags))
	if err != nil || !known {
		return false
	}
	switch m := v.(type) {
	case map[string]string:
		return strings.EqualFold(m[OptOutTag], "false")
	case map[string]any:
		s, _ := m[OptOutTag].(string)
		return strings.EqualFold(s, "false")
	}
	return false
}

func copyMap(m pulumi.Map) pulumi.Map {
	out := make(pulumi.Map, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func propOutput(v pulumi.Input) pulumi.AnyOutput {
	if v == nil {
		return pulumi.Any(nil)
	}
	return pulumi.ToOutput(v).ApplyT(func(x any) any { return x }).(pulumi.AnyOutput)
}

func propString(v pulumi.Input) pulumi.StringPtrOutput {
	return propOutput(v).ApplyT(func(x any) (*string, error) {
		switch x := x.(type) {
		case nil:
			return nil, nil
		case string:
			return &x, nil
		case *string:
			return x, nil
		}
		return nil, fmt.Errorf("want a string, got %T", x)
	}).(pulumi.StringPtrOutput)
}

func propStrings(v pulumi.Input) pulumi.StringArrayOutput {
	return propOutput(v).ApplyT(func(x any) ([]string, error) {
		switch x := x.(type) {
		case nil:
			return nil, nil
		case []string:
			return x, nil
		case []any:
			out := make([]string, 0, len(x))
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings, got an element of type %T", e)
				}
				out = append(out, s)
			}
			return out, nil
		}
		return nil, fmt.Errorf("want a list of strings, got %T", x)
	}).(pulumi.StringArrayOutput)
}

func propVariables(v pulumi.Input) pulumi.StringMapOutput {
	return propOutput(v).ApplyT(func(x any) (map[string]string, error) {
		if x == nil {
			return map[string]string{}, nil
		}
		envBlock, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("environment: want an object, got %T", x)
		}
		out := map[string]string{}
		switch vars := envBlock["variables"].(type) {
		case nil:
		case map[string]string:
			for k, v := range vars {
				out[k] = v
			}
		case map[string]any:
			for k, v := range vars {
				s, ok := v.(string)
				if !ok {
					return nil, fmt.Errorf("environment variable %s: want a string, got %T", k, v)
				}
				out[k] = s
			}
		default:
			return nil, fmt.Errorf("environment.variables: want an object, got %T", vars)
		}
		return out, nil
	}).(pulumi.StringMapOutput)
}

// GrantAgentAccess attaches to an existing function role the policy the
// agent needs: the agent key secret, its customer-managed KMS key if any,
// and the Firehose stream if any (not logs: an existing role already writes
// them). role is the role's name or ARN, as the function's Role argument
// holds it.
func GrantAgentAccess(ctx *pulumi.Context, name string, role pulumi.StringInput, ref AgentRef, opts ...pulumi.ResourceOption) (*iam.RolePolicy, error) {
	if role == nil {
		return nil, errors.New("grant agent access: no role")
	}
	if ref.AgentKeySecretArn == nil {
		return nil, errors.New("grant agent access: agent key secret ARN is required")
	}
	roleName := role.ToStringOutput().ApplyT(func(r string) (string, error) {
		return roleNameOf(r)
	}).(pulumi.StringOutput)
	document := pulumi.All(optionalString(ref.AgentKeySecretArn), optionalString(ref.KmsKeyArn),
		optionalString(ref.FirehoseStreamArn)).ApplyT(func(v []any) (string, error) {
		return AgentPolicyDocument(PolicyInputs{
			SecretArn:         v[0].(string),
			KmsKeyArn:         v[1].(string),
			FirehoseStreamArn: v[2].(string),
		})
	}).(pulumi.StringOutput)
	p, err := iam.NewRolePolicy(ctx, name+"-lambdawaf", &iam.RolePolicyArgs{
		Role:   roleName,
		Policy: document,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("grant agent access: %w", err)
	}
	return p, nil
}

// roleNameOf accepts a role name or a role ARN (arn:…:iam::…:role/path/name)
// and returns the name.
func roleNameOf(role string) (string, error) {
	if !strings.HasPrefix(role, "arn:") {
		if role == "" {
			return "", errors.New("empty role name")
		}
		return role, nil
	}
	a, err := parseARN(role, "iam")
	if err != nil {
		return "", fmt.Errorf("role: %w", err)
	}
	rest, ok := strings.CutPrefix(a.resource, "role/")
	if !ok {
		return "", fmt.Errorf("role: %q is not a role ARN", role)
	}
	return rest[strings.LastIndex(rest, "/")+1:], nil
}
