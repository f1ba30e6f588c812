package main

import (
	"regexp"
	"testing"

	"github.com/lambdawaf/lambdawaf/infra/catalog"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program)

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
	// The stream writes the partitions the table projects.
	if got, want := s3cfg["prefix"], decisionPrefix+lambdawaf.DecisionPartitions; got != want {
		t.Errorf("stream prefix %v, want %s", got, want)
	}
	written := regexp.MustCompile(`([a-z]+)=!\{[^}]*\}/`).FindAllStringSubmatch(lambdawaf.DecisionPartitions, -1)
	if len(written) != len(catalog.PartitionKeys) {
		t.Fatalf("stream writes partitions %v, table projects %v", written, catalog.PartitionKeys)
	}
	for i, p := range catalog.PartitionKeys {
		if written[i][1] != p.Name {
			t.Errorf("partition %d: stream writes %s, table projects %s", i, written[i][1], p.Name)
		}
	}

	table := cloud.One(t, "aws:glue/catalogTable:CatalogTable", "decisions")
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
	if params["storage.location.template"] != "s3://lambdawaf-decisions-20261121/decisions/function=${function}/dt=${dt}/" {
		t.Errorf("partition projection template %v", params["storage.location.template"])
	}

	body, err := catalog.Dashboard(lambdawaftest.Region)
	if err != nil {
		t.Fatal(err)
	}
	if got := cloud.One(t, "aws:cloudwatch/dashboard:Dashboard", "lambdawaf").Str(t, "dashboardBody"); got != body {
		t.Errorf("dashboard body differs from the one derived from the agent's metrics")
	}
	topicArn := "arn:aws:sns:eu-west-1:123456789012:alarms-1a2b3c4"
	spike := cloud.One(t, "aws:cloudwatch/metricAlarm:MetricAlarm", "block-spike")
	queries, _ := spike.Input("metricQueries").([]any)
	if len(queries) != 1 || queries[0].(map[string]any)["expression"] != catalog.BlockedQuery() {
		t.Errorf("block-spike alarm queries %v", queries)
	}
	for _, name := range []string{"block-spike", "agent-errors", "records-dropped"} {
		a := cloud.One(t, "aws:cloudwatch/metricAlarm:MetricAlarm", name)
		if acts := a.Strings("alarmActions"); len(acts) != 1 || acts[0] != topicArn {
			t.Errorf("alarm %s actions %v, want the topic %s", name, acts, topicArn)
		}
	}
}
