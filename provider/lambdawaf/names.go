package lambdawaf

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// physicalName derives a stable AWS name from a logical one: the same on
// every update of the same stack, different across projects and stacks
// sharing an account (a short hash of project, stack and name), limited to
// the characters every service here accepts, and at most max bytes long.
//
// Stable names matter where a name must be known before the resource
// exists: a function's log group is /aws/lambda/<function name>, and it
// must be created (with its retention) before the function first logs.
func physicalName(ctx *pulumi.Context, logical string, max int) string {
	sum := sha256.Sum256([]byte(ctx.Project() + "/" + ctx.Stack() + "/" + logical))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	var b strings.Builder
	for _, r := range logical {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	base := b.String()
	if len(base)+len(suffix) > max {
		base = base[:max-len(suffix)]
	}
	return base + suffix
}

// maxBucketPrefix is the longest prefix S3 accepts in BucketPrefix (AWS
// appends 26 characters to reach the 63-character limit).
const maxBucketPrefix = 37

// bucketPrefix derives a stable S3 bucket name prefix from a logical name.
// Bucket names allow only lower-case letters, digits, dots and hyphens and
// must start with a letter or digit, so the physical name is lower-cased
// and everything else (underscores included) becomes a hyphen; it ends in
// "-" before the characters AWS appends.
func bucketPrefix(ctx *pulumi.Context, logical string) string {
	name := strings.ToLower(physicalName(ctx, logical, maxBucketPrefix-1))
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, name)
	return strings.TrimLeft(name, "-") + "-"
}
