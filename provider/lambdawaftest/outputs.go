package lambdawaftest

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Outputs is what AWS gives a new resource of type typ named name with these
// inputs: its id and its outputs (the inputs plus the names, ARNs, URLs and
// versions AWS computes, in the mock account and region). The mock cloud
// answers with it, and so does the stand-in AWS provider plugin that
// `make pulumi-preview` runs under the real engine (tools/awsstandin).
func Outputs(typ, name string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	out := inputs.Copy()
	str := func(k string) string {
		v, ok := inputs[resource.PropertyKey(k)]
		if !ok {
			return ""
		}
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	named := func(k string) string {
		if n := str(k); n != "" {
			return n
		}
		if p := str(k + "Prefix"); p != "" {
			return p + "20261121"
		}
		return name + "-1a2b3c4"
	}
	id := name + "-id"
	var arn string
	switch typ {
	case "aws:lambda/layerVersion:LayerVersion":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:layer:%s:1", Region, Account, str("layerName"))
		id = arn
	case "aws:secretsmanager/secret:Secret":
		// AWS appends six random characters to the name or prefix.
		name := str("name")
		if name == "" {
			name = str("namePrefix")
		}
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%sAbCdEf", Region, Account, name)
		id = arn
	case "aws:kms/key:Key":
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab", Region, Account)
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", Region, Account, str("name"))
		id = str("name")
	case "aws:iam/role:Role":
		name := named("name")
		arn = fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, name)
		out["name"] = resource.NewStringProperty(name)
		id = name
	case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
		arn = fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", Region, Account, named("name"))
	case "aws:s3/bucketV2:BucketV2":
		id = named("bucket")
		arn = "arn:aws:s3:::" + id
		out["bucket"] = resource.NewStringProperty(id)
	case "aws:lambda/function:Function":
		name := named("name")
		out["name"] = resource.NewStringProperty(name)
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", Region, Account, name)
		out["invokeArn"] = resource.NewStringProperty(fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", Region, arn))
		// A published function's first version is 1.
		version := "$LATEST"
		if p, ok := inputs["publish"]; ok && p.IsBool() && p.BoolValue() {
			version = "1"
		}
		out["version"] = resource.NewStringProperty(version)
	case "aws:lambda/alias:Alias":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s:%s", Region, Account, str("functionName"), str("name"))
	case "aws:dynamodb/table:Table":
		name := named("name")
		out["name"] = resource.NewStringProperty(name)
		arn = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", Region, Account, name)
		id = name
	case "aws:sqs/queue:Queue":
		name := named("name")
		arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", Region, Account, name)
		out["url"] = resource.NewStringProperty(fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", Region, Account, name))
	case "aws:sns/topic:Topic":
		arn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", Region, Account, named("name"))
	case "aws:apigatewayv2/api:Api":
		id = "a1b2c3d4e5"
		out["apiEndpoint"] = resource.NewStringProperty(fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com", id, Region))
		out["executionArn"] = resource.NewStringProperty(fmt.Sprintf("arn:aws:execute-api:%s:%s:%s", Region, Account, id))
	case "aws:apigateway/restApi:RestApi":
		id = "r1e2s3t4a5"
		out["rootResourceId"] = resource.NewStringProperty("root0resource")
		out["executionArn"] = resource.NewStringProperty(fmt.Sprintf("arn:aws:execute-api:%s:%s:%s", Region, Account, id))
	case "aws:lb/targetGroup:TargetGroup":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/73e2d6bc24d8a067", Region, Account, named("name"))
	case "aws:lb/loadBalancer:LoadBalancer":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/50dc6c495c0c9188", Region, Account, named("name"))
		out["dnsName"] = resource.NewStringProperty(name + "-1234567890." + Region + ".elb.amazonaws.com")
	case "aws:lambda/functionUrl:FunctionUrl":
		out["functionUrl"] = resource.NewStringProperty("https://abcdefghijklmnop.lambda-url." + Region + ".on.aws/")
	}
	if arn != "" {
		out["arn"] = resource.NewStringProperty(arn)
	}
	return id, out
}

// Invoke is what AWS answers a provider function (a data source) token
// called with args: the region, account and partition look-ups answer for
// the mock account and region; any other function echoes its arguments.
func Invoke(token string, args resource.PropertyMap) resource.PropertyMap {
	switch token {
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{"name": resource.NewStringProperty(Region), "id": resource.NewStringProperty(Region)}
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{"accountId": resource.NewStringProperty(Account)}
	case "aws:index/getPartition:getPartition":
		return resource.PropertyMap{"partition": resource.NewStringProperty("aws")}
	}
	return args
}
