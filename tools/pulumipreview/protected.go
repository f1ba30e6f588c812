package pulumipreview

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// The aws:* types the checks read.
const (
	FunctionType      = "aws:lambda/function:Function"
	LayerVersionType  = "aws:lambda/layerVersion:LayerVersion"
	RoleType          = "aws:iam/role:Role"
	RolePolicyType    = "aws:iam/rolePolicy:RolePolicy"
	SecretType        = "aws:secretsmanager/secret:Secret"
	SecretVersionType = "aws:secretsmanager/secretVersion:SecretVersion"
	LogGroupType      = "aws:cloudwatch/logGroup:LogGroup"
)

// Wiring is how a function's runtime reaches the agent.
type Wiring int

const (
	// InProcess: a Go handler that starts the redirect itself; no
	// wrapper variable.
	InProcess Wiring = iota
	// ExecWrapper: a managed runtime started through
	// AWS_LAMBDA_EXEC_WRAPPER.
	ExecWrapper
)

// Arn is the ARN AWS gave a created resource (what the stand-in answered).
func Arn(t *testing.T, r lambdawaftest.Resource) string {
	t.Helper()
	_, out := lambdawaftest.Outputs(r.Type, r.Name, r.Inputs)
	a := out["arn"]
	if !a.IsString() || a.StringValue() == "" {
		t.Fatalf("%s %s has no ARN", r.Type, r.Name)
	}
	return a.StringValue()
}

// CheckProtectedFunction asserts on what `pulumi up` sent AWS for the
// function named name that a lambdawaf component protects: the agent layer
// of its own architecture (whose zip holds an extension binary for that
// machine), the agent's environment with the agent key secret's ARN, the
// wiring, a secret agent key, and a least-privilege role policy.
func CheckProtectedFunction(t *testing.T, created *lambdawaftest.Cloud, name string, wiring Wiring) {
	t.Helper()
	fn := created.One(t, FunctionType, name)
	arch := lambdawaf.ArchX86_64
	if a := fn.Strings("architectures"); len(a) > 0 {
		arch = a[0]
	}

	agentLayer := agentLayerFor(t, created, arch)
	if layers := fn.Strings("layers"); !slices.Contains(layers, Arn(t, agentLayer)) {
		t.Errorf("function %s (%s): layers %v lack the %s agent layer %s", name, arch, layers, arch, Arn(t, agentLayer))
	}
	checkLayerZip(t, agentLayer, arch)

	secrets := created.All(SecretType)
	if len(secrets) != 1 {
		t.Fatalf("want the agent key secret, have secrets %v", created.Names(SecretType))
	}
	secretArn := Arn(t, secrets[0])
	env := fn.Env()
	if env[contract.EnvAgentKeySecretARN] != secretArn {
		t.Errorf("function %s: %s = %q, want the agent key secret %s", name, contract.EnvAgentKeySecretARN, env[contract.EnvAgentKeySecretARN], secretArn)
	}
	if _, err := contract.ParseMode(env[contract.EnvMode]); err != nil {
		t.Errorf("function %s: %s: %v", name, contract.EnvMode, err)
	}
	for _, v := range created.All(SecretVersionType) {
		if s := v.Inputs["secretString"]; !s.IsSecret() {
			t.Errorf("secret version %s: the agent key reached the engine as a plain value", v.Name)
		}
	}
	switch got := env[contract.EnvExecWrapper]; wiring {
	case ExecWrapper:
		if got != contract.WrapperPath {
			t.Errorf("function %s (%s): %s = %q, want %s", name, fn.Str(t, "runtime"), contract.EnvExecWrapper, got, contract.WrapperPath)
		}
	case InProcess:
		if got != "" {
			t.Errorf("function %s (%s): in-process wiring, but %s = %q", name, fn.Str(t, "runtime"), contract.EnvExecWrapper, got)
		}
	}

	role := roleOf(t, created, fn)
	checkAgentPolicy(t, created, fn, role, secretArn)
}

