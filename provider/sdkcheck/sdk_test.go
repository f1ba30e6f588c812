package sdkcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const (
	schemaPath = "../schema.json"
	nodeDeps   = "../../dist/sdkcheck/node_modules"
)

func loadSpec(t *testing.T) schema.PackageSpec {
	t.Helper()
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

func bind(t *testing.T, spec schema.PackageSpec) *schema.Package {
	t.Helper()
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("schema: %v", diags)
	}
	return pkg
}

// noPackages is a schema loader that knows no other package: the schema
// must stand alone (no references to pulumi-aws types, which would make
// every SDK depend on the AWS provider's).
type noPackages struct{}

func (noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %s", pkg)
}

func (noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %s", d.Name)
}

func (noPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %s", pkg)
}

func (noPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %s", d.Name)
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNodeSDKCompilesStrict generates the Node.js SDK and compiles it with
// a program that uses every input, under tsc --strict.
func TestNodeSDKCompilesStrict(t *testing.T) {
	deps, err := filepath.Abs(nodeDeps)
	if err != nil {
		t.Fatal(err)
	}
	tsc := filepath.Join(deps, ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		t.Fatalf("no TypeScript compiler at %s: run provider/sdkcheck/install-node-deps.sh (CI does)", tsc)
	}
	spec := loadSpec(t)
	files, err := nodejs.GeneratePackage("sdkcheck", bind(t, spec), nil, nil, false, noPackages{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, filepath.Join(dir, "sdk"), files)
	program := programUsingEveryInput(t, spec)
	tsconfig := `{"compilerOptions": {"strict": true, "noEmit": true, "target": "ES2020", "module": "commonjs",
  "moduleResolution": "node", "esModuleInterop": true, "resolveJsonModule": true, "skipLibCheck": true,
  "types": ["node"], "typeRoots": ["node_modules/@types"]},
 "files": ["program.ts"]}`
	writeFiles(t, dir, map[string][]byte{"program.ts": []byte(program), "tsconfig.json": []byte(tsconfig)})
	if err := os.Symlink(deps, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), tsc, "-p", "tsconfig.json")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc --strict: %v\n%s\nprogram:\n%s", err, out, program)
	}
}

// TestPythonSDKCompiles generates the Python SDK and byte-compiles every
// file.
func TestPythonSDKCompiles(t *testing.T) {
	files, err := python.GeneratePackage("sdkcheck", bind(t, loadSpec(t)), nil, noPackages{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	var py []string
	for name := range files {
		if strings.HasSuffix(name, ".py") {
			py = append(py, filepath.Join(dir, filepath.FromSlash(name)))
		}
	}
	slices.Sort(py)
	if len(py) == 0 {
		t.Fatal("no Python files generated")
	}
	cmd := exec.CommandContext(t.Context(), "python3", append([]string{"-m", "py_compile"}, py...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("py_compile: %v\n%s", err, out)
	}
}

// programUsingEveryInput is a TypeScript program that constructs every
// component with every input (each value an Output where the schema says
// input, so that a plain item type fails the compile) and calls every
// function with every input.
func programUsingEveryInput(t *testing.T, spec schema.PackageSpec) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("import * as pulumi from \"@pulumi/pulumi\";\nimport * as lambdawaf from \"./sdk\";\n\n")
	for _, token := range slices.Sorted(mapsKeys(spec.Resources)) {
		r := spec.Resources[token]
		if !r.IsComponent {
			continue
		}
		name := token[strings.LastIndex(token, ":")+1:]
		fmt.Fprintf(&b, "export const %s = new lambdawaf.%s(%q, %s);\n", lowerFirst(name), name, lowerFirst(name),
			object(t, spec, r.InputProperties, false, 0))
	}
	// What programs pass and read that the schema once got wrong: Outputs
	// as layers and tags (another resource's ARN, a stack's tag), and
	// Agent outputs that can be absent typed as such.
	b.WriteString(`
export const withOutputItems = new lambdawaf.ProtectedFunction("withOutputItems", {
    runtime: "python3.13", handler: "app.handler", codePath: "app",
    layers: [agent.layerArnX86_64.apply(a => a ?? "")], tags: {team: pulumi.output("shop")},
});
type Optional<T> = undefined extends T ? true : false;
const kmsKeyArnOptional: Optional<pulumi.Unwrap<typeof agent.kmsKeyArn>> = true;
const configLayerArnOptional: Optional<pulumi.Unwrap<typeof agent.configLayerArn>> = true;
const firehoseStreamArnOptional: Optional<pulumi.Unwrap<typeof agent.firehoseStreamArn>> = true;
const secretArnRequired: Optional<pulumi.Unwrap<typeof agent.agentKeySecretArn>> = false;
export const checks = [kmsKeyArnOptional, configLayerArnOptional, firehoseStreamArnOptional, secretArnRequired];
`)
	for _, token := range slices.Sorted(mapsKeys(spec.Functions)) {
		f := spec.Functions[token]
		name := token[strings.LastIndex(token, ":")+1:]
		fmt.Fprintf(&b, "export const %sResult = lambdawaf.%s(%s);\n", name, name, object(t, spec, f.Inputs.Properties, true, 0))
	}
	return b.String()
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// object is an object literal holding every property.
func object(t *testing.T, spec schema.PackageSpec, props map[string]schema.PropertySpec, plain bool, depth int) string {
	t.Helper()
	var fields []string
	for _, k := range slices.Sorted(mapsKeys(props)) {
		fields = append(fields, fmt.Sprintf("%s: %s", k, value(t, spec, props[k].TypeSpec, plain, depth+1)))
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

// value is a value of type ts; wrapped in pulumi.output unless the schema
// says plain.
func value(t *testing.T, spec schema.PackageSpec, ts schema.TypeSpec, plain bool, depth int) string {
	t.Helper()
	plain = plain || ts.Plain
	wrap := func(v string) string {
		if plain {
			return v
		}
		return "pulumi.output(" + v + ")"
	}
	if ts.Ref != "" {
		token, ok := strings.CutPrefix(ts.Ref, "#/types/")
		if !ok {
			t.Fatalf("reference %s outside the package", ts.Ref)
		}
		typ := spec.Types[token]
		if len(typ.Enum) > 0 {
			v, _ := json.Marshal(typ.Enum[0].Value)
			return string(v) // enum members are literal types
		}
		if depth > 8 {
			t.Fatalf("type %s nests too deep", token)
		}
		return object(t, spec, typ.Properties, plain, depth)
	}
	switch ts.Type {
	case "string":
		return wrap(`"x"`)
	case "integer", "number":
		return wrap("1")
	case "boolean":
		return wrap("true")
	case "array":
		return "[" + value(t, spec, *ts.Items, plain, depth) + "]"
	case "object":
		if ts.AdditionalProperties == nil {
			return "{}"
		}
		return "{k: " + value(t, spec, *ts.AdditionalProperties, plain, depth) + "}"
	}
	t.Fatalf("type %+v not handled", ts)
	return ""
}
