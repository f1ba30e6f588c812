// Command infra is the shared lambdawaf stack: the agent layer versions for
// both architectures (their ARNs exported for application stacks), the
// shared agent key, the central decision-record destination (Firehose to an
// encrypted S3 bucket partitioned by function and day, with a Glue table so
// Athena can query it), a CloudWatch dashboard over the agent's metrics and
// alarms on block-rate spikes and agent errors, sent to an SNS topic.
//
// The Glue columns and the dashboard are derived from the agent's own
// record type and metric constants (package catalog).
package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/glue"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/infra/catalog"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func main() { pulumi.Run(program) }

// program deploys the stack and exports its outputs.
func program(ctx *pulumi.Context) error {
	outputs, err := deploy(ctx)
	if err != nil {
		return err
	}
	for name, v := range outputs {
		ctx.Export(name, v)
	}
	return nil
}

// decisionPrefix is where Firehose writes decision records in the bucket;
// the Glue table's partition projection reads the same layout.
const decisionPrefix = "decisions/"

// deploy creates the stack's resources and returns its outputs: the
// agent's, under the names lambdawaf.AgentRefFromStack reads (examples and
// application stacks depend on every one of them), and the destinations'.
func deploy(ctx *pulumi.Context) (map[string]pulumi.Input, error) {
	cfg := config.New(ctx, "lambdawaf-infra")
	retention := cfg.GetInt("retentionDays")
	if retention == 0 {
		retention = 400
	}
	threshold := cfg.GetInt("blockAlarmThreshold")
	if threshold == 0 {
		threshold = 100
	}
	region, err := aws.GetRegion(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("look up region: %w", err)
	}
	tags := pulumi.StringMap{"lambdawaf:stack": pulumi.String("infra")}

	bucket, err := decisionBucket(ctx, retention, tags)
	if err != nil {
		return nil, err
	}
	// The layers are built from this module's source at preview and
	// update time; with `pulumi config set layerDir DIR` they are published
	// from the zips `make layer` wrote there instead.
	agentArgs := &lambdawaf.AgentArgs{
		Firehose: &lambdawaf.FirehoseArgs{
			BucketArn: bucket.Arn,
			Prefix:    decisionPrefix,
		},
		Tags: tags,
	}
	if file := cfg.Get("configurationFile"); file != "" {
		agentArgs.ConfigurationFile = file
	}
	if layerDir := cfg.Get("layerDir"); layerDir != "" {
		agentArgs.LayerZipX86_64 = filepath.Join(layerDir, "lambdawaf-x86_64.zip")
		agentArgs.LayerZipArm64 = filepath.Join(layerDir, "lambdawaf-arm64.zip")
		agentArgs.BootstrapLayerZip = filepath.Join(layerDir, "lambdawaf-bootstrap.zip")
	}
	agent, err := lambdawaf.NewAgent(ctx, "shared", agentArgs)
	if err != nil {
		return nil, fmt.Errorf("shared agent: %w", err)
	}
	table, err := decisionTable(ctx, bucket)
	if err != nil {
		return nil, err
	}

	topic, err := sns.NewTopic(ctx, "alarms", &sns.TopicArgs{Tags: tags})
	if err != nil {
		return nil, fmt.Errorf("alarm topic: %w", err)
	}
	if email := cfg.Get("alarmEmail"); email != "" {
		if _, err := sns.NewTopicSubscription(ctx, "alarms-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(email),
		}); err != nil {
			return nil, fmt.Errorf("alarm subscription: %w", err)
		}
	}
	if err := alarms(ctx, topic, threshold, tags); err != nil {
		return nil, err
	}
	body, err := catalog.Dashboard(region.Name)
	if err != nil {
		return nil, err
	}
	dash, err := cloudwatch.NewDashboard(ctx, "lambdawaf", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String("lambdawaf-" + ctx.Stack()),
		DashboardBody: pulumi.String(body),
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}

	outputs := map[string]pulumi.Input{
		"decisionBucket":    bucket.Bucket,
		"glueTable":         pulumi.Sprintf("%s.%s", table.DatabaseName, table.Name),
		"alarmTopicArn":     topic.Arn,
		"dashboardName":     dash.DashboardName,
		"agentErrorPattern": pulumi.String(contract.AgentErrorPattern),
	}
	// The agent's outputs (layers, bootstrap and configuration layers, key
	// secret, KMS key, stream), absent parts as empty strings.
	for name, v := range agent.Outputs() {
		outputs[name] = v
	}
	return outputs, nil
}

