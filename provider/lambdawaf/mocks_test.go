package lambdawaf

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// The mock cloud: every resource gets the identifiers AWS would give it, so
// that assertions can compare exact ARNs.
const (
	region  = "eu-west-1"
	account = "123456789012"
)

type registered struct {
	typ, name string
	inputs    resource.PropertyMap
	urn       string
	deps      []string
	ignore    []string
	secrets   []string
}

type mocks struct {
	mu        sync.Mutex
	resources []registered
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	out := args.Inputs.Copy()
	id := args.Name + "-id"
	str := func(k string) string {
		v, ok := args.Inputs[resource.PropertyKey(k)]
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
	var arn string
	switch args.TypeToken {
	case "aws:lambda/layerVersion:LayerVersion":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:layer:%s:1", region, account, str("layerName"))
		id = arn
	case "aws:secretsmanager/secret:Secret":
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%sAbCdEf", region, account, str("namePrefix"))
		id = arn
	case "aws:kms/key:Key":
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab", region, account)
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, account, str("name"))
		id = str("name")
	case "aws:iam/role:Role":
		name := args.Name + "-1a2b3c4"
		arn = fmt.Sprintf("arn:aws:iam::%s:role/%s", account, name)
		out["name"] = resource.NewStringProperty(name)
		id = name
	case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
		arn = fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/%s", region, account, str("name"))
	case "aws:s3/bucketV2:BucketV2":
		id = str("bucketPrefix") + "20261121"
		arn = "arn:aws:s3:::" + id
	case "aws:lambda/function:Function":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, account, str("name"))
	}
	if arn != "" {
		out["arn"] = resource.NewStringProperty(arn)
	}
	r := registered{typ: args.TypeToken, name: args.Name, inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.urn = childURN(rpc.GetParent(), args.TypeToken, args.Name)
		r.deps = rpc.GetDependencies()
		r.ignore = rpc.GetIgnoreChanges()
		r.secrets = rpc.GetAdditionalSecretOutputs()
	}
	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()
	return id, out, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// run runs a program against the mock cloud.
func run(t *testing.T, program pulumi.RunFunc) (*mocks, error) {
	t.Helper()
	m := &mocks{}
	err := pulumi.RunErr(program, pulumi.WithMocks("shop", "prod", m))
	return m, err
}

// mustRun runs a program that must succeed.
func mustRun(t *testing.T, program pulumi.RunFunc) *mocks {
	t.Helper()
	m, err := run(t, program)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return m
}

func (m *mocks) all(typ string) []registered {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []registered
	for _, r := range m.resources {
		if r.typ == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (m *mocks) one(t *testing.T, typ, name string) registered {
	t.Helper()
	for _, r := range m.all(typ) {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q; have %v", typ, name, m.names(typ))
	return registered{}
}

func (m *mocks) names(typ string) []string {
	var n []string
	for _, r := range m.all(typ) {
		n = append(n, r.name)
	}
	return n
}

// plain is a property map as plain Go values, secrets unwrapped.
func plain(pm resource.PropertyMap) map[string]any {
	return pm.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return plainValue(v.SecretValue().Element), true
		}
		return nil, false
	})
}

func plainValue(v resource.PropertyValue) any {
	return plain(resource.PropertyMap{"v": v})["v"]
}

func (r registered) str(t *testing.T, key string) string {
	t.Helper()
	s, ok := plain(r.inputs)[key].(string)
	if !ok {
		t.Fatalf("%s %s: input %q is %v, not a string", r.typ, r.name, key, plain(r.inputs)[key])
	}
	return s
}

func (r registered) strings(key string) []string {
	var out []string
	if l, ok := plain(r.inputs)[key].([]any); ok {
		for _, e := range l {
			out = append(out, e.(string))
		}
	}
	return out
}

func (r registered) env() map[string]string {
	out := map[string]string{}
	e, _ := plain(r.inputs)["environment"].(map[string]any)
	vars, _ := e["variables"].(map[string]any)
	for k, v := range vars {
		out[k] = v.(string)
	}
	return out
}

func (r registered) policy(t *testing.T) PolicyDocument {
	t.Helper()
	var doc PolicyDocument
	if err := json.Unmarshal([]byte(r.str(t, "policy")), &doc); err != nil {
		t.Fatalf("%s: policy is not JSON: %v", r.name, err)
	}
	return doc
}

// layerZips writes two small layer zips with the tree the agent ships.
func layerZips(t *testing.T) (x86, arm string) {
	t.Helper()
	dir := t.TempDir()
	write := func(arch string) string {
		p := filepath.Join(dir, "lambdawaf-"+arch+".zip")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := zip.NewWriter(f)
		for _, n := range []string{"extensions/lambdawaf", "lambdawaf-wrapper", "bootstrap"} {
			e, err := w.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(e, "%s for %s\n", n, arch)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write(ArchX86_64), write(ArchArm64)
}

func layerArn(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:layer:%s:1", region, account, name)
}

// agentLayerArn is the ARN the mock gives the agent layer of the given
// agent name and architecture.
func agentLayerArn(agent, arch string) string {
	return layerArn(physicalNameFor("shop", "prod", "lambdawaf-"+agent+"-"+arch, 140))
}

func physicalNameFor(project, stack, logical string, max int) string {
	var name string
	_ = pulumi.RunErr(func(ctx *pulumi.Context) error {
		name = physicalName(ctx, logical, max)
		return nil
	}, pulumi.WithMocks(project, stack, &mocks{}))
	return name
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// childURN is the URN the engine gives a resource under parent.
func childURN(parent, typ, name string) string {
	var parentType tokens.Type
	if parent != "" {
		if p, err := resource.ParseURN(parent); err == nil {
			parentType = p.QualifiedType()
		}
	}
	return string(resource.NewURN("prod", "shop", parentType, tokens.Type(typ), name))
}

// atomicString captures the resolved value of an output.
type atomicString struct {
	mu sync.Mutex
	v  string
}

// capture waits for o inside the program: RunErr does not wait for
// applies that feed no resource.
func (a *atomicString) capture(ctx context.Context, o pulumi.StringOutput) {
	r, err := internals.UnsafeAwaitOutput(ctx, o)
	if err != nil || !r.Known {
		return
	}
	a.mu.Lock()
	a.v = r.Value.(string)
	a.mu.Unlock()
}

func (a *atomicString) get() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.v
}
