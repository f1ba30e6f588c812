package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/bundle/publish"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

func init() {
	register(command{
		name:    "bundle",
		summary: "sign, verify, push, list, promote and roll back signed policy bundles",
		run:     runBundle,
	})
}

// bundleCommands are the subcommands of `lambdawaf bundle`.
var bundleCommands = map[string]struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}{
	"keygen":   {"make an Ed25519 signing key; print its public key for LAMBDAWAF_BUNDLE_KEYS", runBundleKeygen},
	"sign":     {"turn a policy document into a signed bundle (bundle and manifest files)", runBundleSign},
	"verify":   {"verify signed bundle files, or a store's pointer and the bundles it names", runBundleVerify},
	"push":     {"upload a signed bundle and point the store at it (active, or -shadow)", runBundlePush},
	"list":     {"show a store's bundles: version, role, who made them and when", runBundleList},
	"promote":  {"make the shadow bundle the active one", runBundlePromote},
	"rollback": {"point the store back at the active bundle's parent", runBundleRollback},
}

func runBundle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		fmt.Fprintln(stderr, "usage: lambdawaf bundle <command> [flags]")
		fmt.Fprintln(stderr, "\ncommands:")
		names := make([]string, 0, len(bundleCommands))
		for n := range bundleCommands {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(stderr, "  %-9s %s\n", n, bundleCommands[n].summary)
		}
		fmt.Fprintln(stderr, "\nStores are s3://bucket/prefix; credentials come from the standard AWS chain;\n-endpoint points at an S3-compatible server (http://127.0.0.1:9000).")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := bundleCommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lambdawaf bundle: unknown command %q\n", args[0])
		return 2
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

// storeFlags are the flags of the subcommands that use a store.
type storeFlags struct {
	source, endpoint, region, key, keys, author string
}

func (s *storeFlags) register(fs *flag.FlagSet, signs bool) {
	fs.StringVar(&s.source, "source", os.Getenv(contract.EnvBundleSource), "the store, s3://bucket/prefix (default $"+contract.EnvBundleSource+")")
	fs.StringVar(&s.endpoint, "endpoint", os.Getenv(contract.EnvBundleEndpoint), "S3-compatible endpoint URL, path-style (default $"+contract.EnvBundleEndpoint+"; AWS when empty)")
	fs.StringVar(&s.region, "region", "", "AWS region (default: the standard chain's)")
	fs.StringVar(&s.keys, "keys", os.Getenv(contract.EnvBundleKeys), "trusted public keys, ed25519:<base64>,... (default $"+contract.EnvBundleKeys+")")
	if signs {
		fs.StringVar(&s.key, "key", "", "Ed25519 private key (PKCS #8 PEM) that signs the pointer; its public key is trusted too")
		fs.StringVar(&s.author, "author", os.Getenv("USER"), "who makes the change, recorded in the pointer")
	}
}

// publisher opens the store with what the flags say.
func (s *storeFlags) publisher(ctx context.Context, signs bool) (*publish.Publisher, error) {
	loc, err := bundle.ParseLocation(s.source)
	if err != nil {
		return nil, err
	}
	p := &publish.Publisher{Author: s.author}
	if signs {
		if s.key == "" {
			return nil, errors.New("-key is required: the pointer is signed")
		}
		if strings.TrimSpace(s.author) == "" {
			return nil, errors.New("-author is required (nor is $USER set)")
		}
		signer, err := readSigner(s.key)
		if err != nil {
			return nil, err
		}
		p.Signer = signer
		s.keys += "," + signer.Public()
	}
	if p.Keys, err = bundle.ParseKeys(s.keys); err != nil {
		return nil, fmt.Errorf("-keys: %w", err)
	}
	store, err := publish.NewS3Store(ctx, loc, publish.S3Options{Region: s.region, Endpoint: s.endpoint})
	if err != nil {
		return nil, err
	}
	p.Store = store
	return p, nil
}

func readSigner(path string) (*bundle.Ed25519Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	s, err := bundle.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// newFlagSet makes a subcommand's flag set with its usage line.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bundle "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf bundle "+name+" "+usage)
		fs.PrintDefaults()
	}
	return fs
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "lambdawaf bundle %s: %v\n", cmd, err)
	return 1
}

