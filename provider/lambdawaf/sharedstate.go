package lambdawaf

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// SharedStateType is the Pulumi type token of the SharedState component.
const SharedStateType = "lambdawaf:index:SharedState"

// Attribute names of the shared-state table the agent reads and writes
// (agent/fleet): the partition key and the expiry TTL clears.
const (
	sharedStateKey       = "pk"
	sharedStateExpiresAt = "expiresAt"
)

// SharedStateArgs configure the table a protection group shares: global
// rate limits and flagged sources (see agent/fleet).
type SharedStateArgs struct {
	// Group is the protection group: every key the agents read and write
	// starts with "<Group>#", and IAM allows them no other. Required: 1 to
	// 128 characters without '#'.
	Group string
	// PointInTimeRecovery enables continuous backups of the table.
	PointInTimeRecovery bool
	// KmsKeyArn encrypts the table with a customer-managed key instead of
	// the AWS-owned one.
	KmsKeyArn pulumi.StringInput
	// Tags are added to the table.
	Tags pulumi.StringMapInput
}

// SharedState is a protection group's shared-state table: on demand,
// encrypted, TTL on expiresAt (clean-up only; the agents treat expired items
// as absent themselves).
type SharedState struct {
	pulumi.ResourceState

	TableName pulumi.StringOutput `pulumi:"tableName"`
	TableArn  pulumi.StringOutput `pulumi:"tableArn"`
	Group     string

	Table *dynamodb.Table
}

// NewSharedState creates the table of a protection group.
func NewSharedState(ctx *pulumi.Context, name string, args *SharedStateArgs, opts ...pulumi.ResourceOption) (*SharedState, error) {
	if args == nil {
		return nil, errors.New("shared state: no arguments")
	}
	if err := checkGroup(args.Group); err != nil {
		return nil, fmt.Errorf("shared state %s: %w", name, err)
	}
	s := &SharedState{Group: args.Group}
	if err := ctx.RegisterComponentResource(SharedStateType, name, s, opts...); err != nil {
		return nil, err
	}
	sse := &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true)}
	if args.KmsKeyArn != nil {
		sse.KmsKeyArn = args.KmsKeyArn
	}
	t, err := dynamodb.NewTable(ctx, name, &dynamodb.TableArgs{
		BillingMode: pulumi.String("PAY_PER_REQUEST"),
		HashKey:     pulumi.String(sharedStateKey),
		Attributes: dynamodb.TableAttributeArray{
			&dynamodb.TableAttributeArgs{Name: pulumi.String(sharedStateKey), Type: pulumi.String("S")},
		},
		Ttl: &dynamodb.TableTtlArgs{
			AttributeName: pulumi.String(sharedStateExpiresAt),
			Enabled:       pulumi.Bool(true),
		},
		ServerSideEncryption: sse,
		PointInTimeRecovery: &dynamodb.TablePointInTimeRecoveryArgs{
			Enabled: pulumi.Bool(args.PointInTimeRecovery),
		},
		Tags: args.Tags,
	}, pulumi.Parent(s))
	if err != nil {
		return nil, fmt.Errorf("shared state %s: %w", name, err)
	}
	s.Table, s.TableName, s.TableArn = t, t.Name, t.Arn
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{"tableName": t.Name, "tableArn": t.Arn}); err != nil {
		return nil, err
	}
	return s, nil
}

// checkGroup is the agent's rule for group names (fleet.ValidGroup), kept
// here because the provider imports nothing of the agent but its contract.
func checkGroup(group string) error {
	if group == "" || strings.Contains(group, "#") || len(group) > 128 {
		return fmt.Errorf("protection group %q: want 1 to 128 characters without '#'", group)
	}
	return nil
}

// Environment is what a protected function of the group needs set: the
// table and the group. Merge it into the function's environment.
func (s *SharedState) Environment() pulumi.StringMap {
	return pulumi.StringMap{
		contract.EnvFleetTable: s.TableName,
		contract.EnvFleetGroup: pulumi.String(s.Group),
	}
}

// SharedStatePolicyDocument is the least privilege on the table for one
// group: GetItem and UpdateItem (all the agent uses) on the table's ARN,
// only on items whose partition key starts with "<group>#".
func SharedStatePolicyDocument(tableArn, group string) (string, error) {
	if err := checkGroup(group); err != nil {
		return "", err
	}
	if _, err := parseARN(tableArn, "dynamodb"); err != nil {
		return "", fmt.Errorf("shared state table: %w", err)
	}
	return renderPolicy(PolicyDocument{
		Version: "2012-10-17",
		Statement: []PolicyStatement{{
			Sid:      "LambdawafSharedState",
			Effect:   "Allow",
			Action:   []string{"dynamodb:GetItem", "dynamodb:UpdateItem"},
			Resource: []string{tableArn},
			Condition: map[string]map[string]string{
				"ForAllValues:StringLike": {"dynamodb:LeadingKeys": group + "#*"},
			},
		}},
	})
}

// Grant gives a function's role (name or ARN) the group's access to the
// table, as an inline role policy.
func (s *SharedState) Grant(ctx *pulumi.Context, name string, role pulumi.StringInput, opts ...pulumi.ResourceOption) (*iam.RolePolicy, error) {
	if role == nil {
		return nil, errors.New("shared state grant: no role")
	}
	roleName := role.ToStringOutput().ApplyT(func(r string) (string, error) {
		return roleNameOf(r)
	}).(pulumi.StringOutput)
	group := s.Group
	doc := s.TableArn.ApplyT(func(arn string) (string, error) {
		return SharedStatePolicyDocument(arn, group)
	}).(pulumi.StringOutput)
	p, err := iam.NewRolePolicy(ctx, name+"-lambdawaf-shared-state", &iam.RolePolicyArgs{
		Role:   roleName,
		Policy: doc,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("shared state grant: %w", err)
	}
	return p, nil
}
