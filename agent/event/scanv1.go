package event

import (
	"github.com/aws/aws-lambda-go/events"
	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// scanV1 is scanV2 for API Gateway REST, WebSocket and ALB events: one
// pass into v1Event, false (fall back to encoding/json) on anything
// encoding/json would read differently.
func scanV1(payload []byte, ev *v1Event, spans *jsonscan.Spans) bool {
	return scanObject(payload, spans, func(v *v2Scan, key string, t jsonscan.Token) bool {
		switch key {
		case "resource":
			return v.str(t, &ev.Resource)
		case "path":
			return v.str(t, &ev.Path)
		case "httpMethod":
			return v.str(t, &ev.HTTPMethod)
		case "headers":
			return v.rawObject(t, (*[]byte)(&ev.Headers))
		case "multiValueHeaders":
			return v.lists(t, true, (*map[string][]string)(&ev.MultiValueHeaders))
		case "queryStringParameters":
			return v.rawObject(t, (*[]byte)(&ev.QueryStringParameters))
		case "multiValueQueryStringParameters":
			return v.lists(t, false, (*map[string][]string)(&ev.MultiValueQueryStringParameters))
		case "pathParameters":
			return v.lists(t, false, (*map[string][]string)(&ev.PathParameters))
		case "body":
			return v.body(t, &ev.Body, &ev.rawBody)
		case "isBase64Encoded":
			return v.boolean(t, &ev.IsBase64Encoded)
		case "requestContext":
			return v.v1Context(t, &ev.RequestContext)
		}
		return v.skip(key, t, "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
			"multiValueQueryStringParameters", "pathParameters", "body", "isBase64Encoded", "requestContext")
	})
}

func (v *v2Scan) v1Context(t jsonscan.Token, rc *v1Context) bool {
	return v.optMembers(t, func(key string, t jsonscan.Token) bool {
		switch key {
		case "elb":
			if t.Kind == jsonscan.Null {
				rc.ELB = nil
				return true
			}
			if t.Kind != jsonscan.ObjectStart {
				return false
			}
			if rc.ELB == nil {
				rc.ELB = &albContext{}
			}
			return v.object(func(key string, t jsonscan.Token) bool {
				if key == "targetGroupArn" {
					return v.str(t, &rc.ELB.TargetGroupArn)
				}
				return v.skip(key, t, "targetGroupArn")
			})
		case "resourcePath":
			return v.str(t, &rc.ResourcePath)
		case "httpMethod":
			return v.str(t, &rc.HTTPMethod)
		case "routeKey":
			return v.str(t, &rc.RouteKey)
		case "connectionId":
			return v.str(t, &rc.ConnectionID)
		case "eventType":
			return v.str(t, &rc.EventType)
		case "identity":
			return v.identity(t, &rc.Identity)
		case "authorizer":
			return v.rawObject(t, (*[]byte)(&rc.Authorizer))
		}
		return v.skip(key, t, "elb", "resourcePath", "httpMethod", "routeKey", "connectionId", "eventType", "identity", "authorizer")
	})
}

func (v *v2Scan) identity(t jsonscan.Token, id *events.APIGatewayRequestIdentity) bool {
	return v.optMembers(t, func(key string, t jsonscan.Token) bool {
		switch key {
		case "cognitoIdentityPoolId":
			return v.str(t, &id.CognitoIdentityPoolID)
		case "accountId":
			return v.str(t, &id.AccountID)
		case "cognitoIdentityId":
			return v.str(t, &id.CognitoIdentityID)
		case "caller":
			return v.str(t, &id.Caller)
		case "apiKey":
			return v.str(t, &id.APIKey)
		case "apiKeyId":
			return v.str(t, &id.APIKeyID)
		case "accessKey":
			return v.str(t, &id.AccessKey)
		case "sourceIp":
			return v.str(t, &id.SourceIP)
		case "cognitoAuthenticationType":
			return v.str(t, &id.CognitoAuthenticationType)
		case "cognitoAuthenticationProvider":
			return v.str(t, &id.CognitoAuthenticationProvider)
		case "userArn":
			return v.str(t, &id.UserArn)
		case "userAgent":
			return v.str(t, &id.UserAgent)
		case "user":
			return v.str(t, &id.User)
		case "clientCert":
			return v.clientCert(t, &id.ClientCert)
		}
		return v.skip(key, t, "cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "apiKey", "apiKeyId",
			"accessKey", "sourceIp", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "userAgent", "user", "clientCert")
	})
}

// clientCert reads the mTLS client certificate of a REST identity.
func (v *v2Scan) clientCert(t jsonscan.Token, dst **events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert) bool {
	return optObject(v, t, dst, func(c *events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert, key string, t jsonscan.Token) bool {
		switch key {
		case "clientCertPem":
			return v.str(t, &c.ClientCertPem)
		case "issuerDN":
			return v.str(t, &c.IssuerDN)
		case "serialNumber":
			return v.str(t, &c.SerialNumber)
		case "subjectDN":
			return v.str(t, &c.SubjectDN)
		case "validity":
			return v.optMembers(t, func(key string, t jsonscan.Token) bool {
				switch key {
				case "notAfter":
					return v.str(t, &c.Validity.NotAfter)
				case "notBefore":
					return v.str(t, &c.Validity.NotBefore)
				}
				return v.skip(key, t, "notAfter", "notBefore")
			})
		}
		return v.skip(key, t, "clientCertPem", "issuerDN", "serialNumber", "subjectDN", "validity")
	})
}
