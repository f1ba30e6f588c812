package fleet_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// TestFlagsCommandAddsListsAndClearsFlagsTheAgentsSee drives the real
// lambdawaf binary against dynalite, with credentials from the standard
// chain (environment variables), and checks what environments see.
func TestFlagsCommandAddsListsAndClearsFlagsTheAgentsSee(t *testing.T) {
	srv := startServer(t)
	bin := filepath.Join(t.TempDir(), "lambdawaf")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := testenv.BuildAll(ctx, testenv.Binary{Pkg: "./agent/cmd/lambdawaf", Out: bin}); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (string, int) {
		cmd := exec.CommandContext(ctx, bin, append(append([]string{"flags"}, args...), "-table", table, "-group", "shop", "-endpoint", srv.Endpoint)...)
		cmd.Env = []string{"AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1", "HOME=" + t.TempDir()}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), code
	}

	envs := newEnvironments(t, srv, 2, fleet.Options{ReadFlags: true, Key: sharedKeyFunc}, zerolog.Nop())
	src := fleet.Source{Prefix: telemetry.SourcePrefix, Value: "192.0.2.10"}
	p := telemetry.Pseudonym(sharedKey, src.Prefix, src.Value)

	steps := []struct {
		name        string
		args        []string
		wantCode    int
		wantOut     string
		wantFlagged bool
	}{
		{"add by pseudonym", []string{"add", "-pseudonym", p, "-for", "10m"}, 0, "flagged " + p, true},
		{"list shows it", []string{"list"}, 0, p, true},
		{"clear it", []string{"clear", "-pseudonym", p}, 0, "cleared " + p, false},
		{"list is empty", []string{"list"}, 0, "PSEUDONYM", false},
		{"add again", []string{"add", "-pseudonym", p}, 0, "flagged", true},
		{"clear all", []string{"clear", "-all"}, 0, "cleared every flag", false},
		{"not a pseudonym", []string{"add", "-pseudonym", "192.0.2.10"}, 2, "not a pseudonym", false},
		{"address without the key", []string{"add", "-ip", "192.0.2.10"}, 2, "agent key", false},
		{"two sources", []string{"clear", "-ip", "192.0.2.10", "-pseudonym", p}, 2, "exactly one", false},
		{"unknown action", []string{"flip"}, 2, "unknown action", false},
	}
	for _, s := range steps {
		out, code := cli(s.args...)
		if code != s.wantCode || !strings.Contains(out, s.wantOut) {
			t.Fatalf("%s: exit %d, output %q; want exit %d and %q", s.name, code, out, s.wantCode, s.wantOut)
		}
		for i, e := range envs {
			if err := e.state.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if got := e.state.Flagged(src); got != s.wantFlagged {
				t.Errorf("%s: environment %d flagged=%v, want %v", s.name, i, got, s.wantFlagged)
			}
		}
	}
}
