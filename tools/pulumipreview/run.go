package pulumipreview

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
	lambdawafplugin "github.com/lambdawaf/lambdawaf/provider/plugin"
	"github.com/lambdawaf/lambdawaf/tools/awsstandin"
)

// The environment `make pulumi-preview` sets for the tests.
const (
	// CLIEnv is the path of the pulumi binary.
	CLIEnv = "LAMBDAWAF_PULUMI"
	// StandinEnv is the path of the stand-in pulumi-resource-aws binary.
	StandinEnv = "LAMBDAWAF_AWS_STANDIN"
	// ComponentEnv is the path of the lambdawaf component provider
	// plugin (provider/cmd/pulumi-resource-lambdawaf), for programs in
	// other languages than Go.
	ComponentEnv = "LAMBDAWAF_COMPONENT_PLUGIN"
)

// StackName is the stack every example is deployed to.
const StackName = "dev"

// Region is the stack's aws:region.
const Region = lambdawaftest.Region

// Step is one step the engine planned or took for one resource.
type Step struct {
	Op   apitype.OpType
	Type string
	URN  string
}

// Result is what the engine did with a program.
type Result struct {
	Project string
	// Preview is every step the first `pulumi preview` planned;
	// Up every step `pulumi up` took; Again every step a second
	// preview after the up planned (all "same" for a stable program).
	Preview, Up, Again []Step
	// Records is every operation the stand-in AWS plugin received.
	Records []awsstandin.Record
	// Created holds the aws:* resources as `pulumi up` created them:
	// their inputs with every output of another resource resolved.
	Created *lambdawaftest.Cloud
	// Planned holds them as the first preview checked them (values
	// not yet known are unknown).
	Planned *lambdawaftest.Cloud
	// PreviewTime and UpTime are the wall-clock times of the first
	// preview and of the up.
	PreviewTime, UpTime time.Duration
}

// Run deploys program as project (its Pulumi.yaml in the current
// directory, the example's) to a new stack on a local file backend:
// preview, up, then preview again. config holds stack configuration keys
// beyond aws:region, as `pulumi config set --path` takes them
// ("<project>:key" or "<project>:list[0]" → value).
func Run(t *testing.T, program pulumi.RunFunc, config map[string]string) *Result {
	t.Helper()
	project, err := os.ReadFile("Pulumi.yaml")
	if err != nil {
		t.Fatalf("the example's project file: %v", err)
	}
	// The workspace writes its stack settings next to the project file:
	// a copy in a temporary directory keeps the example clean. The
	// program runs in-process, in the example's directory, but the engine
	// reads the files it names (handler archives) relative to the project
	// directory: the example's other entries are linked there.
	return deploy(t, config, func(work string, _ installFunc) error {
		if err := os.WriteFile(filepath.Join(work, "Pulumi.yaml"), project, 0o644); err != nil {
			return err
		}
		return linkEntries(".", work)
	}, func(ctx context.Context, work string, opts ...auto.LocalWorkspaceOption) (auto.Stack, error) {
		return auto.UpsertStackInlineSource(ctx, StackName, projectName(t, project), program, opts...)
	})
}

// RunProject deploys the project in dir — a program in any language the
// CLI has a language host for, such as YAML — the same way, from a copy
// of dir. The lambdawaf component provider plugin at the path in
// ComponentEnv is installed for it.
func RunProject(t *testing.T, dir string, config map[string]string) *Result {
	t.Helper()
	component := mustEnv(t, ComponentEnv)
	return deploy(t, config, func(work string, install installFunc) error {
		if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
			return err
		}
		return install(lambdawafplugin.Name, lambdawafplugin.Version, component)
	}, func(ctx context.Context, work string, opts ...auto.LocalWorkspaceOption) (auto.Stack, error) {
		return auto.UpsertStackLocalSource(ctx, StackName, work, opts...)
	})
}

