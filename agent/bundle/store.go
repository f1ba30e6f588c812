package bundle

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotFound is returned by a Fetcher when the object does not exist.
var ErrNotFound = errors.New("object not found")

// Object is the answer to a conditional GET.
type Object struct {
	// Body is the object's bytes; nil when NotModified.
	Body []byte
	// ETag is the object's entity tag, to send back as If-None-Match.
	ETag string
	// NotModified is set when the object's ETag was the one asked about.
	NotModified bool
}

// Fetcher reads objects of a bundle store by key (relative to the store's
// prefix). The agent's is S3Getter; tests and the CLI may use others.
type Fetcher interface {
	// Fetch reads key. With a non-empty ifNoneMatch it is a conditional
	// GET: an object whose ETag is ifNoneMatch comes back NotModified,
	// without its body. A missing object is ErrNotFound.
	Fetch(ctx context.Context, key, ifNoneMatch string) (*Object, error)
}

// Location is where a store lives: an S3 bucket and a key prefix.
type Location struct {
	Bucket string
	// Prefix is "" or ends with a slash.
	Prefix string
}

// ParseLocation reads s3://bucket[/prefix] (contract.EnvBundleSource).
func ParseLocation(s string) (Location, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Location{}, fmt.Errorf("bundle source %q: want s3://bucket/prefix", s)
	}
	prefix := strings.TrimPrefix(u.Path, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return Location{Bucket: u.Host, Prefix: prefix}, nil
}

// String returns the s3:// form of l.
func (l Location) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }

// Key returns the full object key of a key under l's prefix.
func (l Location) Key(key string) string { return l.Prefix + key }
