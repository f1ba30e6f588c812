package firewall_test

import (
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// The pieces the extension plugs together fit: the firewall is the proxy's
// Inspector, telemetry observes decisions with their requests, outbound
// supplies the response filters.
var (
	_ proxy.Inspector          = (*firewall.Firewall)(nil)
	_ firewall.RequestObserver = (*telemetry.Recorder)(nil)
	_ firewall.ResponseFilters = (*outbound.Inspector)(nil)
)