// linkEntries links every entry of dir but project and stack files into
// work.
func linkEntries(dir, work string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "Pulumi.") {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		if err := os.Symlink(abs, filepath.Join(work, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// installFunc installs a resource plugin binary as name at version.
type installFunc func(name, version, binary string) error

// stackFunc creates or selects the stack of a workspace in work.
type stackFunc func(ctx context.Context, work string, opts ...auto.LocalWorkspaceOption) (auto.Stack, error)

// deploy lays out a run (work directory, PULUMI_HOME with the stand-in
// plugin, file backend), lets prepare fill the work directory, and runs
// preview, up and preview again on the stack open returns.
func deploy(t *testing.T, config map[string]string, prepare func(work string, install installFunc) error, open stackFunc) *Result {
	t.Helper()
	cli, standin := mustEnv(t, CLIEnv), mustEnv(t, StandinEnv)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	tmp := t.TempDir()
	work, home, state := filepath.Join(tmp, "work"), filepath.Join(tmp, "home"), filepath.Join(tmp, "state")
	records := filepath.Join(tmp, "records.jsonl")
	for _, d := range []string{work, home, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + state,
		"PULUMI_CONFIG_PASSPHRASE":                    "lambdawaf-preview",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK":    "true",
		"PULUMI_HOME":                                 home,
		awsstandin.RecordEnv:                          records,
	}
	install := func(name, version, binary string) error { return installPlugin(ctx, cli, env, name, version, binary) }
	if err := install(awsstandin.Name, awsstandin.Version, standin); err != nil {
		t.Fatal(err)
	}
	if err := prepare(work, install); err != nil {
		t.Fatalf("preparing the workspace: %v", err)
	}

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: filepath.Dir(filepath.Dir(cli)), SkipVersionCheck: true})
	if err != nil {
		t.Fatalf("pulumi CLI at %s: %v", cli, err)
	}
	stack, err := open(ctx, work, auto.Pulumi(cmd), auto.WorkDir(work), auto.PulumiHome(home), auto.EnvVars(env),
		auto.SecretsProvider("passphrase"))
	if err != nil {
		t.Fatalf("stack %s: %v", StackName, err)
	}
	cfg := auto.ConfigMap{"aws:region": {Value: Region}}
	for k, v := range config {
		cfg[k] = auto.ConfigValue{Value: v}
	}
	if err := stack.SetAllConfigWithOptions(ctx, cfg, &auto.ConfigOptions{Path: true}); err != nil {
		t.Fatalf("stack config: %v", err)
	}
	settings, err := stack.Workspace().ProjectSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	name := string(settings.Name)
	res := &Result{Project: name}
	var out strings.Builder
	start := time.Now()
	steps, ch := collect()
	if _, err := stack.Preview(ctx, optpreview.EventStreams(ch), optpreview.ProgressStreams(&out)); err != nil {
		t.Fatalf("pulumi preview: %v\n%s", err, out.String())
	}
	res.Preview, res.PreviewTime = steps(), time.Since(start)
	planned := readRecords(t, records)

	start, out = time.Now(), strings.Builder{}
	steps, upCh := collect()
	if _, err := stack.Up(ctx, optup.EventStreams(upCh), optup.ProgressStreams(&out)); err != nil {
		t.Fatalf("pulumi up: %v\n%s", err, out.String())
	}
	res.Up, res.UpTime = steps(), time.Since(start)

	out = strings.Builder{}
	steps, againCh := collect()
	if _, err := stack.Preview(ctx, optpreview.EventStreams(againCh), optpreview.ProgressStreams(&out)); err != nil {
		t.Fatalf("pulumi preview after up: %v\n%s", err, out.String())
	}
	res.Again = steps()
	// A stable program plans nothing after its own up: a change here
	// would be a perpetual diff (a layer zip rebuilt with new bytes, an
	// input that depends on the time).
	for _, s := range res.Again {
		if s.Op != apitype.OpSame {
			t.Errorf("preview after up plans %s", s)
		}
	}

	res.Records = readRecords(t, records)
	res.Planned = lambdawaftest.Recorded(resources(t, planned, awsstandin.OpCheck, false))
	res.Created = lambdawaftest.Recorded(resources(t, res.Records, awsstandin.OpCreate, false))
	// What the preview showed is what the up did: no AWS resource
	// appears only once values are known, none planned goes missing.
	if p, c := urns(res.Planned), urns(res.Created); !slices.Equal(p, c) {
		t.Errorf("the preview planned %v, the up created %v", p, c)
	}
	for _, c := range Contradictions(res.Planned, res.Created) {
		t.Errorf("preview showed a value the up contradicts: %s", c)
	}
	return res
}

// urns lists the URNs of a cloud's resources, sorted.
func urns(c *lambdawaftest.Cloud) []string {
	var out []string
	for _, r := range c.Resources() {
		out = append(out, r.URN)
	}
	slices.Sort(out)
	return out
}

func mustEnv(t *testing.T, key string) string {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		t.Fatalf("%s is not set: run `make pulumi-preview`, which builds the pulumi CLI and the stand-in AWS plugin", key)
	}
	return v
}

