package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// S3Getter is the agent's S3 client: signed GETs (SigV4) of single objects,
// conditional on an ETag, and nothing else. The agent needs no more of S3
// than this; the SDK's S3 client would add 946 KB (+7%) to the stripped
// binary every protected function loads at cold start, this adds 86 KB with
// the whole package (README.md in this directory has the commands). The
// CLI, which writes, uses the SDK (package publish).
type S3Getter struct {
	// Location is the bucket and prefix read.
	Location Location
	// Region is the bucket's region (AWS_REGION in Lambda).
	Region string
	// Credentials signs the requests (the function's role, as
	// awsapi.CredentialsFromEnv reads it).
	Credentials aws.CredentialsProvider
	// Endpoint, when set, is a base URL (http://127.0.0.1:9000) used with
	// path-style addressing: a local S3-compatible server. Empty means
	// https://<bucket>.s3.<region>.amazonaws.com.
	Endpoint string
	// Client is the HTTP client; nil means one with a 10 s timeout.
	Client *http.Client
}

// emptyPayloadHash is the SHA-256 of an empty body, as SigV4 signs a GET.
var emptyPayloadHash = func() string { s := sha256.Sum256(nil); return hex.EncodeToString(s[:]) }()

// Fetch implements Fetcher.
func (g *S3Getter) Fetch(ctx context.Context, key, ifNoneMatch string) (*Object, error) {
	full := g.Location.Key(key)
	u, err := g.objectURL(full)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", full, err)
	}
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	req.Header.Set("X-Amz-Content-Sha256", emptyPayloadHash)
	if g.Credentials != nil {
		creds, err := g.Credentials.Retrieve(ctx)
		if err != nil {
			return nil, fmt.Errorf("s3 get %s: credentials: %w", full, err)
		}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadHash, "s3", g.Region, time.Now()); err != nil {
			return nil, fmt.Errorf("s3 get %s: sign: %w", full, err)
		}
	}
	client := g.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", full, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		body, err := io.ReadAll(io.LimitReader(resp.Body, MaxObjectSize+1))
		if err != nil {
			return nil, fmt.Errorf("s3 get %s: read body: %w", full, err)
		}
		if len(body) > MaxObjectSize {
			return nil, fmt.Errorf("s3 get %s: object larger than %d bytes", full, MaxObjectSize)
		}
		return &Object{Body: body, ETag: resp.Header.Get("ETag")}, nil
	case http.StatusNotModified:
		io.Copy(io.Discard, resp.Body)
		etag := resp.Header.Get("ETag")
		if etag == "" {
			etag = ifNoneMatch
		}
		return &Object{ETag: etag, NotModified: true}, nil
	case http.StatusNotFound:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("s3 get %s: %w", full, ErrNotFound)
	default:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("s3 get %s: %s: %s", full, resp.Status, s3ErrorCode(msg))
	}
}

// defaultClient bounds a fetch: a poll must end even when S3 does not answer.
var defaultClient = &http.Client{Timeout: 10 * time.Second}

func (g *S3Getter) objectURL(key string) (string, error) {
	path := "/" + escapeKey(key)
	if g.Endpoint != "" {
		base, err := url.Parse(g.Endpoint)
		if err != nil || base.Host == "" {
			return "", fmt.Errorf("s3 endpoint %q is not a URL", g.Endpoint)
		}
		return strings.TrimSuffix(base.String(), "/") + "/" + url.PathEscape(g.Location.Bucket) + path, nil
	}
	if g.Region == "" {
		return "", fmt.Errorf("s3 get %s: no region", key)
	}
	suffix, err := awsapi.DNSSuffix(g.Region)
	if err != nil {
		return "", fmt.Errorf("s3 get %s: %w", key, err)
	}
	return "https://" + g.Location.Bucket + ".s3." + g.Region + "." + suffix + path, nil
}

// escapeKey escapes each segment of an object key, keeping the slashes.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// s3ErrorCode pulls the <Code> out of an S3 error document, so the error
// says AccessDenied rather than an XML dump.
func s3ErrorCode(body []byte) string {
	s := string(body)
	if i := strings.Index(s, "<Code>"); i >= 0 {
		s = s[i+len("<Code>"):]
		if j := strings.Index(s, "</Code>"); j >= 0 {
			return s[:j]
		}
	}
	return "no error code"
}
