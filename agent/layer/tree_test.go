package layer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteZipTree(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "lambdawaf-extension")
	if err := os.WriteFile(bin, []byte("\x7fELF fake agent"), 0o755); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := WriteZip(&a, bin); err != nil {
		t.Fatal(err)
	}
	if err := WriteZip(&b, bin); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two builds of the same layer differ; the zip must be deterministic")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ExtensionPath: "\x7fELF fake agent"}
	for _, p := range []string{WrapperPath} {
		s, err := Files.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want[p] = string(s)
	}
	if len(zr.File) != len(want) {
		t.Errorf("zip has %d files, want %d", len(zr.File), len(want))
	}
	for _, f := range zr.File {
		content, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected file %q in layer", f.Name)
			continue
		}
		if f.Mode().Perm() != 0o755 {
			t.Errorf("%s mode %v, want 0755", f.Name, f.Mode().Perm())
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != content {
			t.Errorf("%s content differs from its source", f.Name)
		}
	}
}

func TestWriteBootstrapZipHoldsOnlyTheBootstrap(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteBootstrapZip(&a); err != nil {
		t.Fatal(err)
	}
	if err := WriteBootstrapZip(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two builds of the bootstrap layer differ; the zip must be deterministic")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != BootstrapPath || zr.File[0].Mode().Perm() != 0o755 {
		for _, f := range zr.File {
			t.Errorf("bootstrap layer holds %s (%v)", f.Name, f.Mode())
		}
		t.Fatalf("want exactly %s, executable", BootstrapPath)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	want, _ := Files.ReadFile(BootstrapPath)
	if !bytes.Equal(got, want) {
		t.Error("bootstrap layer content differs from the embedded script")
	}
}

func TestInstall(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "agent")
	if err := os.WriteFile(bin, []byte("agent"), 0o755); err != nil {
		t.Fatal(err)
	}
	opt := filepath.Join(dir, "opt")
	if err := Install(opt, bin); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ExtensionPath, WrapperPath, BootstrapPath} {
		fi, err := os.Stat(filepath.Join(opt, p))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable", p)
		}
	}
	if err := Install(opt, filepath.Join(dir, "missing")); err == nil {
		t.Error("Install with a missing extension binary succeeded")
	}
}
