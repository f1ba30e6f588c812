package awsapi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Service describes one AWS service as the agent calls it.
type Service struct {
	// Name is the endpoint prefix and SigV4 signing name (dynamodb).
	Name string
	// EnvName is the suffix of its endpoint variable: AWS_ENDPOINT_URL_
	// plus the SDK service id upper-cased, spaces as '_' (SECRETS_MANAGER).
	EnvName string
	// TargetPrefix is the X-Amz-Target before the operation name.
	TargetPrefix string
	// JSONVersion is the protocol's content type version, "1.0" or "1.1".
	JSONVersion string
}

// The services the agent calls.
var (
	DynamoDB       = Service{Name: "dynamodb", EnvName: "DYNAMODB", TargetPrefix: "DynamoDB_20120810", JSONVersion: "1.0"}
	Firehose       = Service{Name: "firehose", EnvName: "FIREHOSE", TargetPrefix: "Firehose_20150804", JSONVersion: "1.1"}
	SecretsManager = Service{Name: "secretsmanager", EnvName: "SECRETS_MANAGER", TargetPrefix: "secretsmanager", JSONVersion: "1.1"}
)

// EndpointEnv is the variable that overrides s's endpoint.
func (s Service) EndpointEnv() string { return contract.EnvEndpointURL + "_" + s.EnvName }

// ContentType is the request and response content type of s's protocol.
func (s Service) ContentType() string { return "application/x-amz-json-" + s.JSONVersion }

// partitions maps region prefixes to their partition's DNS suffix; a
// region matching none is in the aws partition (amazonaws.com), as are
// the GovCloud regions (us-gov-west-1: dynamodb.us-gov-west-1.amazonaws.com).
var partitions = []struct{ prefix, suffix string }{
	{"cn-", "amazonaws.com.cn"},
	{"us-isof-", "csp.hci.ic.gov"},
	{"us-isob-", "sc2s.sgov.gov"},
	{"us-iso-", "c2s.ic.gov"},
	{"eu-isoe-", "cloud.adc-e.uk"},
	{"eusc-", "amazonaws.eu"},
}

// Endpoint returns the base URL of s for region, as the AWS SDKs resolve
// it: the service's own variable (AWS_ENDPOINT_URL_DYNAMODB), else
// AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true;
// else https://<service>.<region>.<partition's DNS suffix>.
func Endpoint(getenv func(string) string, s Service, region string) (string, error) {
	if !strings.EqualFold(getenv(contract.EnvIgnoreConfiguredEndpointURLs), "true") {
		for _, name := range []string{s.EndpointEnv(), contract.EnvEndpointURL} {
			if v := getenv(name); v != "" {
				u, err := url.Parse(v)
				if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
					return "", fmt.Errorf("%s %q is not an http(s) URL", name, v)
				}
				return strings.TrimSuffix(v, "/"), nil
			}
		}
	}
	suffix, err := DNSSuffix(region)
	if err != nil {
		return "", err
	}
	return "https://" + s.Name + "." + region + "." + suffix, nil
}

// DNSSuffix is the DNS suffix of region's partition: amazonaws.com,
// amazonaws.com.cn, ... Hosts of every service in region end with it
// (S3's virtual-hosted buckets too: <bucket>.s3.<region>.<suffix>).
func DNSSuffix(region string) (string, error) {
	if err := checkRegion(region); err != nil {
		return "", err
	}
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.suffix, nil
		}
	}
	return "amazonaws.com", nil
}

// checkRegion accepts what can be a DNS label of a region: lower-case
// letters, digits and '-'.
func checkRegion(region string) error {
	if region == "" {
		return fmt.Errorf("no AWS region: %s is not set", contract.EnvRegion)
	}
	for _, c := range region {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("AWS region %q is not a region name", region)
		}
	}
	return nil
}
