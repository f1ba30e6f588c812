package examples

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/gateway"
)

// examples is how each example runs here: its trigger's front door and its
// runtime, as its Pulumi program deploys it (checked by
// TestEveryExampleRunsAsDeployed).
var examples = map[string]func() spec{
	"http-api": func() spec {
		return spec{example: "http-api", translator: &gateway.Translator{Shape: gateway.HTTPAPI}}
	},
	"existing-stack": func() spec {
		return spec{example: "existing-stack", translator: &gateway.Translator{Shape: gateway.HTTPAPI}}
	},
	"alb": func() spec {
		// The example's target group enables multi-value headers.
		return spec{example: "alb", translator: &gateway.Translator{Shape: gateway.ALBMultiValue,
			TargetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/0123456789abcdef"}}
	},
	"rest-api": func() spec {
		return spec{example: "rest-api", runtime: "python3.12",
			translator: &gateway.Translator{Shape: gateway.REST, Stage: "prod", APIID: "a1b2c3d4e5"}}
	},
	"function-url": func() spec {
		return spec{example: "function-url", runtime: "nodejs22.x",
			translator: &gateway.Translator{Shape: gateway.FunctionURL, APIID: "abcdefghijklmnopqrstuvwxyz012345"}}
	},
	"sqs": func() spec { return spec{example: "sqs"} },
	// The YAML program deploys the function alone (through the component
	// provider plugin); it is invoked here as a Function URL would.
	"yaml": func() spec {
		return spec{example: "yaml", runtime: "python3.12",
			translator: &gateway.Translator{Shape: gateway.FunctionURL, APIID: "abcdefghijklmnopqrstuvwxyz012345"}}
	},
}

var (
	deployedRuntime = regexp.MustCompile(`Runtime:\s*pulumi\.String\("([^"]+)"\)`)
	deployedHandler = regexp.MustCompile(`Handler:\s*pulumi\.String\("([^"]+)"\)`)
	// The same in a YAML program: a resource's properties, indented
	// (the top-level "runtime: yaml" is the program's language).
	yamlRuntime = regexp.MustCompile(`(?m)^\s+runtime:\s*(\S+)`)
	yamlHandler = regexp.MustCompile(`(?m)^\s+handler:\s*(\S+)`)
)

// TestEveryExampleRunsAsDeployed keeps this package honest as examples
// change: every example with a lambdawaf.yaml runs here, on the runtime and
// with the handler name its program deploys.
func TestEveryExampleRunsAsDeployed(t *testing.T) {
	configs, err := filepath.Glob(filepath.Join(built.root, "examples", "*", "lambdawaf.yaml"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no examples/*/lambdawaf.yaml found (%v)", err)
	}
	for _, c := range configs {
		name := filepath.Base(filepath.Dir(c))
		mk, ok := examples[name]
		if !ok {
			t.Errorf("examples/%s is not run by tests/examples: add it to the examples table and give it a test", name)
			continue
		}
		s := mk()
		file, runtimeRE, handlerRE := "main.go", deployedRuntime, deployedHandler
		if _, err := os.Stat(filepath.Join(filepath.Dir(c), file)); os.IsNotExist(err) {
			file, runtimeRE, handlerRE = "Pulumi.yaml", yamlRuntime, yamlHandler
		}
		program, err := os.ReadFile(filepath.Join(filepath.Dir(c), file))
		if err != nil {
			t.Fatal(err)
		}
		wantRuntime, wantHandler := "provided.al2023", "bootstrap"
		if s.runtime != "" {
			wantRuntime, wantHandler = s.runtime, "index.handler"
		}
		for _, re := range []*regexp.Regexp{runtimeRE, handlerRE} {
			m := re.FindAllSubmatch(program, -1)
			want := wantRuntime
			if re == handlerRE {
				want = wantHandler
			}
			if len(m) == 0 {
				t.Errorf("examples/%s/%s: no %s found", name, file, re)
			}
			for _, got := range m {
				if string(got[1]) != want {
					t.Errorf("examples/%s deploys %q, tests/examples runs %q", name, got[1], want)
				}
			}
		}
	}
}
