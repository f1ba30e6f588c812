package config

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

func TestBundleSettings(t *testing.T) {
	const key = "ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
	for _, tc := range []struct {
		name     string
		env      map[string]string
		on       bool
		interval time.Duration
		wantErr  string
	}{
		{"no source: off", map[string]string{contract.EnvBundleKeys: key}, false, 0, ""},
		{"source and key", map[string]string{contract.EnvBundleSource: "s3://b/waf", contract.EnvBundleKeys: key}, true, contract.DefaultBundlePoll, ""},
		{"poll interval", map[string]string{contract.EnvBundleSource: "s3://b/waf", contract.EnvBundleKeys: key, contract.EnvBundlePoll: "5s"}, true, 5 * time.Second, ""},
		{"source without keys", map[string]string{contract.EnvBundleSource: "s3://b/waf"}, false, 0, contract.EnvBundleKeys},
		{"bad key", map[string]string{contract.EnvBundleSource: "s3://b/waf", contract.EnvBundleKeys: "ed25519:AAAA"}, false, 0, "not a base64 Ed25519"},
		{"not s3", map[string]string{contract.EnvBundleSource: "https://b/waf", contract.EnvBundleKeys: key}, false, 0, "want s3://"},
		{"poll too often", map[string]string{contract.EnvBundleSource: "s3://b/waf", contract.EnvBundleKeys: key, contract.EnvBundlePoll: "10ms"}, false, 0, "at least 1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := FromEnv(func(k string) string { return tc.env[k] })
			if (s.Bundles != nil) != tc.on {
				t.Fatalf("bundles on = %v, want %v (err %v)", s.Bundles != nil, tc.on, s.BundlesErr)
			}
			if tc.wantErr != "" {
				if s.BundlesErr == nil || !strings.Contains(s.BundlesErr.Error(), tc.wantErr) {
					t.Fatalf("BundlesErr = %v, want one containing %q", s.BundlesErr, tc.wantErr)
				}
				return
			}
			if s.BundlesErr != nil {
				t.Fatal(s.BundlesErr)
			}
			if tc.on && (s.Bundles.Interval != tc.interval || s.Bundles.Location.String() != "s3://b/waf/" || len(s.Bundles.Keys.IDs()) != 1) {
				t.Fatalf("bundles = %+v", s.Bundles)
			}
		})
	}
}
