package pulumipreview

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Summary is what a run would create, for a person: the steps of the first
// preview by type, then each function's key inputs as `pulumi up` sent
// them (names of environment variables only, never their values, except
// the mode and the wrapper).
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: preview plans %s (%s); up: %s (%s); preview after up: %s\n",
		r.Project, opsLine(r.Preview), r.PreviewTime.Round(100*time.Millisecond),
		opsLine(r.Up), r.UpTime.Round(100*time.Millisecond), opsLine(r.Again))
	counts := Counts(r.Preview)[apitype.OpCreate]
	for _, typ := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(&b, "  %3d %s\n", counts[typ], typ)
	}
	for _, fn := range r.Created.All(FunctionType) {
		env := fn.Env()
		arch := strings.Join(fn.Strings("architectures"), ",")
		if arch == "" {
			arch = "x86_64 (default)"
		}
		runtime, _ := fn.Input("runtime").(string)
		fmt.Fprintf(&b, "  function %s: %s, %s, mode %s", fn.Name, runtime, arch, env[contract.EnvMode])
		if w := env[contract.EnvExecWrapper]; w != "" {
			fmt.Fprintf(&b, ", %s=%s", contract.EnvExecWrapper, w)
		} else {
			b.WriteString(", in-process wiring")
		}
		b.WriteString("\n")
		for _, l := range fn.Strings("layers") {
			fmt.Fprintf(&b, "    layer %s\n", l)
		}
		fmt.Fprintf(&b, "    environment %s\n", strings.Join(slices.Sorted(maps.Keys(env)), " "))
	}
	return b.String()
}

// opsLine is "12 create, 3 same" for a run's steps.
func opsLine(steps []Step) string {
	n := map[apitype.OpType]int{}
	for _, s := range steps {
		n[s.Op]++
	}
	if len(n) == 0 {
		return "nothing"
	}
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%d %s", n[op], op))
	}
	return strings.Join(parts, ", ")
}
