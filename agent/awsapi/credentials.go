package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// DefaultExpiryWindow is how long before they expire fetched credentials
// are fetched again, so a call never signs with credentials that lapse
// while it is in flight.
const DefaultExpiryWindow = 5 * time.Minute

// ecsCredentialsHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is
// resolved, as the AWS SDKs do.
const ecsCredentialsHost = "http://169.254.170.2"

// ErrNoCredentials reports an environment that hands over no credentials.
var ErrNoCredentials = errors.New("no AWS credentials: neither " + contract.EnvAccessKeyID + "/" +
	contract.EnvSecretAccessKey + " nor " + contract.EnvContainerCredentialsFullURI + " is set")

// CredentialsFromEnv returns the execution role's credentials as Lambda
// provides them, in the AWS SDKs' order:
//
//  1. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN):
//     what Lambda sets in on-demand environments, valid for the
//     environment's life.
//  2. AWS_CONTAINER_CREDENTIALS_FULL_URI (or _RELATIVE_URI) with
//     AWS_CONTAINER_AUTHORIZATION_TOKEN (or _TOKEN_FILE): an HTTP endpoint,
//     which is how SnapStart functions receive them (credentials in the
//     environment would be frozen into the snapshot) and how `lambdawaf
//     serve` hands them to its environments. They are fetched on the first
//     signed call, never at start (the agent's calls all run in the
//     background, after invocations are answered), cached, and fetched
//     again DefaultExpiryWindow before they expire.
//
// client fetches container credentials; nil means one with a 5 s timeout.
// Any other configuration (a set ID without its secret, an endpoint that
// is neither HTTPS nor loopback) is an error, never a silent fallback.
func CredentialsFromEnv(getenv func(string) string, client *http.Client) (aws.CredentialsProvider, error) {
	id, secret := getenv(contract.EnvAccessKeyID), getenv(contract.EnvSecretAccessKey)
	switch {
	case id != "" && secret != "":
		return StaticCredentials{Value: aws.Credentials{
			AccessKeyID: id, SecretAccessKey: secret, SessionToken: getenv(contract.EnvSessionToken),
			Source: "environment",
		}}, nil
	case id != "" || secret != "":
		return nil, fmt.Errorf("AWS credentials: %s and %s must be set together", contract.EnvAccessKeyID, contract.EnvSecretAccessKey)
	}
	u := getenv(contract.EnvContainerCredentialsFullURI)
	if u == "" {
		if rel := getenv(contract.EnvContainerCredentialsRelativeURI); rel != "" {
			u = ecsCredentialsHost + rel
		}
	}
	if u == "" {
		return nil, ErrNoCredentials
	}
	p := &ContainerCredentials{
		URL:       u,
		Token:     getenv(contract.EnvContainerAuthorizationToken),
		TokenFile: getenv(contract.EnvContainerAuthorizationTokenFile),
		Client:    client,
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = DefaultExpiryWindow }), nil
}

// StaticCredentials are credentials that do not change.
type StaticCredentials struct{ Value aws.Credentials }

// Retrieve implements aws.CredentialsProvider.
func (s StaticCredentials) Retrieve(context.Context) (aws.Credentials, error) { return s.Value, nil }

// ContainerCredentials fetches credentials from a container credentials
// endpoint (GET, Authorization: the token; answer: AccessKeyId,
// SecretAccessKey, Token, Expiration). It does not cache: wrap it in
// aws.NewCredentialsCache, as CredentialsFromEnv does.
type ContainerCredentials struct {
	// URL is the endpoint: https, or http on a loopback or the container
	// link-local address.
	URL string
	// Token, or the contents of TokenFile read at each fetch (it may be
	// rotated), is sent as the Authorization header.
	Token     string
	TokenFile string
	// Client is the HTTP client; nil means one with a 5 s timeout.
	Client *http.Client
}

// check refuses endpoints to which the AWS SDKs would not send a token:
// plain HTTP is allowed only to the machine itself or the container
// credential addresses.
func (p *ContainerCredentials) check() error {
	u, err := url.Parse(p.URL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s %q is not a URL", contract.EnvContainerCredentialsFullURI, p.URL)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("%s %q: plain http is allowed only to loopback or the container credentials address", contract.EnvContainerCredentialsFullURI, p.URL)
	default:
		return fmt.Errorf("%s %q: scheme must be http or https", contract.EnvContainerCredentialsFullURI, p.URL)
	}
}

// containerCredentialsClient bounds a fetch when no client is given.
var containerCredentialsClient = &http.Client{Timeout: 5 * time.Second}

// Retrieve implements aws.CredentialsProvider.
func (p *ContainerCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if err := p.check(); err != nil {
		return aws.Credentials{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("container credentials: %w", err)
	}
	token := p.Token
	if p.TokenFile != "" {
		b, err := os.ReadFile(p.TokenFile)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("container credentials: token file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if strings.ContainsAny(token, "\r\n") {
		return aws.Credentials{}, errors.New("container credentials: authorization token contains a line break")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	req.Header.Set("Accept", "application/json")
	client := p.Client
	if client == nil {
		client = containerCredentialsClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("container credentials: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("container credentials: read: %w", err)
	}
	var doc struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		Token           string
		Expiration      string
		Code            string
		Message         string
	}
	_ = json.Unmarshal(body, &doc) // an error answer may not be JSON
	if resp.StatusCode != http.StatusOK {
		return aws.Credentials{}, fmt.Errorf("container credentials: %s: %s", resp.Status, firstNonEmpty(doc.Code+" "+doc.Message, "no error document"))
	}
	if doc.AccessKeyID == "" || doc.SecretAccessKey == "" {
		return aws.Credentials{}, errors.New("container credentials: answer has no AccessKeyId or SecretAccessKey")
	}
	creds := aws.Credentials{
		AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.Token,
		Source: "container",
	}
	if doc.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, doc.Expiration)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("container credentials: Expiration %q: %w", doc.Expiration, err)
		}
		creds.CanExpire, creds.Expires = true, exp
	}
	return creds, nil
}

func firstNonEmpty(s, otherwise string) string {
	if strings.TrimSpace(s) == "" {
		return otherwise
	}
	return strings.TrimSpace(s)
}
