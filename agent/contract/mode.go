package contract

import "fmt"

// Mode says what the agent does with an event it judges malicious. It is
// set per function (LAMBDAWAF_MODE, the configuration document, the Pulumi
// component's mode argument) and, with ModeShadow, per rule.
type Mode string

// The modes.
const (
	// ModeBlock answers the invocation with a block response; the handler
	// never sees the event.
	ModeBlock Mode = "block"
	// ModeLog records the decision and lets the event through.
	ModeLog Mode = "log"
	// ModeOff passes everything through uninspected.
	ModeOff Mode = "off"
	// ModeShadow applies to rules only: the rule is evaluated and what it
	// would have done is recorded, but it changes nothing.
	ModeShadow Mode = "shadow"
)

// Modes lists the function-level modes, strictest first.
func Modes() []Mode { return []Mode{ModeBlock, ModeLog, ModeOff} }

// ParseMode parses a function-level mode (block, log or off), as
// LAMBDAWAF_MODE spells it.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeBlock, ModeLog, ModeOff:
		return m, nil
	}
	return "", fmt.Errorf("mode %q: want block, log or off", s)
}

// FailurePolicy is what the agent does when inspection itself fails (an
// error, a panic, the time budget): let the event through or block it.
type FailurePolicy string

// The failure policies.
const (
	FailOpen   FailurePolicy = "open"
	FailClosed FailurePolicy = "closed"
)

// ParseFailurePolicy parses LAMBDAWAF_FAILURE_POLICY.
func ParseFailurePolicy(s string) (FailurePolicy, error) {
	switch p := FailurePolicy(s); p {
	case FailOpen, FailClosed:
		return p, nil
	}
	return "", fmt.Errorf("failure policy %q: want open or closed", s)
}
