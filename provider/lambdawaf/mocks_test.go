package lambdawaf

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// The mock cloud is lambdawaftest's: every resource gets the identifiers
// AWS would give it, so that assertions can compare exact ARNs. The types
// below only adapt it to the names these tests were written with.
const (
	region  = lambdawaftest.Region
	account = lambdawaftest.Account
)

// registered is one registered resource.
type registered struct {
	typ, name string
	inputs    resource.PropertyMap
	urn       string
	deps      []string
	ignore    []string
	secrets   []string
}

func adapt(r lambdawaftest.Resource) registered {
	return registered{typ: r.Type, name: r.Name, inputs: r.Inputs, urn: r.URN, deps: r.Dependencies,
		ignore: r.IgnoreChanges, secrets: r.AdditionalSecretOutputs}
}

// mocks is a finished run's mock cloud.
type mocks struct{ cloud *lambdawaftest.Cloud }

// run runs a program against the mock cloud.
func run(t *testing.T, program pulumi.RunFunc) (*mocks, error) {
	t.Helper()
	c, err := lambdawaftest.Run(program)
	return &mocks{c}, err
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

// resources lists every registered resource, in registration order.
func (m *mocks) resources() []registered {
	var out []registered
	for _, r := range m.cloud.Resources() {
		out = append(out, adapt(r))
	}
	return out
}

func (m *mocks) all(typ string) []registered {
	var out []registered
	for _, r := range m.cloud.All(typ) {
		out = append(out, adapt(r))
	}
	return out
}

func (m *mocks) one(t *testing.T, typ, name string) registered {
	t.Helper()
	return adapt(m.cloud.One(t, typ, name))
}

func (m *mocks) names(typ string) []string { return m.cloud.Names(typ) }

// plain is a property map as plain Go values, secrets unwrapped.
func plain(pm resource.PropertyMap) map[string]any { return lambdawaftest.Plain(pm) }

func plainValue(v resource.PropertyValue) any { return lambdawaftest.PlainValue(v) }

func (r registered) res() lambdawaftest.Resource {
	return lambdawaftest.Resource{Type: r.typ, Name: r.name, Inputs: r.inputs}
}

func (r registered) str(t *testing.T, key string) string {
	t.Helper()
	return r.res().Str(t, key)
}

func (r registered) strings(key string) []string { return r.res().Strings(key) }

func (r registered) env() map[string]string { return r.res().Env() }

func (r registered) policy(t *testing.T) PolicyDocument {
	t.Helper()
	var doc PolicyDocument
	r.res().JSON(t, "policy", &doc)
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
		for _, n := range []string{"extensions/lambdawaf", "lambdawaf-wrapper"} {
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

// bootstrapZip writes a small bootstrap layer zip.
func bootstrapZip(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lambdawaf-bootstrap.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	e, err := w.Create("bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(e, "#!/bin/sh")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func layerArn(name string) string { return lambdawaftest.LayerArn(name) }

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
	}, pulumi.WithMocks(project, stack, &lambdawaftest.Cloud{}))
	return name
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

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
