package plugin

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// Config is the provider configuration (`pulumi config set
// lambdawaf:mode log`): defaults for every ProtectedFunction of the stack
// whose waf block does not say otherwise, so that a whole stack moves from
// log to block in one place.
type Config struct {
	Mode          *Mode          `pulumi:"mode,optional"`
	FailurePolicy *FailurePolicy `pulumi:"failurePolicy,optional"`
}

// Annotate describes the provider configuration.
func (c *Config) Annotate(an infer.Annotator) {
	an.Describe(&c.Mode, "Default mode of every ProtectedFunction whose waf.mode is not set. Default: block.")
	an.Describe(&c.FailurePolicy, "Default failure policy of every ProtectedFunction whose waf.failurePolicy is not set. Default: open.")
}

// providerDefaults is the provider configuration of a construct call, or
// none when the provider was not configured (Go tests that construct
// without Configure).
func providerDefaults(ctx context.Context) (cfg Config) {
	defer func() {
		if recover() != nil {
			cfg = Config{}
		}
	}()
	return infer.GetConfig[Config](ctx)
}

// withDefaults fills the waf block's unset mode and failure policy from
// the provider configuration.
func (w *WafArgs) withDefaults(cfg Config) {
	if w.Mode == nil {
		w.Mode = cfg.Mode
	}
	if w.FailurePolicy == nil {
		w.FailurePolicy = cfg.FailurePolicy
	}
}
