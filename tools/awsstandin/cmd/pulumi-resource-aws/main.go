// Command pulumi-resource-aws is the stand-in AWS provider plugin (package
// awsstandin) that `make pulumi-preview` installs for the engine. It
// appends its records to the file named by LAMBDAWAF_AWS_STANDIN_RECORD.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/lambdawaf/lambdawaf/tools/awsstandin"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-resource-aws (lambdawaf stand-in):", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	path := os.Getenv(awsstandin.RecordEnv)
	if path == "" {
		return fmt.Errorf("%s is not set: the stand-in records every resource to that file", awsstandin.RecordEnv)
	}
	rec, f, err := awsstandin.OpenRecorder(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return awsstandin.New(rec).Run(ctx, awsstandin.Name, awsstandin.Version)
}
