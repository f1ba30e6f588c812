package bundle

import (
	"strings"
	"testing"
)

func TestS3GetterAddressesTheBucketInItsRegionsPartition(t *testing.T) {
	loc := Location{Bucket: "waf-bundles", Prefix: "prod/"}
	tests := []struct {
		name, region, endpoint, want, wantErr string
	}{
		{"aws", "eu-west-1", "", "https://waf-bundles.s3.eu-west-1.amazonaws.com/prod/pointer.json", ""},
		{"govcloud", "us-gov-west-1", "", "https://waf-bundles.s3.us-gov-west-1.amazonaws.com/prod/pointer.json", ""},
		{"china", "cn-north-1", "", "https://waf-bundles.s3.cn-north-1.amazonaws.com.cn/prod/pointer.json", ""},
		{"local server, path style", "eu-west-1", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/waf-bundles/prod/pointer.json", ""},
		{"no region", "", "", "", "no region"},
		{"not a region", "eu-west-1.evil.example/", "", "", "not a region name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &S3Getter{Location: loc, Region: tt.region, Endpoint: tt.endpoint}
			got, err := g.objectURL(loc.Key("pointer.json"))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("objectURL = %q, %v; want an error saying %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("objectURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