// decisionBucket is the encrypted, private bucket decision records land in,
// moved to infrequent access after 30 days and deleted after retention days.
func decisionBucket(ctx *pulumi.Context, retention int, tags pulumi.StringMap) (*s3.BucketV2, error) {
	b, err := s3.NewBucketV2(ctx, "decisions", &s3.BucketV2Args{
		BucketPrefix: pulumi.String("lambdawaf-decisions-"),
		Tags:         tags,
	})
	if err != nil {
		return nil, fmt.Errorf("decision bucket: %w", err)
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, "decisions", &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}); err != nil {
		return nil, fmt.Errorf("decision bucket public access block: %w", err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "decisions", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"),
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}); err != nil {
		return nil, fmt.Errorf("decision bucket encryption: %w", err)
	}
	transition := 30
	if retention <= transition {
		transition = 0
	}
	rule := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:         pulumi.String("decision-retention"),
		Status:     pulumi.String("Enabled"),
		Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(decisionPrefix)},
		Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(retention)},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(7),
		},
	}
	if transition > 0 {
		rule.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
			Days: pulumi.Int(transition), StorageClass: pulumi.String("STANDARD_IA"),
		}}
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, "decisions", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
	}); err != nil {
		return nil, fmt.Errorf("decision bucket lifecycle: %w", err)
	}
	return b, nil
}

