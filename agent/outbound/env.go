package outbound

import (
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/outbound/leak"
)

// Environment variables of outbound inspection.
const (
	// EnvOutbound is off (default), mask, block or log.
	EnvOutbound = "LAMBDAWAF_OUTBOUND"
	// EnvOutboundKinds optionally narrows what is looked for: a
	// comma-separated list of leak kinds (card, ssn, cpf, es-id,
	// aws-access-key, aws-secret-key, secret, private-key, stack-trace,
	// db-error).
	EnvOutboundKinds = "LAMBDAWAF_OUTBOUND_KINDS"
)

// ConfigFromEnv reads the outbound configuration. enabled is false when
// outbound inspection is off (the default: it rewrites responses, so it is
// opted into).
func ConfigFromEnv(getenv func(string) string) (cfg Config, enabled bool, err error) {
	v := strings.TrimSpace(getenv(EnvOutbound))
	if v == "" || strings.EqualFold(v, "off") {
		return Config{}, false, nil
	}
	a, err := ParseAction(v)
	if err != nil {
		return Config{}, false, fmt.Errorf("%s: %w", EnvOutbound, err)
	}
	cfg.Action = a
	if ks := getenv(EnvOutboundKinds); strings.TrimSpace(ks) != "" {
		for _, name := range strings.Split(ks, ",") {
			k, ok := leak.ParseKind(strings.TrimSpace(name))
			if !ok {
				return Config{}, false, fmt.Errorf("%s: unknown kind %q", EnvOutboundKinds, name)
			}
			cfg.Kinds |= k
		}
	}
	return cfg, true, nil
}