func runBundleKeygen(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("keygen", "-out key.pem", stderr)
	out := fs.String("out", "", "where to write the private key (created with mode 0600; never overwritten)")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	priv, pub, err := bundle.GenerateKey()
	if err != nil {
		return fail(stderr, "keygen", err)
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fail(stderr, "keygen", err)
	}
	if _, err := f.Write(priv); err != nil {
		f.Close()
		return fail(stderr, "keygen", err)
	}
	if err := f.Close(); err != nil {
		return fail(stderr, "keygen", err)
	}
	fmt.Fprintln(stdout, pub)
	return 0
}

// signedFiles names the two files of a signed bundle: <dir>/<version>.bundle.json
// and <dir>/<version>.manifest.json.
func signedFiles(dir, version string) (object, manifest string) {
	return filepath.Join(dir, version+".bundle.json"), filepath.Join(dir, version+".manifest.json")
}

func runBundleSign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sign", "-key key.pem -version V [-parent P] [-min-agent X.Y.Z] [-out DIR] policy.yaml", stderr)
	key := fs.String("key", "", "Ed25519 private key (PKCS #8 PEM)")
	version := fs.String("version", "", "the bundle's version (unique in the store)")
	parent := fs.String("parent", "", "the version this bundle replaces (rollback goes back to it)")
	author := fs.String("author", os.Getenv("USER"), "who made the bundle")
	minAgent := fs.String("min-agent", "", "oldest agent version that may run the bundle")
	out := fs.String("out", ".", "directory for <version>.bundle.json and <version>.manifest.json")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *key == "" || *version == "" {
		fs.Usage()
		return 2
	}
	signer, err := readSigner(*key)
	if err != nil {
		return fail(stderr, "sign", err)
	}
	doc, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fail(stderr, "sign", err)
	}
	b := &bundle.Bundle{
		Metadata: bundle.Metadata{Version: *version, Parent: *parent, Author: *author,
			Created: time.Now().UTC().Truncate(time.Second), MinAgentVersion: *minAgent},
		Policy: string(doc),
	}
	s, err := bundle.Sign(ctx, b, signer)
	if err != nil {
		return fail(stderr, "sign", err)
	}
	objPath, mfPath := signedFiles(*out, *version)
	for _, f := range []struct {
		path string
		data []byte
	}{{objPath, s.Object}, {mfPath, s.Manifest}} {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return fail(stderr, "sign", err)
		}
	}
	fmt.Fprintf(stdout, "%s: bundle %s (sha256 %s) signed by key %s\n%s: its signed manifest\n", objPath, *version, s.Ref.SHA256, signer.KeyID(), mfPath)
	return 0
}

// readSigned reads a bundle file written by sign and the manifest beside it.
func readSigned(objPath string) (*bundle.Signed, error) {
	obj, err := os.ReadFile(objPath)
	if err != nil {
		return nil, err
	}
	b, err := bundle.DecodeBundle(obj)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", objPath, err)
	}
	_, mfPath := signedFiles(filepath.Dir(objPath), b.Version)
	mf, err := os.ReadFile(mfPath)
	if err != nil {
		return nil, fmt.Errorf("the signed manifest of %s: %w", objPath, err)
	}
	return &bundle.Signed{Ref: bundle.Ref{Version: b.Version, SHA256: bundle.Digest(obj)}, Object: obj, Manifest: mf}, nil
}

func runBundleVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", "-keys K [-source s3://bucket/prefix] [V.bundle.json...]", stderr)
	var sf storeFlags
	sf.register(fs, false)
	fs.Parse(args)
	if fs.NArg() == 0 && sf.source == "" {
		fs.Usage()
		return 2
	}
	keys, err := bundle.ParseKeys(sf.keys)
	if err != nil {
		return fail(stderr, "verify", fmt.Errorf("-keys: %w", err))
	}
	status := 0
	for _, path := range fs.Args() {
		s, err := readSigned(path)
		if err == nil {
			var v *bundle.Verified
			if v, err = keys.VerifyBundle(s.Ref, s.Manifest, s.Object, ""); err == nil {
				fmt.Fprintf(stdout, "%s: bundle %s verified (signed by key %s, %s)\n", path, v.Version(), v.KeyID, v.Policy.Summary())
				continue
			}
		}
		status = 1
		fmt.Fprintf(stderr, "%s: REFUSED: %v\n", path, err)
	}
	if sf.source != "" {
		p, err := sf.publisher(ctx, false)
		if err != nil {
			return fail(stderr, "verify", err)
		}
		ptr, _, err := p.Current(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "%s: pointer REFUSED: %v\n", sf.source, err)
			return 1
		}
		if ptr == nil {
			fmt.Fprintf(stderr, "%s: no pointer yet\n", sf.source)
			return 1
		}
		refs := []bundle.Ref{ptr.Active}
		if ptr.Shadow != nil {
			refs = append(refs, *ptr.Shadow)
		}
		fmt.Fprintf(stdout, "%s: pointer sequence %d verified\n", sf.source, ptr.Sequence)
		for _, ref := range refs {
			v, err := keys.FetchBundle(ctx, p.Store, ref, "")
			if err != nil {
				status = 1
				fmt.Fprintf(stderr, "%s: bundle %s REFUSED: %v\n", sf.source, ref.Version, err)
				continue
			}
			fmt.Fprintf(stdout, "%s: bundle %s verified (signed by key %s, %s)\n", sf.source, v.Version(), v.KeyID, v.Policy.Summary())
		}
	}
	return status
}

func runBundlePush(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("push", "-source s3://bucket/prefix -key key.pem [-shadow] V.bundle.json", stderr)
	var sf storeFlags
	sf.register(fs, true)
	shadow := fs.Bool("shadow", false, "run the bundle in shadow beside the active one (log only) instead of activating it")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	s, err := readSigned(fs.Arg(0))
	if err != nil {
		return fail(stderr, "push", err)
	}
	p, err := sf.publisher(ctx, true)
	if err != nil {
		return fail(stderr, "push", err)
	}
	ptr, err := p.Push(ctx, s, *shadow)
	if err != nil {
		return fail(stderr, "push", err)
	}
	printPointer(stdout, ptr)
	return 0
}

func runBundlePromote(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return movePointer(ctx, "promote", args, stdout, stderr, (*publish.Publisher).Promote)
}

func runBundleRollback(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return movePointer(ctx, "rollback", args, stdout, stderr, (*publish.Publisher).Rollback)
}

func movePointer(ctx context.Context, name string, args []string, stdout, stderr io.Writer, move func(*publish.Publisher, context.Context) (*bundle.Pointer, error)) int {
	fs := newFlagSet(name, "-source s3://bucket/prefix -key key.pem", stderr)
	var sf storeFlags
	sf.register(fs, true)
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	p, err := sf.publisher(ctx, true)
	if err != nil {
		return fail(stderr, name, err)
	}
	ptr, err := move(p, ctx)
	if err != nil {
		return fail(stderr, name, err)
	}
	printPointer(stdout, ptr)
	return 0
}

func printPointer(w io.Writer, p *bundle.Pointer) {
	fmt.Fprintf(w, "pointer sequence %d: active %s", p.Sequence, p.Active.Version)
	if p.Shadow != nil {
		fmt.Fprintf(w, ", shadow %s", p.Shadow.Version)
	}
	if p.Rollback != nil {
		fmt.Fprintf(w, " (rolled back from %s)", p.Rollback.From)
	}
	fmt.Fprintf(w, "; by %s at %s\n", p.Author, p.Updated.Format(time.RFC3339))
}

func runBundleList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("list", "-source s3://bucket/prefix -keys K", stderr)
	var sf storeFlags
	sf.register(fs, false)
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	p, err := sf.publisher(ctx, false)
	if err != nil {
		return fail(stderr, "list", err)
	}
	entries, ptr, err := p.List(ctx)
	if err != nil {
		return fail(stderr, "list", err)
	}
	if ptr == nil {
		fmt.Fprintln(stdout, "no pointer yet")
	} else {
		printPointer(stdout, ptr)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tROLE\tCREATED\tAUTHOR\tPARENT\tSHA256")
	status := 0
	for _, e := range entries {
		if e.Err != nil {
			status = 1
			fmt.Fprintf(tw, "%s\tREFUSED\t\t\t\t%v\n", e.Key, e.Err)
			continue
		}
		m := e.Manifest
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Version, dash(e.Role), m.Created.Format(time.RFC3339), m.Author, dash(m.Parent), m.SHA256[:12])
	}
	tw.Flush()
	return status
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
