// Command pulumi-resource-lambdawaf is the lambdawaf Pulumi component
// provider: the Pulumi engine starts it to construct Agent and
// ProtectedFunction components for programs in any language.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/lambdawaf/lambdawaf/provider/plugin"
)

func main() {
	if err := plugin.Run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-lambdawaf: %v\n", err)
		os.Exit(1)
	}
}
