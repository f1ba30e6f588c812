package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/lambdawaf/lambdawaf/infra/catalog"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	var outputs map[string]string
	cloud := lambdawaftest.MustRun(t, func(ctx *pulumi.Context) error {
		out, err := deploy(ctx)
		if err != nil {
			return err
		}
		outputs = resolve(ctx, out)
		return nil
	})

	lambdawaftest.AgentLayerArn(t, cloud, "x86_64")
	lambdawaftest.AgentLayerArn(t, cloud, "arm64")
	if n := len(cloud.All("aws:secretsmanager/secret:Secret")); n != 1 {
		t.Errorf("want one shared agent key secret, have %d", n)
	}

	bucketArn := "arn:aws:s3:::lambdawaf-decisions-20261121"
	sse := cloud.One(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "decisions")
	rules, _ := sse.Input("rules").([]any)
	if len(rules) != 1 || rules[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"] != "aws:kms" {
		t.Errorf("bucket encryption %v", sse.Inputs)
	}
	pab := cloud.One(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "decisions")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab.Input(k) != true {
			t.Errorf("public access block %s = %v", k, pab.Input(k))
		}
	}
	lc := cloud.One(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "decisions")
	lrules, _ := lc.Input("rules").([]any)
	if len(lrules) != 1 || lrules[0].(map[string]any)["expiration"].(map[string]any)["days"] != float64(400) {
		t.Errorf("lifecycle %v", lc.Inputs)
	}

	streams := cloud.All("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
	if len(streams) != 1 {
		t.Fatalf("want one decision stream, have %v", cloud.Names("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"))
	}
	s3cfg, _ := streams[0].Input("extendedS3Configuration").(map[string]any)
	if s3cfg["bucketArn"] != bucketArn {
		t.Errorf("stream delivers to %v, want %s", s3cfg["bucketArn"], bucketArn)
	}
	// The table projects the leading folders the stream writes.
	prefix, _ := s3cfg["prefix"].(string)
	if !strings.HasPrefix(prefix, decisionPrefix) {
		t.Fatalf("stream prefix %q is outside %s", prefix, decisionPrefix)
	}
	written := regexp.MustCompile(`([a-z]+)=!\{[^}]*\}/`).FindAllStringSubmatch(prefix, -1)
	table := cloud.One(t, "aws:glue/catalogTable:CatalogTable", "decisions")
	parts, _ := table.Input("partitionKeys").([]any)
	if len(parts) == 0 || len(parts) > len(written) {
		t.Fatalf("stream writes folders %v, table partitions %v", written, parts)
	}
	for i, p := range parts {
		if name := p.(map[string]any)["name"]; written[i][1] != name {
			t.Errorf("partition %d: stream writes %s, table partitions on %v", i, written[i][1], name)
		}
	}

	sd, _ := table.Input("storageDescriptor").(map[string]any)
	cols, _ := sd["columns"].([]any)
	want := catalog.DecisionColumns()
	if len(cols) != len(want) {
		t.Fatalf("table has %d columns, the agent's records %d", len(cols), len(want))
	}
	for i, c := range cols {
		m := c.(map[string]any)
		if m["name"] != want[i].Name || m["type"] != want[i].Type {
			t.Errorf("column %d is %v %v, want %s %s", i, m["name"], m["type"], want[i].Name, want[i].Type)
		}
	}
	if sd["location"] != "s3://lambdawaf-decisions-20261121/decisions/" {
		t.Errorf("table location %v", sd["location"])
	}
	params, _ := table.Input("parameters").(map[string]any)
	if params["storage.location.template"] != "s3://lambdawaf-decisions-20261121/decisions/dt=${dt}/" {
		t.Errorf("partition projection template %v", params["storage.location.template"])
	}
	// Athena answers a query without an equality on an injected
	// projection with CONSTRAINT_VIOLATION: every projected partition must
	// be enumerable (date, integer or enum), and the function a column.
	for k, v := range params {
		if strings.HasPrefix(k, "projection.") && strings.HasSuffix(k, ".type") && v == "injected" {
			t.Errorf("%s = injected: queries across functions would fail", k)
		}
	}
	hasFunctionColumn := false
	for _, c := range cols {
		hasFunctionColumn = hasFunctionColumn || c.(map[string]any)["name"] == "function_name"
	}
	if !hasFunctionColumn {
		t.Errorf("no %s column to filter functions on", "function_name")
	}

	body := cloud.One(t, "aws:cloudwatch/dashboard:Dashboard", "lambdawaf").Str(t, "dashboardBody")
	if err := catalog.CheckDashboard(body); err != nil {
		t.Errorf("recorded dashboard: %v", err)
	}
	var dash struct {
		Widgets []struct{ Properties struct{ Metrics [][]any } }
	}
	if err := json.Unmarshal([]byte(body), &dash); err != nil {
		t.Fatal(err)
	}
	queries := 0
	for i, w := range dash.Widgets {
		n := 0
		for _, line := range w.Properties.Metrics {
			if e, ok := line[0].(map[string]any); ok && strings.HasPrefix(e["expression"].(string), "SELECT ") {
				n++
			}
		}
		if n > 1 {
			t.Errorf("widget %d holds %d Metrics Insights queries; CloudWatch runs one per graph", i, n)
		}
		queries += n
	}
	if queries < len(catalog.DashboardMetrics())-2 {
		t.Errorf("dashboard runs %d Metrics Insights queries, fewer than the metrics it shows", queries)
	}

	// Examples and application stacks read every agent output by name.
	wantOut := map[string]string{
		lambdawaf.OutputLayerArnX86_64:    lambdawaftest.AgentLayerArn(t, cloud, "x86_64"),
		lambdawaf.OutputLayerArnArm64:     lambdawaftest.AgentLayerArn(t, cloud, "arm64"),
		lambdawaf.OutputAgentKeySecretArn: secretArn(t, cloud),
		lambdawaf.OutputFirehoseStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/" + streams[0].Str(t, "name"),
		lambdawaf.OutputKmsKeyArn:         "",
		lambdawaf.OutputConfigLayerArn:    "",
		lambdawaf.OutputBootstrapLayerArn: lambdawaftest.LayerArn(cloud.One(t, "aws:lambda/layerVersion:LayerVersion", "shared-bootstrap").Str(t, "layerName")),
	}
	for name, v := range wantOut {
		got, ok := outputs[name]
		if !ok || got != v {
			t.Errorf("output %s = %q (exported %v), want %q", name, got, ok, v)
		}
	}
	topicArn := "arn:aws:sns:eu-west-1:123456789012:alarms-1a2b3c4"
	spike := cloud.One(t, "aws:cloudwatch/metricAlarm:MetricAlarm", "block-spike")
	alarmQueries, _ := spike.Input("metricQueries").([]any)
	if len(alarmQueries) != 1 || alarmQueries[0].(map[string]any)["expression"] != catalog.BlockedQuery() {
		t.Errorf("block-spike alarm queries %v", alarmQueries)
	}
	for _, name := range []string{"block-spike", "agent-errors", "records-dropped"} {
		a := cloud.One(t, "aws:cloudwatch/metricAlarm:MetricAlarm", name)
		if acts := a.Strings("alarmActions"); len(acts) != 1 || acts[0] != topicArn {
			t.Errorf("alarm %s actions %v, want the topic %s", name, acts, topicArn)
		}
	}
}