// agentLayerFor is the agent layer version published for arch: the one
// whose only compatible architecture is arch.
func agentLayerFor(t *testing.T, created *lambdawaftest.Cloud, arch string) lambdawaftest.Resource {
	t.Helper()
	var found []lambdawaftest.Resource
	for _, l := range created.All(LayerVersionType) {
		if a := l.Strings("compatibleArchitectures"); len(a) == 1 && a[0] == arch {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s agent layer, have %d among %v", arch, len(found), created.Names(LayerVersionType))
	}
	return found[0]
}

// checkLayerZip opens the archive the engine sent as the layer's code and
// checks its extension binary runs on arch.
func checkLayerZip(t *testing.T, l lambdawaftest.Resource, arch string) {
	t.Helper()
	code := l.Inputs["code"]
	if !code.IsArchive() || code.ArchiveValue().Path == "" {
		t.Fatalf("layer %s: code %v is not a file archive", l.Name, code)
	}
	zr, err := zip.OpenReader(code.ArchiveValue().Path)
	if err != nil {
		t.Fatalf("layer %s: %v", l.Name, err)
	}
	defer zr.Close()
	want := strings.TrimPrefix(path.Join(contract.ExtensionsDir, contract.ExtensionName), "/opt/")
	for _, f := range zr.File {
		if f.Name != want {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		bin := filepath.Join(t.TempDir(), contract.ExtensionName)
		out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, rc); err != nil {
			t.Fatal(err)
		}
		out.Close()
		if err := layer.CheckExtension(bin, arch); err != nil {
			t.Errorf("layer %s: %v", l.Name, err)
		}
		return
	}
	t.Errorf("layer %s: %s has no %s", l.Name, code.ArchiveValue().Path, want)
}

// roleOf is the role the function runs as, found by the ARN the engine
// resolved into the function's inputs.
func roleOf(t *testing.T, created *lambdawaftest.Cloud, fn lambdawaftest.Resource) lambdawaftest.Resource {
	t.Helper()
	arn := fn.Str(t, "role")
	for _, r := range created.All(RoleType) {
		if Arn(t, r) == arn {
			return r
		}
	}
	t.Fatalf("function %s runs as %s, which no created role has", fn.Name, arn)
	return lambdawaftest.Resource{}
}

// checkAgentPolicy finds the agent's inline policy on the function's role
// and checks it grants the agent key on its exact ARN, the function's own
// log group, and nothing on every resource but the actions AWS cannot
// scope.
func checkAgentPolicy(t *testing.T, created *lambdawaftest.Cloud, fn, role lambdawaftest.Resource, secretArn string) {
	t.Helper()
	_, roleOut := lambdawaftest.Outputs(role.Type, role.Name, role.Inputs)
	roleName := roleOut["name"].StringValue()
	var doc *lambdawaf.PolicyDocument
	for _, p := range created.All(RolePolicyType) {
		if r := p.Str(t, "role"); (r != roleName && r != Arn(t, role)) || !strings.HasSuffix(p.Name, "-lambdawaf") {
			continue
		}
		doc = &lambdawaf.PolicyDocument{}
		p.JSON(t, "policy", doc)
	}
	if doc == nil {
		t.Fatalf("function %s: no lambdawaf policy on its role %s", fn.Name, roleName)
	}
	granted := map[string][]string{}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			if a == "*" || strings.HasSuffix(a, ":*") {
				t.Errorf("function %s: policy grants %s", fn.Name, a)
			}
			granted[a] = append(granted[a], s.Resource...)
			if slices.Contains(s.Resource, "*") && !unscopable(a) {
				t.Errorf("function %s: policy grants %s on every resource", fn.Name, a)
			}
		}
	}
	if got := granted["secretsmanager:GetSecretValue"]; !slices.Equal(got, []string{secretArn}) {
		t.Errorf("function %s: GetSecretValue on %v, want exactly the agent key %s", fn.Name, got, secretArn)
	}
	// A role the component created writes to the function's own log
	// group only; an existing role (the stack transform's) keeps the
	// log permissions it had.
	for _, lg := range created.All(LogGroupType) {
		if lg.Str(t, "name") != "/aws/lambda/"+FunctionName(t, fn) {
			continue
		}
		if want := []string{Arn(t, lg) + ":*"}; !slices.Equal(granted["logs:PutLogEvents"], want) {
			t.Errorf("function %s: PutLogEvents on %v, want its own log group %v", fn.Name, granted["logs:PutLogEvents"], want)
		}
	}
}

// unscopable are the actions AWS does not scope to a resource.
func unscopable(action string) bool {
	return strings.HasPrefix(action, "ec2:") || strings.HasPrefix(action, "xray:")
}

// FunctionName is the name AWS gave a function.
func FunctionName(t *testing.T, fn lambdawaftest.Resource) string {
	t.Helper()
	return Name(t, fn)
}

// Name is the name AWS gave a resource (its name input, or the one it
// generated).
func Name(t *testing.T, r lambdawaftest.Resource) string {
	t.Helper()
	return Output(t, r, "name")
}

// Output is a string output AWS computed for a created resource.
func Output(t *testing.T, r lambdawaftest.Resource, key string) string {
	t.Helper()
	_, out := lambdawaftest.Outputs(r.Type, r.Name, r.Inputs)
	v := out[resource.PropertyKey(key)]
	if !v.IsString() {
		t.Fatalf("%s %s has no %s output", r.Type, r.Name, key)
	}
	return v.StringValue()
}

// GrantsOnlyOn reports whether every statement of a policy document
// grants on resources under arn only (the ARN itself, or index/child
// paths of it), and grants something.
func GrantsOnlyOn(t *testing.T, document, arn string) bool {
	t.Helper()
	var doc struct {
		Statement []struct {
			Resource any
		}
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		t.Fatalf("policy %s: %v", document, err)
	}
	if len(doc.Statement) == 0 {
		return false
	}
	for _, s := range doc.Statement {
		var resources []string
		switch r := s.Resource.(type) {
		case string:
			resources = []string{r}
		case []any:
			for _, e := range r {
				str, _ := e.(string)
				resources = append(resources, str)
			}
		}
		if len(resources) == 0 {
			return false
		}
		for _, r := range resources {
			if r != arn && !strings.HasPrefix(r, arn+"/") {
				return false
			}
		}
	}
	return true
}
