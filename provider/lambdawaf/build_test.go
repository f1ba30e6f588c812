package lambdawaf

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestLayerBuilderBuildsLayersFromSource builds the real layers from this
// module, as `pulumi preview` does on a fresh clone, and checks what
// Lambda will find under /opt.
func TestLayerBuilderBuildsLayersFromSource(t *testing.T) {
	b := LayerBuilder{CacheDir: t.TempDir()}
	for arch, machine := range map[string]elf.Machine{ArchX86_64: elf.EM_X86_64, ArchArm64: elf.EM_AARCH64} {
		t.Run(arch, func(t *testing.T) {
			path, err := b.AgentZip(t.Context(), arch)
			if err != nil {
				t.Fatal(err)
			}
			files := readZip(t, path)
			if got := sortedKeys(files); !slices.Equal(got, []string{"extensions/lambdawaf", "lambdawaf-wrapper"}) {
				t.Fatalf("agent layer holds %v; /opt/bootstrap belongs to the bootstrap layer", got)
			}
			f, err := elf.NewFile(bytes.NewReader(files["extensions/lambdawaf"]))
			if err != nil {
				t.Fatalf("extension is not an ELF binary: %v", err)
			}
			if f.Machine != machine || f.FileHeader.OSABI != elf.ELFOSABI_NONE && f.FileHeader.OSABI != elf.ELFOSABI_LINUX {
				t.Errorf("extension built for %v, want %v (an x86_64 extension on arm64 fails with exec format error)", f.Machine, machine)
			}
			first, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			again, err := b.AgentZip(t.Context(), arch)
			if err != nil {
				t.Fatal(err)
			}
			if second, _ := os.ReadFile(again); !bytes.Equal(first, second) {
				t.Error("rebuilding the same source gives a different zip: every preview would publish a new layer version")
			}
		})
	}
	path, err := b.BootstrapZip(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(readZip(t, path)); !slices.Equal(got, []string{"bootstrap"}) {
		t.Errorf("bootstrap layer holds %v, want bootstrap alone", got)
	}
	if _, err := (LayerBuilder{CacheDir: t.TempDir()}).AgentZip(t.Context(), "riscv64"); err == nil {
		t.Error("an unknown architecture was built")
	}
}

func TestLayerBuilderExplainsAMissingSource(t *testing.T) {
	_, err := LayerBuilder{ModuleDir: t.TempDir(), CacheDir: t.TempDir()}.BootstrapZip(t.Context())
	if err == nil || !strings.Contains(err.Error(), "holds no github.com/lambdawaf/lambdawaf agent source") {
		t.Fatalf("error = %v, want one saying the directory holds no agent source", err)
	}
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
