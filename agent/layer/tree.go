package layer

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ExtensionPath is where the agent binary lives in the layer (and so, at
// run time, /opt/extensions/lambdawaf). Lambda registers an external
// extension under its file name, so the name must not change.
const ExtensionPath = "extensions/lambdawaf"

// entry is one file of the layer tree.
type entry struct {
	path string
	open func() (io.ReadCloser, error)
}

// tree lists every file of the agent layer, in the order they are
// written. It holds no /opt/bootstrap: layers merge into /opt, and a
// custom runtime's own layer ships a bootstrap of that name.
func tree(extension string) []entry {
	return []entry{
		{ExtensionPath, func() (io.ReadCloser, error) { return os.Open(extension) }},
		{WrapperPath, func() (io.ReadCloser, error) { return Files.Open(WrapperPath) }},
	}
}

// bootstrapTree lists the files of the bootstrap layer, which the
// component adds only to OS-only functions whose executable is not named
// bootstrap (wiring bootstrap). It is the same for both architectures.
func bootstrapTree() []entry {
	return []entry{
		{BootstrapPath, func() (io.ReadCloser, error) { return Files.Open(BootstrapPath) }},
	}
}

// zipEpoch is the modification time written for every zip entry, so that
// building the same binary twice gives byte-identical layer zips (Pulumi
// then sees no change and publishes no new layer version).
var zipEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the agent layer archive: the extension binary read from
// the file named extension and the wrapper, both executable. The result is
// deterministic for a given binary.
func WriteZip(w io.Writer, extension string) error {
	return writeZip(w, tree(extension))
}

// WriteBootstrapZip writes the bootstrap layer archive: /opt/bootstrap
// alone, executable, deterministic.
func WriteBootstrapZip(w io.Writer) error {
	return writeZip(w, bootstrapTree())
}

func writeZip(w io.Writer, entries []entry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.path, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o755)
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("layer zip %s: %w", e.path, err)
		}
		if err := copyFrom(dst, e.open); err != nil {
			return fmt.Errorf("layer zip %s: %w", e.path, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("layer zip: %w", err)
	}
	return nil
}

// Install lays out under dir what Lambda would extract under /opt for a
// function with the agent layer and the bootstrap layer, for the local
// emulations, which run every wiring in one /opt. The extension is copied,
// not linked, so that the name Lambda-Extension-Name is checked against is
// the layer's.
func Install(dir, extension string) error {
	for _, e := range append(tree(extension), bootstrapTree()...) {
		dst := filepath.Join(dir, filepath.FromSlash(e.path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("install layer: %w", err)
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
		if err != nil {
			return fmt.Errorf("install layer: %w", err)
		}
		err = copyFrom(f, e.open)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("install layer %s: %w", e.path, err)
		}
	}
	return nil
}

func copyFrom(dst io.Writer, open func() (io.ReadCloser, error)) error {
	src, err := open()
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(dst, src)
	return err
}
