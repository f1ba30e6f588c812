package lambdawaf

import (
	"encoding/json"
	"fmt"
	"strings"
)

// PolicyDocument is an IAM policy document. The field order matches what
// the IAM console shows, so rendered documents read naturally in diffs.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one statement of a PolicyDocument.
type PolicyStatement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// PolicyInputs are the ARNs a protected function's role needs access to.
// Every field except SecretArn is optional; a statement is produced only
// for what is present, so the role never holds a permission it cannot use.
type PolicyInputs struct {
	// LogGroupArn is the function's log group (as the log group resource
	// reports it, without the trailing ":*"). Empty for an existing role,
	// which already writes its logs.
	LogGroupArn string
	// SecretArn is the Secrets Manager secret holding the agent key.
	SecretArn string
	// KmsKeyArn is the customer-managed KMS key encrypting the secret. Empty
	// when the secret uses the AWS-managed key, which needs no grant.
	KmsKeyArn string
	// FirehoseStreamArn is the stream decision records are shipped to.
	FirehoseStreamArn string
	// VpcAccess adds the network-interface permissions Lambda needs to
	// attach a function to a VPC.
	VpcAccess bool
	// Tracing adds the X-Ray permissions active tracing needs.
	Tracing bool
	// DeadLetterTargetArn is the SQS queue or SNS topic of the function's
	// dead-letter configuration.
	DeadLetterTargetArn string
}

// LambdaAssumeRolePolicy is the trust policy of a role created for a
// function: only the Lambda service may assume it.
const LambdaAssumeRolePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole"]}]}`

// AgentPolicyDocument renders the least-privilege policy for a protected
// function: its own log streams, the agent key secret (GetSecretValue on the
// exact ARN), kms:Decrypt on a customer-managed key only through Secrets
// Manager for that secret, and firehose:PutRecordBatch on the exact stream.
func AgentPolicyDocument(in PolicyInputs) (string, error) {
	doc, err := agentPolicy(in)
	if err != nil {
		return "", err
	}
	return renderPolicy(doc)
}

func renderPolicy(doc PolicyDocument) (string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("render policy: %w", err)
	}
	return string(b), nil
}

func agentPolicy(in PolicyInputs) (PolicyDocument, error) {
	doc := PolicyDocument{Version: "2012-10-17"}
	add := func(s PolicyStatement) {
		s.Effect = "Allow"
		doc.Statement = append(doc.Statement, s)
	}
	if in.LogGroupArn != "" {
		if _, err := parseARN(in.LogGroupArn, "logs"); err != nil {
			return doc, fmt.Errorf("log group: %w", err)
		}
		add(PolicyStatement{
			Sid:      "WriteFunctionLogs",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: []string{strings.TrimSuffix(in.LogGroupArn, ":*") + ":*"},
		})
	}
	secret, err := parseARN(in.SecretArn, "secretsmanager")
	if err != nil {
		return doc, fmt.Errorf("agent key secret: %w", err)
	}
	add(PolicyStatement{
		Sid:      "ReadAgentKey",
		Action:   []string{"secretsmanager:GetSecretValue"},
		Resource: []string{in.SecretArn},
	})
	if in.KmsKeyArn != "" {
		key, err := parseARN(in.KmsKeyArn, "kms")
		if err != nil {
			return doc, fmt.Errorf("agent key KMS key: %w", err)
		}
		if !strings.HasPrefix(key.resource, "key/") {
			return doc, fmt.Errorf("agent key KMS key %q: want a key ARN (…:key/<id>), not an alias: IAM grants on alias ARNs do not cover Decrypt", in.KmsKeyArn)
		}
		add(PolicyStatement{
			Sid:      "DecryptAgentKey",
			Action:   []string{"kms:Decrypt"},
			Resource: []string{in.KmsKeyArn},
			Condition: map[string]map[string]string{"StringEquals": {
				"kms:ViaService":                  "secretsmanager." + secret.region + "." + dnsSuffix(secret.partition),
				"kms:EncryptionContext:SecretARN": in.SecretArn,
			}},
		})
	}
	if in.FirehoseStreamArn != "" {
		if _, err := parseARN(in.FirehoseStreamArn, "firehose"); err != nil {
			return doc, fmt.Errorf("firehose stream: %w", err)
		}
		add(PolicyStatement{
			Sid:      "ShipDecisionRecords",
			Action:   []string{"firehose:PutRecordBatch"},
			Resource: []string{in.FirehoseStreamArn},
		})
	}
	if in.VpcAccess {
		// These EC2 actions do not support resource-level scoping for
		// Lambda's use; this is the content of AWSLambdaVPCAccessExecutionRole
		// without its logs:* on every log group.
		add(PolicyStatement{
			Sid: "AttachToVpc",
			Action: []string{
				"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
				"ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
				"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
			},
			Resource: []string{"*"},
		})
	}
	if in.Tracing {
		add(PolicyStatement{
			Sid:      "WriteTraces",
			Action:   []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
			Resource: []string{"*"},
		})
	}
	if in.DeadLetterTargetArn != "" {
		a, err := parseARN(in.DeadLetterTargetArn, "")
		if err != nil {
			return doc, fmt.Errorf("dead-letter target: %w", err)
		}
		var action string
		switch a.service {
		case "sqs":
			action = "sqs:SendMessage"
		case "sns":
			action = "sns:Publish"
		default:
			return doc, fmt.Errorf("dead-letter target %q: want an SQS queue or SNS topic", in.DeadLetterTargetArn)
		}
		add(PolicyStatement{
			Sid:      "SendToDeadLetterTarget",
			Action:   []string{action},
			Resource: []string{in.DeadLetterTargetArn},
		})
	}
	return doc, nil
}

// arn is the part of an ARN the policy needs.
type arn struct {
	partition, service, region, account, resource string
}

// parseARN splits an ARN and, when service is not empty, checks it names
// that service: a policy that grants on the wrong kind of resource fails
// silently at run time, so it is better refused here.
func parseARN(s, service string) (arn, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return arn{}, fmt.Errorf("%q is not an ARN", s)
	}
	a := arn{partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5]}
	if service != "" && a.service != service {
		return arn{}, fmt.Errorf("%q is a %s ARN, want %s", s, a.service, service)
	}
	return a, nil
}

// dnsSuffix is the service endpoint domain of an AWS partition, used in
// kms:ViaService.
func dnsSuffix(partition string) string {
	switch partition {
	case "aws-cn":
		return "amazonaws.com.cn"
	case "aws-iso":
		return "c2s.ic.gov"
	case "aws-iso-b":
		return "sc2s.sgov.gov"
	}
	return "amazonaws.com"
}
