package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
)

// S3Store is a Store in an S3 bucket, through the AWS SDK.
type S3Store struct {
	loc    bundle.Location
	client *s3.Client
}

// S3Options configure NewS3Store.
type S3Options struct {
	// Region overrides the region of the standard configuration chain.
	Region string
	// Endpoint, when set, is a base URL of an S3-compatible server
	// (http://127.0.0.1:9000), addressed path-style.
	Endpoint string
}

// NewS3Store returns a store at loc, with credentials and region from the
// standard chain (environment, shared files, SSO, instance or task role).
func NewS3Store(ctx context.Context, loc bundle.Location, opts S3Options) (*S3Store, error) {
	var lo []func(*config.LoadOptions) error
	if opts.Region != "" {
		lo = append(lo, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return nil, fmt.Errorf("aws configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
			o.UsePathStyle = true
			// Local servers verify no trailing checksums; send the plain
			// body as S3 has always accepted it.
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	})
	return &S3Store{loc: loc, client: client}, nil
}

// Location is where the store is.
func (s *S3Store) Location() bundle.Location { return s.loc }

// Fetch implements bundle.Fetcher.
func (s *S3Store) Fetch(ctx context.Context, key, ifNoneMatch string) (*bundle.Object, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(s.loc.Bucket), Key: aws.String(s.loc.Key(key))}
	if ifNoneMatch != "" {
		in.IfNoneMatch = aws.String(ifNoneMatch)
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		switch code(err) {
		case "NoSuchKey", "NotFound":
			return nil, fmt.Errorf("get %s: %w", s.loc.Key(key), bundle.ErrNotFound)
		case "NotModified":
			return &bundle.Object{ETag: ifNoneMatch, NotModified: true}, nil
		}
		if status(err) == http.StatusNotModified {
			return &bundle.Object{ETag: ifNoneMatch, NotModified: true}, nil
		}
		return nil, fmt.Errorf("get %s: %w", s.loc.Key(key), err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(io.LimitReader(out.Body, bundle.MaxObjectSize+1))
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", s.loc.Key(key), err)
	}
	if len(body) > bundle.MaxObjectSize {
		return nil, fmt.Errorf("get %s: larger than %d bytes", s.loc.Key(key), bundle.MaxObjectSize)
	}
	return &bundle.Object{Body: body, ETag: aws.ToString(out.ETag)}, nil
}

// Put implements Store.
func (s *S3Store) Put(ctx context.Context, key string, body []byte, cond Condition) (string, error) {
	in := &s3.PutObjectInput{
		Bucket:        aws.String(s.loc.Bucket),
		Key:           aws.String(s.loc.Key(key)),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String("application/json"),
	}
	if cond.IfMatch != "" {
		in.IfMatch = aws.String(cond.IfMatch)
	}
	if cond.IfNoneMatch {
		in.IfNoneMatch = aws.String("*")
	}
	out, err := s.client.PutObject(ctx, in)
	if err != nil {
		if c := code(err); c == "PreconditionFailed" || c == "ConditionalRequestConflict" || status(err) == http.StatusPreconditionFailed {
			return "", fmt.Errorf("put %s: %w", s.loc.Key(key), ErrPreconditionFailed)
		}
		return "", fmt.Errorf("put %s: %w", s.loc.Key(key), err)
	}
	return aws.ToString(out.ETag), nil
}

// List implements Store.
func (s *S3Store) List(ctx context.Context, dir string) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.loc.Bucket),
		Prefix: aws.String(s.loc.Key(dir)),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", s.loc.Key(dir), err)
		}
		for _, o := range page.Contents {
			keys = append(keys, strings.TrimPrefix(aws.ToString(o.Key), s.loc.Prefix))
		}
	}
	return keys, nil
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func status(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
