#!/bin/sh
# Installs AWS's Lambda runtime interface emulator (aws-lambda-rie) from the
# Go module proxy into $(go env GOPATH)/bin, unless it is already there or
# on PATH. tests/rie and `make bench-rie` run it; they need root for the
# private mount namespace (unshare -m) that puts the layer on /opt.
set -eu
module=github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie
version=v0.0.0-20261030222936-bef5c4ba774d
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if command -v aws-lambda-rie >/dev/null 2>&1 || [ -x "$gobin/aws-lambda-rie" ]; then
	echo "aws-lambda-rie already installed"
	exit 0
fi
GOFLAGS=-buildvcs=false go install "$module@$version"
echo "installed $gobin/aws-lambda-rie ($version)"
