module github.com/lambdawaf/lambdawaf/agent/redirect

// The redirect package is what user functions import, so its module asks
// for as little as it can: the oldest Go that aws-lambda-go v1.54 supports
// (v1.54 is the first release that polls next from several goroutines under
// Lambda Managed Instances), and nothing but aws-lambda-go.
go 1.21

require github.com/aws/aws-lambda-go v1.54.0
