package lambdawaf_test

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

// The policy a ProtectedFunction's role gets, with a customer-managed key
// and Firehose on.
func ExampleAgentPolicyDocument() {
	doc, err := lambdawaf.AgentPolicyDocument(lambdawaf.PolicyInputs{
		LogGroupArn:       "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders-api",
		SecretArn:         "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf-waf-agent-key-1a2b3c4d-AbCdEf",
		KmsKeyArn:         "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		FirehoseStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/lambdawaf-waf-5e6f7a8b",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var out bytes.Buffer
	_ = json.Indent(&out, []byte(doc), "", "  ")
	fmt.Println(out.String())
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "WriteFunctionLogs",
	//       "Effect": "Allow",
	//       "Action": [
	//         "logs:CreateLogStream",
	//         "logs:PutLogEvents"
	//       ],
	//       "Resource": [
	//         "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders-api:*"
	//       ]
	//     },
	//     {
	//       "Sid": "ReadAgentKey",
	//       "Effect": "Allow",
	//       "Action": [
	//         "secretsmanager:GetSecretValue"
	//       ],
	//       "Resource": [
	//         "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf-waf-agent-key-1a2b3c4d-AbCdEf"
	//       ]
	//     },
	//     {
	//       "Sid": "DecryptAgentKey",
	//       "Effect": "Allow",
	//       "Action": [
	//         "kms:Decrypt"
	//       ],
	//       "Resource": [
	//         "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	//       ],
	//       "Condition": {
	//         "StringEquals": {
	//           "kms:EncryptionContext:SecretARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf-waf-agent-key-1a2b3c4d-AbCdEf",
	//           "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"
	//         }
	//       }
	//     },
	//     {
	//       "Sid": "ShipDecisionRecords",
	//       "Effect": "Allow",
	//       "Action": [
	//         "firehose:PutRecordBatch"
	//       ],
	//       "Resource": [
	//         "arn:aws:firehose:eu-west-1:123456789012:deliverystream/lambdawaf-waf-5e6f7a8b"
	//       ]
	//     }
	//   ]
	// }
}
