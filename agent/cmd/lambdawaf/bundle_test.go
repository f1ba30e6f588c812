package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/bundle/bundletest"
)

func TestBundleCommandsAgainstALocalS3Server(t *testing.T) {
	srv := bundletest.NewS3Server(t, "waf-bundles")
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	write := func(name, doc string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := write("base.yaml", "version: 1\nmode: block\n")
	strict := write("strict.yaml", "version: 1\nmode: block\nrules:\n  - id: no-admin\n    when: {field: path, prefix: /admin}\n    action: block\n")
	broken := write("broken.yaml", "version: 1\nmode: sometimes\n")
	store := []string{"-source", "s3://waf-bundles/prod", "-endpoint", srv.Endpoint}

	code, pub, errs := runCLI(t, "bundle", "keygen", "-out", key)
	if code != 0 || !strings.HasPrefix(pub, "ed25519:") {
		t.Fatalf("keygen: exit %d, %q, %s", code, pub, errs)
	}
	pub = strings.TrimSpace(pub)
	trust := []string{"-keys", pub}
	with := func(args ...[]string) []string {
		var out []string
		for _, a := range args {
			out = append(out, a...)
		}
		return out
	}

	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"sign v1", []string{"bundle", "sign", "-key", key, "-version", "v1", "-author", "alice", "-out", dir, base}, 0, "bundle v1 (sha256", ""},
		{"sign v2", []string{"bundle", "sign", "-key", key, "-version", "v2", "-parent", "v1", "-author", "bob", "-out", dir, strict}, 0, "bundle v2", ""},
		{"sign refuses a policy that does not compile", []string{"bundle", "sign", "-key", key, "-version", "v3", "-author", "eve", "-out", dir, broken}, 1, "", "mode"},
		{"verify files", with([]string{"bundle", "verify"}, trust, []string{filepath.Join(dir, "v1.bundle.json")}), 0, "bundle v1 verified", ""},
		{"verify refuses another key", []string{"bundle", "verify", "-keys", "ed25519:" + strings.Repeat("A", 43) + "=", filepath.Join(dir, "v1.bundle.json")}, 1, "", "REFUSED"},
		{"push v1", with([]string{"bundle", "push", "-key", key, "-author", "alice"}, store, []string{filepath.Join(dir, "v1.bundle.json")}), 0, "pointer sequence 1: active v1", ""},
		{"push v2 in shadow", with([]string{"bundle", "push", "-key", key, "-author", "bob", "-shadow"}, store, []string{filepath.Join(dir, "v2.bundle.json")}), 0, "active v1, shadow v2", ""},
		{"list", with([]string{"bundle", "list"}, store, trust), 0, "v2       shadow", ""},
		{"verify the store", with([]string{"bundle", "verify"}, store, trust), 0, "bundle v2 verified", ""},
		{"promote", with([]string{"bundle", "promote", "-key", key, "-author", "bob"}, store), 0, "pointer sequence 3: active v2;", ""},
		{"rollback", with([]string{"bundle", "rollback", "-key", key, "-author", "carol"}, store), 0, "pointer sequence 4: active v1 (rolled back from v2); by carol", ""},
		{"push needs a key", with([]string{"bundle", "push"}, store, []string{filepath.Join(dir, "v1.bundle.json")}), 1, "", "-key is required"},
		{"unknown subcommand", []string{"bundle", "frobnicate"}, 2, "", "unknown command"},
	}
	for _, st := range steps {
		code, out, errs := runCLI(t, st.args...)
		if code != st.code || !strings.Contains(out, st.stdout) || !strings.Contains(errs, st.stderr) {
			t.Fatalf("%s: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant stdout containing %q, stderr containing %q", st.name, code, st.code, out, errs, st.stdout, st.stderr)
		}
	}
}