// decisionTable is the Glue database and table over the decision records,
// with partition projection (no crawler): one partition per UTC day, which
// holds every function's records; function_name is a regular column, so
// queries across functions run.
func decisionTable(ctx *pulumi.Context, bucket *s3.BucketV2) (*glue.CatalogTable, error) {
	db, err := glue.NewCatalogDatabase(ctx, "lambdawaf", &glue.CatalogDatabaseArgs{
		Name:        pulumi.String("lambdawaf_" + sanitize(ctx.Stack())),
		Description: pulumi.String("lambdawaf decision records"),
	})
	if err != nil {
		return nil, fmt.Errorf("glue database: %w", err)
	}
	var cols glue.CatalogTableStorageDescriptorColumnArray
	for _, c := range catalog.DecisionColumns() {
		cols = append(cols, &glue.CatalogTableStorageDescriptorColumnArgs{
			Name: pulumi.String(c.Name), Type: pulumi.String(c.Type), Comment: pulumi.String(c.Comment),
		})
	}
	var parts glue.CatalogTablePartitionKeyArray
	for _, p := range catalog.PartitionKeys {
		parts = append(parts, &glue.CatalogTablePartitionKeyArgs{
			Name: pulumi.String(p.Name), Type: pulumi.String(p.Type), Comment: pulumi.String(p.Comment),
		})
	}
	location := pulumi.Sprintf("s3://%s/%s", bucket.Bucket, decisionPrefix)
	t, err := glue.NewCatalogTable(ctx, "decisions", &glue.CatalogTableArgs{
		DatabaseName: db.Name,
		Name:         pulumi.String("decisions"),
		Description:  pulumi.Sprintf("lambdawaf decision records, schema version %d", contract.SchemaVersion),
		TableType:    pulumi.String("EXTERNAL_TABLE"),
		Parameters: pulumi.StringMap{
			"classification":              pulumi.String("json"),
			"compressionType":             pulumi.String("gzip"),
			"projection.enabled":          pulumi.String("true"),
			"projection.dt.type":          pulumi.String("date"),
			"projection.dt.format":        pulumi.String("yyyy-MM-dd"),
			"projection.dt.range":         pulumi.String("2024-01-01,NOW"),
			"projection.dt.interval":      pulumi.String("1"),
			"projection.dt.interval.unit": pulumi.String("DAYS"),
			"storage.location.template":   pulumi.Sprintf("%s%s", location, partitionTemplate()),
		},
		PartitionKeys: parts,
		StorageDescriptor: &glue.CatalogTableStorageDescriptorArgs{
			Location:     location,
			InputFormat:  pulumi.String("org.apache.hadoop.mapred.TextInputFormat"),
			OutputFormat: pulumi.String("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
			Columns:      cols,
			SerDeInfo: &glue.CatalogTableStorageDescriptorSerDeInfoArgs{
				SerializationLibrary: pulumi.String("org.openx.data.jsonserde.JsonSerDe"),
				Parameters:           pulumi.StringMap{"ignore.malformed.json": pulumi.String("true")},
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("glue table: %w", err)
	}
	return t, nil
}

// partitionTemplate is the object layout of the partitions, as partition
// projection reads it: "dt=${dt}/", the first folder of the layout the
// Firehose stream writes (lambdawaf.DecisionPartitions).
func partitionTemplate() string {
	var b strings.Builder
	for _, p := range catalog.PartitionKeys {
		b.WriteString(p.Name + "=${" + p.Name + "}/")
	}
	return b.String()
}

// alarms raises the block-spike alarm over every protected function (a
// Metrics Insights query, so new functions are covered without a change
// here), an alarm on agent errors, and one on decision records dropped.
func alarms(ctx *pulumi.Context, topic *sns.Topic, threshold int, tags pulumi.StringMap) error {
	actions := pulumi.Array{topic.Arn}
	if _, err := cloudwatch.NewMetricAlarm(ctx, "block-spike", &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.Sprintf("More than %d events blocked by lambdawaf in 5 minutes across all functions", threshold),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(float64(threshold)),
		TreatMissingData:   pulumi.String("notBreaching"),
		MetricQueries: cloudwatch.MetricAlarmMetricQueryArray{&cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("blocked"),
			Expression: pulumi.String(catalog.BlockedQuery()),
			Period:     pulumi.Int(300),
			ReturnData: pulumi.Bool(true),
		}},
		AlarmActions: actions,
		OkActions:    actions,
		Tags:         tags,
	}); err != nil {
		return fmt.Errorf("block-spike alarm: %w", err)
	}
	// Agent errors come from a metric filter on each protected function's
	// log group (contract.AgentErrorPattern, created by ProtectedFunction),
	// published without dimensions.
	if _, err := cloudwatch.NewMetricAlarm(ctx, "agent-errors", &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String("lambdawaf agents logged errors"),
		Namespace:          pulumi.String(contract.Namespace),
		MetricName:         pulumi.String(contract.MetricAgentErrors),
		Statistic:          pulumi.String("Sum"),
		Period:             pulumi.Int(300),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(0),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       actions,
		Tags:               tags,
	}); err != nil {
		return fmt.Errorf("agent-errors alarm: %w", err)
	}
	if _, err := cloudwatch.NewMetricAlarm(ctx, "records-dropped", &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String("lambdawaf dropped decision records it could not ship to Firehose"),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(0),
		TreatMissingData:   pulumi.String("notBreaching"),
		MetricQueries: cloudwatch.MetricAlarmMetricQueryArray{&cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("dropped"),
			Expression: pulumi.String(catalog.DroppedQuery()),
			Period:     pulumi.Int(300),
			ReturnData: pulumi.Bool(true),
		}},
		AlarmActions: actions,
		Tags:         tags,
	}); err != nil {
		return fmt.Errorf("records-dropped alarm: %w", err)
	}
	return nil
}

// sanitize makes a stack name usable in a Glue database name.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			} else {
				b[i] = '_'
			}
		}
	}
	return string(b)
}
