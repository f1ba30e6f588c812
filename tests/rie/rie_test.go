package rie

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
)

var fixture *Fixture

func TestMain(m *testing.M) {
	if err := awsrie.Usable(); err != nil {
		// Each test says why it skips.
		os.Exit(m.Run())
	}
	f, err := Build(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "rie build:", err)
		os.Exit(1)
	}
	fixture = f
	code := m.Run()
	f.Close()
	os.Exit(code)
}

func needRIE(t *testing.T) {
	t.Helper()
	if err := awsrie.Usable(); err != nil {
		t.Skipf("AWS's runtime interface emulator cannot run here: %v", err)
	}
}

func TestSmoke(t *testing.T) {
	needRIE(t)
	for _, mi := range []int{0, 4} {
		var seen Sightings
		fn, err := fixture.Start(t.Context(), fixture.Block, RunOptions{MaxConcurrency: mi, TimeoutSeconds: 2, Env: []string{"RIE_HANDLER_TRACE=1"}, OnLine: seen.Observe})
		if err != nil {
			t.Fatal(err)
		}
		out := RunMixed(t.Context(), fn, Plan(14, 2000, map[Kind]int{Benign: 1, Blocked: 1, Failing: 1, Stream: 1, Large: 1, Panic: 1, Timeout: 1}), 1+mi, &seen)
		t.Logf("mi=%d %+v", mi, out)
		t.Log(fn.Tail())
		fn.Close()
	}
}
