package layer

import (
	"debug/elf"
	"fmt"
	"regexp"
)

// machines maps Lambda architecture names to ELF machines.
var machines = map[string]elf.Machine{
	"x86_64": elf.EM_X86_64,
	"arm64":  elf.EM_AARCH64,
}

// archInName finds a Lambda architecture name in a file name such as
// lambdawaf-arm64.zip.
var archInName = regexp.MustCompile(`(x86_64|arm64)`)

// ArchFromName returns the Lambda architecture named in a layer file name
// (lambdawaf-x86_64.zip, lambdawaf-arm64.zip), or "" if it names none.
func ArchFromName(name string) string {
	return archInName.FindString(name)
}

// CheckExtension verifies that the binary at path can run as the extension
// of a layer for arch (x86_64 or arm64): a Linux ELF executable for that
// machine, statically linked. A layer's compatible architectures are only
// metadata; an x86_64 binary in an arm64 layer fails at run time with
// "exec format error", so the check runs when the layer is built.
func CheckExtension(path, arch string) error {
	want, ok := machines[arch]
	if !ok {
		return fmt.Errorf("check extension: unknown architecture %q (want x86_64 or arm64)", arch)
	}
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("check extension %s: not a Linux executable: %w", path, err)
	}
	defer f.Close()
	if f.Machine != want {
		return fmt.Errorf("check extension %s: built for %s, but the layer is %s (%s): Lambda would fail with exec format error; build it with GOARCH=%s",
			path, f.Machine, arch, want, goarch(arch))
	}
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("check extension %s: ELF type %s is not an executable", path, f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("check extension %s: dynamically linked; build it with CGO_ENABLED=0 so it runs on every Lambda runtime", path)
		}
	}
	return nil
}

func goarch(arch string) string {
	if arch == "arm64" {
		return "arm64"
	}
	return "amd64"
}
