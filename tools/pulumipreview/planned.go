package pulumipreview

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// Contradictions lists every input the first preview showed with a known
// value that `pulumi up` then sent differently: a value the program baked
// in before the outputs it depends on were known. Values still unknown at
// preview agree with anything.
func Contradictions(planned, created *lambdawaftest.Cloud) []string {
	byURN := map[string]lambdawaftest.Resource{}
	for _, r := range created.Resources() {
		byURN[r.URN] = r
	}
	var out []string
	for _, p := range planned.Resources() {
		c, ok := byURN[p.URN]
		if !ok {
			continue // the URN comparison reports it
		}
		for _, k := range slices.Sorted(func(yield func(resource.PropertyKey) bool) {
			for k := range p.Inputs {
				if !yield(k) {
					return
				}
			}
		}) {
			if path, ok := agree(string(k), p.Inputs[k], c.Inputs[k]); !ok {
				out = append(out, fmt.Sprintf("%s %s: %s planned %v, created %v", p.Type, p.Name, path, p.Inputs[k], c.Inputs[k]))
			}
		}
	}
	return out
}

// agree reports whether a planned value is unknown or equal to the created
// one, recursively, and where they first differ.
func agree(path string, planned, created resource.PropertyValue) (string, bool) {
	if planned.IsSecret() {
		planned = planned.SecretValue().Element
	}
	if created.IsSecret() {
		created = created.SecretValue().Element
	}
	switch {
	case planned.ContainsUnknowns() && !planned.IsObject() && !planned.IsArray():
		return "", true
	case planned.IsOutput():
		if !planned.OutputValue().Known {
			return "", true
		}
		return agree(path, planned.OutputValue().Element, created)
	case planned.IsObject() && created.IsObject():
		po, co := planned.ObjectValue(), created.ObjectValue()
		for k, v := range po {
			if p, ok := agree(path+"."+string(k), v, co[k]); !ok {
				return p, false
			}
		}
		return "", true
	case planned.IsArray() && created.IsArray():
		pa, ca := planned.ArrayValue(), created.ArrayValue()
		if len(pa) != len(ca) {
			return path, false
		}
		for i := range pa {
			if p, ok := agree(fmt.Sprintf("%s[%d]", path, i), pa[i], ca[i]); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, planned.DeepEquals(created)
}
