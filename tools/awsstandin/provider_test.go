package awsstandin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

const functionURN = "urn:pulumi:dev::shop::lambdawaf:index:ProtectedFunction$aws:lambda/function:Function::orders"

func newServer(t *testing.T, rec *Recorder) integration.Server {
	t.Helper()
	s, err := integration.NewServer(context.Background(), Name, semver.MustParse(Version), integration.WithProvider(New(rec)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func functionInputs() property.Map {
	return property.NewMap(map[string]property.Value{
		"runtime": property.New("python3.12"),
		"layers":  property.New([]property.Value{property.New("arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-x86_64:1")}),
		"environment": property.New(map[string]property.Value{
			"variables": property.New(map[string]property.Value{
				"AWS_LAMBDA_EXEC_WRAPPER": property.New("/opt/lambdawaf-wrapper"),
				"LAMBDAWAF_AGENT_KEY":     property.New("k3y-that-must-not-leak").WithSecret(true),
			}),
		}),
		"role": property.New(property.Computed),
	})
}

func TestCheckAndCreateAreRecordedWithTheirInputs(t *testing.T) {
	var buf bytes.Buffer
	s := newServer(t, NewRecorder(&buf))
	inputs := functionInputs()

	checked, err := s.Check(p.CheckRequest{Urn: functionURN, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	if !checked.Inputs.Equals(inputs) {
		t.Errorf("check changed the inputs: %v", checked.Inputs)
	}
	created, err := s.Create(p.CreateRequest{Urn: functionURN, Properties: inputs.Set("role", property.New("arn:aws:iam::123456789012:role/orders"))})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" {
		t.Error("create returned no id")
	}
	if arn := created.Properties.Get("arn"); !arn.IsString() || arn.AsString() != "arn:aws:lambda:eu-west-1:123456789012:function:orders-1a2b3c4" {
		t.Errorf("create computed arn %v", arn)
	}
	if got := created.Properties.Get("runtime"); got.AsString() != "python3.12" {
		t.Errorf("create outputs lack the inputs: runtime %v", got)
	}

	if bytes.Contains(buf.Bytes(), []byte("k3y-that-must-not-leak")) {
		t.Fatalf("a secret input reached the record file:\n%s", buf.String())
	}
	recs, err := ReadRecords(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Op != OpCheck || recs[1].Op != OpCreate {
		t.Fatalf("records %+v, want a check then a create", recs)
	}
	for _, r := range recs {
		if r.Type != "aws:lambda/function:Function" || r.Name != "orders" || r.URN != functionURN {
			t.Errorf("%s recorded as %s %s %s", r.Op, r.Type, r.Name, r.URN)
		}
		pm, err := r.Properties()
		if err != nil {
			t.Fatal(err)
		}
		vars := pm["environment"].ObjectValue()["variables"].ObjectValue()
		if got := vars["AWS_LAMBDA_EXEC_WRAPPER"]; !got.IsString() || got.StringValue() != "/opt/lambdawaf-wrapper" {
			t.Errorf("%s: wrapper variable recorded as %v", r.Op, got)
		}
		if key := vars["LAMBDAWAF_AGENT_KEY"]; !key.IsSecret() || key.SecretValue().Element.StringValue() != Redacted {
			t.Errorf("%s: secret recorded as %v, want a redacted secret", r.Op, key)
		}
		if layers := pm["layers"].ArrayValue(); len(layers) != 1 || layers[0].StringValue() != "arn:aws:lambda:eu-west-1:123456789012:layer:lambdawaf-x86_64:1" {
			t.Errorf("%s: layers recorded as %v", r.Op, layers)
		}
	}
	if pm, _ := recs[0].Properties(); !pm["role"].IsComputed() {
		t.Errorf("an unknown input at check recorded as %v", pm["role"])
	}
	if pm, _ := recs[1].Properties(); pm["role"].StringValue() != "arn:aws:iam::123456789012:role/orders" {
		t.Errorf("create recorded role %v", pm["role"])
	}
}

func TestNonAWSResourcesAreRefused(t *testing.T) {
	var buf bytes.Buffer
	s := newServer(t, NewRecorder(&buf))
	_, err := s.Check(p.CheckRequest{Urn: "urn:pulumi:dev::shop::random:index/randomPet:RandomPet::pet", Inputs: property.Map{}})
	if err == nil {
		t.Fatal("a random:* resource was accepted")
	}
	if buf.Len() != 0 {
		t.Errorf("a refused resource was recorded: %s", buf.String())
	}
}

func TestDiffReportsChangedInputs(t *testing.T) {
	s := newServer(t, NewRecorder(&bytes.Buffer{}))
	old := functionInputs().Set("role", property.New("arn:aws:iam::123456789012:role/a"))
	tests := []struct {
		name    string
		inputs  property.Map
		changed []string
	}{
		{"same inputs", old, nil},
		{"runtime changed", old.Set("runtime", property.New("python3.13")), []string{"runtime"}},
		{"input removed", old.Delete("layers"), []string{"layers"}},
		{"input added", old.Set("timeout", property.New(10.0)), []string{"timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := s.Diff(p.DiffRequest{ID: "orders-id", Urn: functionURN, OldInputs: old, State: old, Inputs: tt.inputs})
			if err != nil {
				t.Fatal(err)
			}
			if d.HasChanges != (len(tt.changed) > 0) {
				t.Errorf("HasChanges %v, want changes in %v", d.HasChanges, tt.changed)
			}
			for _, k := range tt.changed {
				if _, ok := d.DetailedDiff[k]; !ok {
					t.Errorf("diff %v lacks %s", d.DetailedDiff, k)
				}
			}
			if len(d.DetailedDiff) != len(tt.changed) {
				t.Errorf("diff %v, want only %v", d.DetailedDiff, tt.changed)
			}
		})
	}
}

func TestInvokeAnswersTheAccountLookups(t *testing.T) {
	var buf bytes.Buffer
	s := newServer(t, NewRecorder(&buf))
	r, err := s.Invoke(p.InvokeRequest{Token: "aws:index/getCallerIdentity:getCallerIdentity", Args: property.Map{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Return.Get("accountId"); got.AsString() != "123456789012" {
		t.Errorf("accountId %v", got)
	}
	recs, err := ReadRecords(&buf)
	if err != nil || len(recs) != 1 || recs[0].Op != OpInvoke || recs[0].Type != "aws:index/getCallerIdentity:getCallerIdentity" {
		t.Errorf("invoke records %+v, %v", recs, err)
	}
}

// TestVersionIsTheExamplesSDKVersion keeps Version equal to the
// pulumi-aws SDK version in go.mod: the engine asks for the plugin at that
// version, and would look for the real one on the network otherwise.
func TestVersionIsTheExamplesSDKVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/pulumi/pulumi-aws/sdk/v6")
	}
	if string(m[1]) != Version {
		t.Errorf("stand-in version %s, go.mod's pulumi-aws SDK %s", Version, m[1])
	}
}

func TestRecordsSurviveTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records.jsonl")
	for i := 0; i < 2; i++ { // the engine may start the plugin twice: both append
		rec, f, err := OpenRecorder(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRecord(OpCreate, false, "aws:sqs/queue:Queue", "orders", "", resource.PropertyMap{"visibilityTimeoutSeconds": resource.NewNumberProperty(60)})
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.Record(r); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadRecords(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	pm, err := recs[1].Properties()
	if err != nil {
		t.Fatal(err)
	}
	if pm["visibilityTimeoutSeconds"].NumberValue() != 60 {
		t.Errorf("inputs %v", pm)
	}
}
