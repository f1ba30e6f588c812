package main

import "testing"

func TestMemoryLimitGrowsWithInvocationsInFlight(t *testing.T) {
	for _, tt := range []struct {
		workers int
		want    int64
	}{
		{0, 12 << 20},    // one invocation at a time
		{16, 28 << 20},   // Managed Instances, 16 workers
		{64, 64 << 20},   // capped
		{-3, 12 << 20},   // never below the base
		{1000, 64 << 20}, // capped
	} {
		if got := memoryLimitFor(tt.workers); got != tt.want {
			t.Errorf("memoryLimitFor(%d) = %d MiB, want %d MiB", tt.workers, got>>20, tt.want>>20)
		}
	}
}