// installPlugin installs a resource plugin binary as name at version in
// the run's own PULUMI_HOME (env), where the engine looks first.
func installPlugin(ctx context.Context, cli string, env map[string]string, name, version, binary string) error {
	cmd := exec.CommandContext(ctx, cli, "plugin", "install", "resource", name, version, "--file", binary)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("installing %s (%s) as the %s plugin %s: %w\n%s", binary, name, name, version, err, out)
	}
	return nil
}

// projectName is the name: line of a Pulumi.yaml.
func projectName(t *testing.T, project []byte) string {
	t.Helper()
	for _, line := range strings.Split(string(project), "\n") {
		if v, ok := strings.CutPrefix(line, "name:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("Pulumi.yaml has no name")
	return ""
}

// collect gathers the resource steps of one engine run from its event
// stream; the returned function waits for the stream to close.
func collect() (func() []Step, chan events.EngineEvent) {
	ch := make(chan events.EngineEvent)
	var (
		wg    sync.WaitGroup
		steps []Step
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for e := range ch {
			if e.ResourcePreEvent == nil {
				continue
			}
			m := e.ResourcePreEvent.Metadata
			steps = append(steps, Step{Op: m.Op, Type: m.Type, URN: m.URN})
		}
	}()
	return func() []Step { wg.Wait(); return steps }, ch
}

func readRecords(t *testing.T, path string) []awsstandin.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the stand-in's records: %v", err)
	}
	defer f.Close()
	recs, err := awsstandin.ReadRecords(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// resources are the records of op (a dry run or not) as resources, the
// last record of each URN winning.
func resources(t *testing.T, recs []awsstandin.Record, op awsstandin.Op, dryRun bool) []lambdawaftest.Resource {
	t.Helper()
	byURN := map[string]lambdawaftest.Resource{}
	for _, r := range recs {
		if r.Op != op || r.DryRun != dryRun {
			continue
		}
		pm, err := r.Properties()
		if err != nil {
			t.Fatal(err)
		}
		byURN[r.URN] = lambdawaftest.Resource{Type: r.Type, Name: r.Name, URN: r.URN, Inputs: pm}
	}
	var out []lambdawaftest.Resource
	for _, urn := range slices.Sorted(maps.Keys(byURN)) {
		out = append(out, byURN[urn])
	}
	return out
}

// Counts is how many steps of each op and type a run has, e.g.
// counts["create"]["aws:iam/role:Role"].
func Counts(steps []Step) map[apitype.OpType]map[string]int {
	out := map[apitype.OpType]map[string]int{}
	for _, s := range steps {
		if out[s.Op] == nil {
			out[s.Op] = map[string]int{}
		}
		out[s.Op][s.Type]++
	}
	return out
}

// String is a step for messages.
func (s Step) String() string { return fmt.Sprintf("%s %s", s.Op, s.URN) }
