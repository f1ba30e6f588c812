package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// sdkServicePackages are the AWS SDK packages the extension leaves out: the
// configuration loader (which brings STS, SSO, SSO-OIDC, sign-in, instance
// metadata and shared-file parsing) and the service clients (endpoint rule
// sets, schemas), most of which initialise before main, at every cold
// start. The extension calls AWS with agent/awsapi, which uses the SDK core
// module's SigV4 signer and nothing of the rest.
var sdkServicePackages = regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/(config|credentials|feature/|service/)`)

func TestBinaryLeavesOutTheSDKsConfigAndServiceClients(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	var found []string
	for _, pkg := range strings.Fields(string(out)) {
		if sdkServicePackages.MatchString(pkg) {
			found = append(found, pkg)
		}
	}
	if len(found) > 0 {
		t.Errorf("the extension imports the AWS SDK's configuration loader or service clients (use agent/awsapi): %s", strings.Join(found, ", "))
	}
}
