package detect

import "testing"

func TestParanoiaLevelIsClamped(t *testing.T) {
	tests := []struct{ in, want int }{{-1, 1}, {0, 1}, {1, 1}, {2, 2}, {3, MaxParanoia}}
	for _, tt := range tests {
		if got := New(Options{Paranoia: tt.in}).Paranoia(); got != tt.want {
			t.Errorf("Options{Paranoia: %d} gives level %d, want %d", tt.in, got, tt.want)
		}
	}
}
