package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
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
