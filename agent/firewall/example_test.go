package firewall_test

import (
	"context"
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Judge runs the agent's whole pipeline offline on one raw event.
func ExampleFirewall_Judge() {
	p, err := policy.Parse([]byte(`
rules:
  - id: admin-is-internal
    when:
      all:
        - {field: path, prefix: /admin}
        - not: {field: source-ip, cidr: 10.0.0.0/8}
    action: {type: block, status: 404, body: '{"message":"Not Found"}'}
`), "lambdawaf.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fw := firewall.New(p, firewall.Options{})
	event := []byte(`{"version":"2.0","routeKey":"$default","rawPath":"/admin/users","rawQueryString":"",
		"headers":{"host":"api.example.com"},
		"requestContext":{"http":{"method":"GET","path":"/admin/users","sourceIp":"203.0.113.9"},"routeKey":"$default","stage":"$default"},
		"isBase64Encoded":false}`)
	d, err := fw.Judge(context.Background(), event)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Trigger, d.Outcome, d.Status, d.RuleIDs)
	// Output: apigateway-http block 404 [admin-is-internal]
}
