package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
)

var update = flag.Bool("update", false, "rewrite ../schema.json from the provider")

// schemaPath is the checked-in schema that SDK generation and
// `pulumi package add` read.
const schemaPath = "../schema.json"

func server(t *testing.T, opts ...integration.ServerOption) integration.Server {
	t.Helper()
	prov, err := Provider()
	if err != nil {
		t.Fatal(err)
	}
	s, err := integration.NewServer(t.Context(), Name, semver.MustParse(Version),
		append([]integration.ServerOption{integration.WithProvider(prov)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func generatedSchema(t *testing.T) []byte {
	t.Helper()
	resp, err := server(t).GetSchema(p.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(resp.Schema), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// TestSchemaIsCheckedIn regenerates the schema and compares it with the
// checked-in file. After changing a component's arguments, run
// `go test ./provider/plugin -run TestSchemaIsCheckedIn -update`.
func TestSchemaIsCheckedIn(t *testing.T) {
	got := generatedSchema(t)
	if *update {
		if err := os.WriteFile(schemaPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("read checked-in schema: %v (generate it with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: regenerate it with `go test ./provider/plugin -run TestSchemaIsCheckedIn -update`", schemaPath)
	}
}

// schemaSpec is the part of the generated schema the SDKs' types follow.
type schemaSpec struct {
	Language  map[string]map[string]any `json:"language"`
	Resources map[string]struct {
		Required        []string                  `json:"required"`
		InputProperties map[string]map[string]any `json:"inputProperties"`
	} `json:"resources"`
}

func parsedSchema(t *testing.T) schemaSpec {
	t.Helper()
	var s schemaSpec
	if err := json.Unmarshal(generatedSchema(t), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchemaTypesWhatSDKsSee checks the generated schema the way the SDK
// generators read it: outputs that can be absent are not required (SDKs
// would type them as always present), and list and map items are inputs
// (a TypeScript program passing an Output<string> as a layer or tag must
// compile).
func TestSchemaTypesWhatSDKsSee(t *testing.T) {
	s := parsedSchema(t)
	agent := s.Resources["lambdawaf:index:Agent"]
	slices.Sort(agent.Required)
	if want := []string{"agentKeySecretArn", "logRetentionInDays"}; !slices.Equal(agent.Required, want) {
		t.Errorf("Agent requires outputs %v, want only %v (the others are absent without their part)", agent.Required, want)
	}
	fn := s.Resources["lambdawaf:index:ProtectedFunction"].InputProperties
	for _, tc := range []struct{ prop, element string }{{"layers", "items"}, {"tags", "additionalProperties"}, {"environment", "additionalProperties"}} {
		el, _ := fn[tc.prop][tc.element].(map[string]any)
		if el == nil || el["plain"] == true {
			t.Errorf("ProtectedFunction.%s %s = %v: elements must be inputs", tc.prop, tc.element, el)
		}
	}
	if got := s.Language["go"]["importBasePath"]; got != GoImportPath || !strings.HasPrefix(GoImportPath, "github.com/lambdawaf/lambdawaf/provider/") {
		t.Errorf("Go importBasePath %v must point inside provider/ (the top level is fixed)", got)
	}
	if got := s.Language["nodejs"]["packageName"]; got != NodePackage {
		t.Errorf("Node.js package %v, want %s", got, NodePackage)
	}
}

// TestReadmesImportTheGeneratedPackage fails when a README imports the
// Node.js SDK under another name than the schema gives it.
func TestReadmesImportTheGeneratedPackage(t *testing.T) {
	name, _ := parsedSchema(t).Language["nodejs"]["packageName"].(string)
	if name == "" {
		t.Fatal("schema names no Node.js package")
	}
	imports := regexp.MustCompile(`from\s+"(@[^"/]+/lambdawaf)"|require\("(@[^"/]+/lambdawaf)"\)|npm install\s+(@[^\s/]+/lambdawaf)`)
	for _, readme := range []string{"../README.md", "../../README.md", "../../examples/README.md"} {
		b, err := os.ReadFile(readme)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range imports.FindAllStringSubmatch(string(b), -1) {
			if got := m[1] + m[2] + m[3]; got != name {
				t.Errorf("%s imports %s; the generated package is %s", readme, got, name)
			}
		}
	}
}