func TestProgramExportsConfigurationLayer(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "lambdawaf.yaml")
	if err := os.WriteFile(doc, []byte("mode: block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var outputs map[string]string
	cloud := lambdawaftest.MustRun(t, func(ctx *pulumi.Context) error {
		out, err := deploy(ctx)
		if err != nil {
			return err
		}
		outputs = resolve(ctx, out)
		return nil
	}, lambdawaftest.Config{"lambdawaf-infra:configurationFile": doc})
	config := lambdawaftest.LayerArn(cloud.One(t, "aws:lambda/layerVersion:LayerVersion", "shared-config").Str(t, "layerName"))
	if got := outputs[lambdawaf.OutputConfigLayerArn]; got != config {
		t.Errorf("configLayerArn = %q, want the configuration layer %s", got, config)
	}
}

// resolve waits for the stack outputs inside the program (RunErr does not
// wait for outputs that feed no resource).
func resolve(ctx *pulumi.Context, outputs map[string]pulumi.Input) map[string]string {
	out := map[string]string{}
	for name, in := range outputs {
		r, err := internals.UnsafeAwaitOutput(ctx.Context(), pulumi.ToOutput(in))
		if err != nil || !r.Known {
			continue
		}
		if s, ok := r.Value.(string); ok {
			out[name] = s
		}
	}
	return out
}

func secretArn(t *testing.T, cloud *lambdawaftest.Cloud) string {
	t.Helper()
	secrets := cloud.All("aws:secretsmanager/secret:Secret")
	if len(secrets) != 1 {
		t.Fatalf("want one secret, have %d", len(secrets))
	}
	return "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + secrets[0].Str(t, "namePrefix") + "AbCdEf"
}
