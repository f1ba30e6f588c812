package pulumipreview

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestContradictionsFindValuesBakedInAtPreview(t *testing.T) {
	const urn = "urn:pulumi:dev::shop::aws:lambda/function:Function::orders"
	unknown := resource.MakeComputed(resource.NewStringProperty(""))
	str := resource.NewStringProperty
	obj := func(k string, v resource.PropertyValue) resource.PropertyValue {
		return resource.NewObjectProperty(resource.PropertyMap{resource.PropertyKey(k): v})
	}
	arr := func(v ...resource.PropertyValue) resource.PropertyValue { return resource.NewArrayProperty(v) }
	tests := []struct {
		name             string
		planned, created resource.PropertyValue
		contradicts      string // the path reported, "" for none
	}{
		{"unknown at preview", unknown, str("arn:aws:iam::123456789012:role/orders"), ""},
		{"same known value", str("python3.12"), str("python3.12"), ""},
		{"known value changed", str("arn:aws:lambda:eu-west-1:123456789012:layer:x:1"), str("arn:aws:lambda:eu-west-1:123456789012:layer:x:2"), "v"},
		{"unknown inside an object", obj("variables", obj("KEY", unknown)), obj("variables", obj("KEY", str("arn"))), ""},
		{"changed inside an object", obj("variables", obj("MODE", str("log"))), obj("variables", obj("MODE", str("block"))), "v.variables.MODE"},
		{"unknown list element", arr(str("a"), unknown), arr(str("a"), str("b")), ""},
		{"list grew", arr(str("a")), arr(str("a"), str("b")), "v"},
		{"secret compared by value", resource.MakeSecret(str("x")), resource.MakeSecret(str("x")), ""},
		{"secret changed", resource.MakeSecret(str("x")), resource.MakeSecret(str("y")), "v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			planned := lambdawaftest.Recorded([]lambdawaftest.Resource{{Type: "aws:lambda/function:Function", Name: "orders", URN: urn, Inputs: resource.PropertyMap{"v": tt.planned}}})
			created := lambdawaftest.Recorded([]lambdawaftest.Resource{{Type: "aws:lambda/function:Function", Name: "orders", URN: urn, Inputs: resource.PropertyMap{"v": tt.created}}})
			got := Contradictions(planned, created)
			switch {
			case tt.contradicts == "" && len(got) != 0:
				t.Errorf("contradictions %v, want none", got)
			case tt.contradicts != "" && (len(got) != 1 || !strings.Contains(got[0], ": "+tt.contradicts+" planned")):
				t.Errorf("contradictions %v, want one at %s", got, tt.contradicts)
			}
		})
	}
}
