package policy

import "github.com/lambdawaf/lambdawaf/agent/contract"

// Mode says what lambdawaf does with what it finds (package contract
// defines it for the agent and its deployers alike).
type Mode = contract.Mode

// The modes. Shadow applies to rules only: the rule is evaluated and what it
// would have done is recorded, but it changes nothing.
const (
	ModeBlock  = contract.ModeBlock
	ModeLog    = contract.ModeLog
	ModeOff    = contract.ModeOff
	ModeShadow = contract.ModeShadow
)

// ParseMode parses a function-level mode (block, log or off), as
// LAMBDAWAF_MODE spells it.
func ParseMode(s string) (Mode, bool) {
	m, err := contract.ParseMode(s)
	return m, err == nil
}
