// Package agentkey obtains the agent key: the secret with which telemetry
// turns client addresses and user identifiers into pseudonyms that
// correlate across execution environments without exposing who they are.
//
// The key lives in a Secrets Manager secret (LAMBDAWAF_AGENT_KEY_SECRET_ARN)
// and is read in the background: fetching it takes a network round trip, and
// nothing slow may happen before the agent is ready to proxy (that would be
// cold start). Until the key arrives, callers use Ready to wait, with their
// own deadline, or the per-environment Fallback key.
//
// When no secret is configured, or it cannot be read (missing, access
// denied, malformed, throttled past the time budget), the agent keeps
// protecting: it logs one clear error and uses a random key generated for
// this execution environment. Pseudonyms made with it correlate only within
// the environment, which the records say (pseudonym_key "ephemeral").
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package agentkey

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Sources of the key, as reported by Key.Source.
const (
	SourceSecret    = "secret"    // read from Secrets Manager
	SourceEphemeral = "ephemeral" // random, this execution environment only
)

// MinKeyLen is the minimum length of an agent key, in bytes: HMAC-SHA256
// keys shorter than the hash are weaker than the pseudonyms suggest.
const MinKeyLen = 32

// Defaults for Options.
const (
	DefaultMaxWait        = 5 * time.Second
	DefaultAttemptTimeout = 1500 * time.Millisecond
	DefaultMaxAttempts    = 5
)

// GetSecretValueAPI is the part of Secrets Manager the loader uses;
// *Client implements it.
type GetSecretValueAPI interface {
	GetSecretValue(ctx context.Context, in *GetSecretValueInput) (*GetSecretValueOutput, error)
}

// Options configure Load.
type Options struct {
	// SecretARN names the secret; "" means no secret: the key is the
	// ephemeral one at once.
	SecretARN string
	// Client reads the secret. Nil means a client built by NewClient from
	// the Lambda environment (region from AWS_REGION, credentials from the
	// execution role, endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER when
	// set).
	Client GetSecretValueAPI
	// MaxWait bounds the whole fetch, retries included (default 5 s).
	MaxWait time.Duration
	// Logger receives the one error log when the key cannot be read.
	Logger zerolog.Logger
}

// Key is the agent key of this execution environment, possibly still on its
// way. It is safe for concurrent use.
type Key struct {
	ready    chan struct{}
	fallback []byte

	mu     sync.Mutex
	key    []byte
	source string
	err    error
}

// Load starts reading the key and returns at once. Cancelling ctx abandons
// the fetch (the key becomes the ephemeral one).
func Load(ctx context.Context, opts Options) *Key {
	k := newKey()
	if opts.SecretARN == "" {
		k.settle(nil, nil)
		return k
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = DefaultMaxWait
	}
	go func() {
		ctx, cancel := context.WithTimeout(ctx, opts.MaxWait)
		defer cancel()
		client := opts.Client
		if client == nil {
			c, err := NewClient(ctx)
			if err != nil {
				k.fail(opts, err)
				return
			}
			client = c
		}
		key, err := Fetch(ctx, client, opts.SecretARN)
		if err != nil {
			k.fail(opts, err)
			return
		}
		k.settle(key, nil)
	}()
	return k
}

// Ephemeral returns a key that is the random per-environment key from the
// start, for when no secret is configured.
func Ephemeral() *Key {
	k := newKey()
	k.settle(nil, nil)
	return k
}

// Static returns a ready key with the given bytes, reported as read from
// the secret; for callers that obtained the key themselves, and for tests.
func Static(key []byte) *Key {
	k := newKey()
	k.settle(append([]byte(nil), key...), nil)
	return k
}

func newKey() *Key {
	fb := make([]byte, MinKeyLen)
	rand.Read(fb) // never fails on Linux (Go 1.24+ crashes instead)
	return &Key{ready: make(chan struct{}), fallback: fb}
}

func (k *Key) fail(opts Options, err error) {
	opts.Logger.Error().Err(err).Str("secret_arn", opts.SecretARN).
		Msg("agent key unavailable: still protecting; pseudonyms use a random per-environment key and will not correlate across environments")
	k.settle(nil, err)
}

func (k *Key) settle(key []byte, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key != nil {
		k.key, k.source = key, SourceSecret
	} else {
		k.key, k.source = k.fallback, SourceEphemeral
	}
	k.err = err
	close(k.ready)
}

// Ready is closed once the key is settled, from the secret or not.
func (k *Key) Ready() <-chan struct{} { return k.ready }

// Get returns the key and its source when settled; ok is false while the
// fetch is still running. It never blocks.
func (k *Key) Get() (key []byte, source string, ok bool) {
	select {
	case <-k.ready:
	default:
		return nil, "", false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.key, k.source, true
}

// Wait blocks until the key is settled or ctx is done.
func (k *Key) Wait(ctx context.Context) ([]byte, string, error) {
	select {
	case <-k.ready:
		key, src, _ := k.Get()
		return key, src, nil
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
}

// Fallback returns the random key of this execution environment: what the
// key settles to when the secret cannot be read, and what callers that cannot
// wait for the fetch use meanwhile.
func (k *Key) Fallback() []byte { return k.fallback }

// Err returns why the secret could not be read, once settled; nil when it
// was read or none was configured.
func (k *Key) Err() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.err
}

// ErrMalformed reports a secret whose value is not a usable key. Its
// message never includes the value.
var ErrMalformed = errors.New("malformed agent key secret")

// Fetch reads and parses the secret now, blocking; Load is the
// non-blocking form.
func Fetch(ctx context.Context, client GetSecretValueAPI, arn string) ([]byte, error) {
	out, err := client.GetSecretValue(ctx, &GetSecretValueInput{SecretID: arn})
	if err != nil {
		return nil, fmt.Errorf("get secret value: %w", err)
	}
	key, err := Parse(out)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", arn, err)
	}
	return key, nil
}

// Parse extracts the key from a secret value. Accepted forms: a binary
// secret; a string secret holding the key itself; a JSON object string
// with the key under "agentKey", "agent_key" or "key" (the form the
// Secrets Manager console produces). The key must be at least MinKeyLen
// bytes.
func Parse(out *GetSecretValueOutput) ([]byte, error) {
	var key []byte
	switch {
	case len(out.SecretBinary) > 0:
		key = out.SecretBinary
	case out.SecretString != nil:
		s := strings.TrimSpace(*out.SecretString)
		if strings.HasPrefix(s, "{") {
			var obj map[string]any
			if err := json.Unmarshal([]byte(s), &obj); err != nil {
				return nil, fmt.Errorf("%w: secret string starts with '{' but is not a JSON object", ErrMalformed)
			}
			found := false
			for _, name := range []string{"agentKey", "agent_key", "key"} {
				if v, ok := obj[name].(string); ok {
					s, found = strings.TrimSpace(v), true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("%w: JSON secret has no string field agentKey, agent_key or key", ErrMalformed)
			}
		}
		key = []byte(s)
	default:
		return nil, fmt.Errorf("%w: secret has no value", ErrMalformed)
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("%w: key is %d bytes, need at least %d", ErrMalformed, len(key), MinKeyLen)
	}
	return append([]byte(nil), key...), nil
}
