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

// tree lists every file of the layer, in the order they are written.
func tree(extension string) []entry {
	return []entry{
		{ExtensionPath, func() (io.ReadCloser, error) { return os.Open(extension) }},
		{WrapperPath, func() (io.ReadCloser, error) { return Files.Open(WrapperPath) }},
		{BootstrapPath, func() (io.ReadCloser, error) { return Files.Open(BootstrapPath) }},
	}
}

// zipEpoch is the modification time written for every zip entry, so that
// building the same binary twice gives byte-identical layer zips (Pulumi
// then sees no change and publishes no new layer version).
var zipEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the layer archive: the extension binary read from the
// file named extension, the wrapper and the bootstrap script, all
// executable. The result is deterministic for a given binary.
func WriteZip(w io.Writer, extension string) error {
	zw := zip.NewWriter(w)
	for _, e := range tree(extension) {
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

// Install lays the layer tree out under dir, as Lambda would extract it
// under /opt, for the local emulation. The extension is copied, not linked,
// so that the name Lambda-Extension-Name is checked against is the layer's.
func Install(dir, extension string) error {
	for _, e := range tree(extension) {
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
