package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// MaxObjectSize bounds every object the agent reads from the store: a
// bundle holds one policy document (document.MaxDocumentSize) and its
// metadata, JSON-escaped.
const MaxObjectSize = 2*document.MaxDocumentSize + 64<<10

// Metadata describes a bundle. It travels in the bundle and, signed, in its
// manifest; the agent checks that the two agree.
type Metadata struct {
	// Version names the bundle; unique in a store, 1 to 64 of
	// [A-Za-z0-9._-], not starting with a dot.
	Version string `json:"version"`
	// Created is when the bundle was made (UTC).
	Created time.Time `json:"created"`
	// Author is who made it (an IAM principal, an e-mail address).
	Author string `json:"author"`
	// Parent is the version this bundle replaces; rollback goes back to it.
	Parent string `json:"parent,omitempty"`
	// MinAgentVersion, when set, is the oldest agent version (semantic
	// version, "1.4.0") that may run the bundle; older agents refuse it.
	MinAgentVersion string `json:"minAgentVersion,omitempty"`
}

// validVersion reports whether v names a bundle version: 1 to 64 letters,
// digits, '_', '-' and '.', not starting with '.' (so no "." or ".."
// path element). Written out rather than as a regular expression: the
// bounded repetition compiles into 64 copies of its class at package
// init, about a millisecond of every cold start.
func validVersion(v string) bool {
	if len(v) == 0 || len(v) > 64 || v[0] == '.' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// Validate reports what is wrong with m.
func (m *Metadata) Validate() error {
	var errs []error
	if !validVersion(m.Version) {
		errs = append(errs, fmt.Errorf("version %q: want 1 to 64 of A-Z a-z 0-9 . _ -, not starting with a dot", m.Version))
	}
	if m.Parent != "" && !validVersion(m.Parent) {
		errs = append(errs, fmt.Errorf("parent %q is not a bundle version", m.Parent))
	}
	if m.Parent == m.Version && m.Version != "" {
		errs = append(errs, fmt.Errorf("bundle %q names itself as its parent", m.Version))
	}
	if m.Created.IsZero() {
		errs = append(errs, errors.New("created is not set"))
	}
	if strings.TrimSpace(m.Author) == "" {
		errs = append(errs, errors.New("author is not set"))
	}
	if m.MinAgentVersion != "" {
		if _, err := parseVersion(m.MinAgentVersion); err != nil {
			errs = append(errs, fmt.Errorf("minAgentVersion: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Bundle is the stored bundle object: metadata plus the policy document,
// exactly as `lambdawaf validate` reads it (YAML or JSON).
type Bundle struct {
	Metadata
	Policy string `json:"policy"`
}

// Encode returns the bundle object's bytes, after checking the metadata
// and that the policy compiles: a bundle that the agent would refuse is
// never written.
func (b *Bundle) Encode() ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("bundle metadata: %w", err)
	}
	if _, err := b.Compile(); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode bundle %s: %w", b.Version, err)
	}
	if len(data) > MaxObjectSize {
		return nil, fmt.Errorf("bundle %s is %d bytes, more than %d", b.Version, len(data), MaxObjectSize)
	}
	return append(data, '\n'), nil
}

// Compile compiles the bundle's policy with the agent's compiler
// (policy.Parse); the policy's source is the bundle's name, so decision
// records and error messages say which bundle.
func (b *Bundle) Compile() (*policy.Policy, error) {
	p, err := policy.Parse([]byte(b.Policy), "bundle:"+b.Version)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: policy: %w", b.Version, err)
	}
	return p, nil
}

// DecodeBundle parses a bundle object strictly: unknown fields are errors,
// so a document written for a newer format is not half understood.
func DecodeBundle(data []byte) (*Bundle, error) {
	var b Bundle
	if err := decodeStrict(data, &b); err != nil {
		return nil, fmt.Errorf("bundle object: %w", err)
	}
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("bundle object: %w", err)
	}
	return &b, nil
}

// Digest returns the hex SHA-256 of data, as manifests and pointers name
// bundle objects.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Manifest is what is signed for a bundle: its digest and metadata. It is
// a few hundred bytes, within what a KMS key signs as a raw message.
type Manifest struct {
	// SHA256 is the hex SHA-256 of the bundle object's bytes.
	SHA256 string `json:"sha256"`
	// Size is the bundle object's length in bytes.
	Size int64 `json:"size"`
	Metadata
}

// NewManifest returns the manifest of an encoded bundle object.
func NewManifest(object []byte, m Metadata) *Manifest {
	return &Manifest{SHA256: Digest(object), Size: int64(len(object)), Metadata: m}
}

// Check reports whether object is the bundle the manifest describes, and
// returns it decoded.
func (mf *Manifest) Check(object []byte) (*Bundle, error) {
	if int64(len(object)) != mf.Size || Digest(object) != mf.SHA256 {
		return nil, fmt.Errorf("bundle %s: object does not match its signed manifest (sha256 %s, %d bytes; manifest says %s, %d bytes)",
			mf.Version, Digest(object), len(object), mf.SHA256, mf.Size)
	}
	b, err := DecodeBundle(object)
	if err != nil {
		return nil, err
	}
	if !sameMetadata(b.Metadata, mf.Metadata) {
		return nil, fmt.Errorf("bundle %s: metadata differs from its signed manifest", mf.Version)
	}
	return b, nil
}

func sameMetadata(a, b Metadata) bool {
	return a.Version == b.Version && a.Created.Equal(b.Created) && a.Author == b.Author &&
		a.Parent == b.Parent && a.MinAgentVersion == b.MinAgentVersion
}

// BundleKey and ManifestKey are the object keys of a version under a
// store's prefix.
func BundleKey(version string) string {
	return contract.BundleObjectsDir + version + ".json"
}

// ManifestKey is the object key of a version's signed manifest.
func ManifestKey(version string) string {
	return contract.BundleManifestsDir + version + ".json"
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// AgentSupports reports whether an agent of version agent may run a bundle
// that asks for minAgent. Development builds ("dev", or anything that is
// not a semantic version) run every bundle and say so in err's place with
// ok true; an empty minAgent is always satisfied.
func AgentSupports(agent, minAgent string) (bool, error) {
	if minAgent == "" {
		return true, nil
	}
	want, err := parseVersion(minAgent)
	if err != nil {
		return false, fmt.Errorf("minAgentVersion: %w", err)
	}
	have, err := parseVersion(agent)
	if err != nil {
		return true, nil // a development build: not comparable, accepted
	}
	for i := range want {
		if have[i] != want[i] {
			return have[i] > want[i], nil
		}
	}
	return true, nil
}

// parseVersion reads MAJOR.MINOR.PATCH with an optional leading v and
// ignores a pre-release or build suffix.
func parseVersion(s string) ([3]int, error) {
	var v [3]int
	t := strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(t, "-+"); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return v, fmt.Errorf("%q is not a semantic version (MAJOR.MINOR.PATCH)", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, fmt.Errorf("%q is not a semantic version (MAJOR.MINOR.PATCH)", s)
		}
		v[i] = n
	}
	return v, nil
}
