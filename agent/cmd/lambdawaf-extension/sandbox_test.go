package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSandboxAddressFromTheHostsFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, hosts, want string
	}{
		{"named", "127.0.0.1 localhost\n169.254.100.1 sandbox sandbox.localdomain # lambda\n", "169.254.100.1"},
		{"commented out", "# 169.254.100.1 sandbox.localdomain\n", "127.0.0.1"},
		{"absent", "127.0.0.1 localhost\n", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, []byte(tt.hosts), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := sandboxAddress(p); got != tt.want {
				t.Errorf("sandboxAddress = %q, want %q", got, tt.want)
			}
		})
	}
	if got := sandboxAddress(filepath.Join(dir, "missing")); got != "127.0.0.1" {
		t.Errorf("no hosts file: %q", got)
	}
}
