package emulator_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// A function with the lambdawaf layer, invoked once and spun down. The
// handler is any aws-lambda-go binary; the layer directory plays /opt.
func Example() {
	ctx := context.Background()
	fn, err := emulator.Start(ctx, emulator.Config{
		Handler:  []string{"./bin/orders"},
		LayerDir: "./dist/layer/opt", // extensions/lambdawaf, lambdawaf-wrapper, bootstrap
		Env:      map[string]string{"LAMBDAWAF_MODE": "block"},
		Timeout:  3 * time.Second,
		Logs:     os.Stdout,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer fn.Shutdown(ctx)

	res, err := fn.Invoke(ctx, []byte(`{"rawPath":"/orders"}`), emulator.InvokeOptions{TenantID: "tenant-1"})
	if err != nil {
		log.Fatal(err)
	}
	if res.FunctionError != "" {
		fmt.Println("failed:", res.ErrorType)
	}
	fmt.Printf("%s in %v (init %v)\n", res.Payload, res.Duration, res.InitDuration)

	agent, _ := fn.Environments()[0].Extension("lambdawaf")
	fmt.Println("agent exec to first event/next:", agent.StartToFirstNext())
}
