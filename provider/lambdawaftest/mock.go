// Package lambdawaftest runs Pulumi programs that use lambdawaf against a
// mock AWS, the way net/http/httptest runs handlers against a recorder: every
// resource gets the identifiers AWS would give it (ARNs, names, ids), every
// registration is recorded with its real inputs, and tests assert on them.
//
//	cloud, err := lambdawaftest.Run(program)
//	fn := cloud.One(t, "aws:lambda/function:Function", "orders")
//	env := fn.Env()
package lambdawaftest

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The mock account, region, project and stack.
const (
	Region  = "eu-west-1"
	Account = "123456789012"
	Project = "shop"
	Stack   = "prod"
)

// Resource is one registered resource.
type Resource struct {
	Type, Name string
	// Inputs are the inputs the program registered, secrets still marked.
	Inputs resource.PropertyMap
	// URN is the resource's URN (parent types included); Parent is the
	// parent's URN.
	URN, Parent string
	// Dependencies are the URNs of explicit dependencies.
	Dependencies []string
	// IgnoreChanges and AdditionalSecretOutputs as registered.
	IgnoreChanges, AdditionalSecretOutputs []string
}

// Cloud is the mock AWS. It implements pulumi.MockResourceMonitor.
type Cloud struct {
	mu        sync.Mutex
	resources []Resource
	// Stacks holds the outputs of other stacks, by the name a
	// pulumi.StackReference is given ("org/project/stack").
	Stacks map[string]resource.PropertyMap
	// Invokes answers provider functions by token (e.g.
	// "aws:index/getRegion:getRegion"); unknown tokens echo their
	// arguments, and the common AWS look-ups have defaults.
	Invokes map[string]resource.PropertyMap
}

// Config is stack configuration for a run, keyed "namespace:key" as in
// Pulumi.<stack>.yaml; values are the strings `pulumi config set` stores
// (JSON for objects and lists).
type Config map[string]string

// Run runs program against a new mock cloud, with the given configuration.
func Run(program pulumi.RunFunc, config ...Config) (*Cloud, error) {
	return (&Cloud{}).Run(program, config...)
}

// Run runs program against c (set Stacks or Invokes first).
func (c *Cloud) Run(program pulumi.RunFunc, config ...Config) (*Cloud, error) {
	withConfig := func(info *pulumi.RunInfo) {
		info.Config = map[string]string{}
		for _, cfg := range config {
			for k, v := range cfg {
				info.Config[k] = v
			}
		}
	}
	err := pulumi.RunErr(program, pulumi.WithMocks(Project, Stack, c), withConfig)
	return c, err
}

// MustRun runs a program that must succeed.
func MustRun(t testing.TB, program pulumi.RunFunc, config ...Config) *Cloud {
	t.Helper()
	c, err := Run(program, config...)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return c
}

// NewResource implements pulumi.MockResourceMonitor.
func (c *Cloud) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if args.TypeToken == "pulumi:pulumi:StackReference" {
		return args.Name, resource.PropertyMap{
			"name":              resource.NewStringProperty(args.Name),
			"outputs":           resource.NewObjectProperty(c.Stacks[args.Name]),
			"secretOutputNames": resource.NewArrayProperty(nil),
		}, nil
	}
	id, out := Outputs(args.TypeToken, args.Name, args.Inputs)
	r := Resource{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.URN = childURN(r.Parent, args.TypeToken, args.Name)
		r.Dependencies = rpc.GetDependencies()
		r.IgnoreChanges = rpc.GetIgnoreChanges()
		r.AdditionalSecretOutputs = rpc.GetAdditionalSecretOutputs()
	}
	c.mu.Lock()
	c.resources = append(c.resources, r)
	c.mu.Unlock()
	return id, out, nil
}

// Call implements pulumi.MockResourceMonitor.
func (c *Cloud) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if r, ok := c.Invokes[args.Token]; ok {
		return r, nil
	}
	return Invoke(args.Token, args.Args), nil
}

// Resources returns every registered resource, in registration order.
func (c *Cloud) Resources() []Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Resource(nil), c.resources...)
}

// All returns the resources of one type, sorted by name.
func (c *Cloud) All(typ string) []Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Resource
	for _, r := range c.resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// One returns the resource of a type and name, failing the test if there is
// none.
func (c *Cloud) One(t testing.TB, typ, name string) Resource {
	t.Helper()
	for _, r := range c.All(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q; have %v", typ, name, c.Names(typ))
	return Resource{}
}

// Names lists the names of the resources of one type.
func (c *Cloud) Names(typ string) []string {
	var n []string
	for _, r := range c.All(typ) {
		n = append(n, r.Name)
	}
	return n
}

// Plain returns a property map as plain Go values, secrets unwrapped.
func Plain(pm resource.PropertyMap) map[string]any {
	return pm.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return PlainValue(v.SecretValue().Element), true
		}
		return nil, false
	})
}

// PlainValue is one property value as a plain Go value.
func PlainValue(v resource.PropertyValue) any {
	return Plain(resource.PropertyMap{"v": v})["v"]
}

// Input is one input as a plain Go value (nil when absent).
func (r Resource) Input(key string) any { return Plain(r.Inputs)[key] }

// Str is a string input, failing the test if it is not one.
func (r Resource) Str(t testing.TB, key string) string {
	t.Helper()
	s, ok := r.Input(key).(string)
	if !ok {
		t.Fatalf("%s %s: input %q is %v, not a string", r.Type, r.Name, key, r.Input(key))
	}
	return s
}

// Strings is a list-of-strings input (nil when absent).
func (r Resource) Strings(key string) []string {
	var out []string
	if l, ok := r.Input(key).([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// Env is a function's environment variables.
func (r Resource) Env() map[string]string {
	out := map[string]string{}
	e, _ := r.Input("environment").(map[string]any)
	vars, _ := e["variables"].(map[string]any)
	for k, v := range vars {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// JSON decodes a string input holding JSON (a policy, a dashboard body)
// into v, failing the test if it is not JSON.
func (r Resource) JSON(t testing.TB, key string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Str(t, key)), v); err != nil {
		t.Fatalf("%s %s: input %q is not JSON: %v", r.Type, r.Name, key, err)
	}
}

// LayerArn is the ARN the mock gives a layer version named name.
func LayerArn(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:layer:%s:1", Region, Account, name)
}

// childURN is the URN the engine gives a resource under parent.
func childURN(parent, typ, name string) string {
	var parentType tokens.Type
	if parent != "" {
		if p, err := resource.ParseURN(parent); err == nil {
			parentType = p.QualifiedType()
		}
	}
	return string(resource.NewURN(Stack, Project, parentType, tokens.Type(typ), name))
}

// AgentLayerArn is the ARN of the agent layer version the program published
// for arch (the layer whose compatibleArchitectures is exactly arch and
// that ships the extension), failing the test if there is not exactly one.
func AgentLayerArn(t testing.TB, c *Cloud, arch string) string {
	t.Helper()
	var found []string
	for _, l := range c.All("aws:lambda/layerVersion:LayerVersion") {
		archs := l.Strings("compatibleArchitectures")
		if len(archs) == 1 && archs[0] == arch {
			found = append(found, LayerArn(l.Str(t, "layerName")))
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one agent layer for %s, have %v", arch, found)
	}
	return found[0]
}

// Recorded is a cloud holding resources recorded elsewhere (by the
// stand-in AWS plugin under the real engine, tools/pulumipreview), so the
// same accessors assert on them.
func Recorded(resources []Resource) *Cloud { return &Cloud{resources: resources} }
