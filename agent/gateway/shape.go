// Package gateway stands in for the AWS front doors of a Lambda function on
// a developer's machine: it turns each HTTP request into the event API
// Gateway (REST or HTTP API), an Application Load Balancer or a Function URL
// would build for it, invokes the function, and turns the function's answer
// back into the HTTP response that front door would send.
//
// The translation follows the platforms' documented behaviour, field by
// field, because a local firewall is only worth testing against the events
// the real services produce: header case and joining, which query values
// are decoded, when bodies are base64-encoded, and how malformed or failed
// responses surface to the client.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package gateway

import (
	"fmt"
	"strings"
)

// Shape names the front door whose events and responses a Translator
// imitates.
type Shape string

// The supported front doors.
const (
	// HTTPAPI is an API Gateway HTTP API with payload format 2.0 and the
	// $default route.
	HTTPAPI Shape = "http"
	// REST is an API Gateway REST API with a Lambda proxy integration on a
	// /{proxy+} resource (payload format 1.0).
	REST Shape = "rest"
	// ALB is an Application Load Balancer target group with multi-value
	// headers disabled.
	ALB Shape = "alb"
	// ALBMultiValue is an Application Load Balancer target group with
	// multi-value headers enabled.
	ALBMultiValue Shape = "alb-multi"
	// FunctionURL is a Lambda function URL (payload format 2.0 shape, auth
	// type NONE).
	FunctionURL Shape = "url"
)

// Shapes lists every supported shape, in the order help texts show them.
func Shapes() []Shape { return []Shape{HTTPAPI, REST, ALB, ALBMultiValue, FunctionURL} }

// ParseShape accepts a shape name as a user would type it on a command line.
func ParseShape(s string) (Shape, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "http", "httpapi", "http-api", "v2", "apigateway-http":
		return HTTPAPI, nil
	case "rest", "restapi", "rest-api", "v1", "apigateway-rest":
		return REST, nil
	case "alb":
		return ALB, nil
	case "alb-multi", "alb-multivalue", "alb-multi-value":
		return ALBMultiValue, nil
	case "url", "function-url", "functionurl", "lambda-url":
		return FunctionURL, nil
	}
	return "", fmt.Errorf("unknown trigger shape %q (want one of http, rest, alb, alb-multi, url)", s)
}

// String returns the shape's name.
func (s Shape) String() string { return string(s) }

// isV2 reports whether the shape uses payload format 2.0.
func (s Shape) isV2() bool { return s == HTTPAPI || s == FunctionURL }

// isALB reports whether the shape is one of the load balancer modes.
func (s Shape) isALB() bool { return s == ALB || s == ALBMultiValue }
