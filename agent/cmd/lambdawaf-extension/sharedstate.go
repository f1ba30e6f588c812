package main

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/awsapi"
	"github.com/lambdawaf/lambdawaf/agent/background"
	settings "github.com/lambdawaf/lambdawaf/agent/config"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// syncTask is the background task that trades fleet state with the table.
const syncTask = "fleet-sync"

// sharedStates connects configurations with global rate limits or
// flagging to the protection group's table (firewall.Options.SharedState).
// Each configuration gets its own fleet.State (its limits are its own);
// one background task syncs whichever is current.
type sharedStates struct {
	ctx      context.Context
	settings settings.Settings
	aws      *awsapi.Config // nil: the fleet client loads its own
	key      *agentkey.Key
	work     *background.Runner
	log      zerolog.Logger
	// count counts a function-level metric (the key cap's evictions).
	count func(metric string)

	once    sync.Once
	client  fleet.API
	setup   error
	current atomic.Pointer[fleet.State]
}

// forPolicy builds the shared state for p, or returns nil (global limits
// and abuse counters then count per environment) when the group has no
// table or no shared agent key, which it logs.
func (s *sharedStates) forPolicy(p *policy.Policy) policy.SharedState {
	if !p.NeedsSharedState() && (s.settings.FleetTable == "" || s.settings.FleetGroup == "" || s.settings.AgentKeySecretARN == "") {
		// Only abuse counters (logins, responses): they work in one
		// environment too, which is worth saying but not an error.
		s.log.Info().Str("config", p.Source()).
			Msg("login and response counters count per execution environment: no shared-state table or shared agent key (deploy with the component's SharedState to count across the group)")
		return nil
	}
	if s.settings.FleetTable == "" || s.settings.FleetGroup == "" {
		s.log.Error().Str("config", p.Source()).
			Msg("the configuration has global rate limits or flagging but " + contract.EnvFleetTable + "/" + contract.EnvFleetGroup +
				" are not set: counting per execution environment and flagging nothing (deploy with the component's SharedState)")
		return nil
	}
	if s.settings.AgentKeySecretARN == "" {
		s.log.Error().Str("config", p.Source()).
			Msg("global rate limits and flagging need the group's shared agent key (" + contract.EnvAgentKeySecretARN +
				"): counting per execution environment and flagging nothing")
		return nil
	}
	s.once.Do(func() {
		if s.aws != nil {
			s.client, s.setup = fleet.NewClientFromConfig(*s.aws, "", fleet.DefaultCallTimeout)
		} else {
			s.client, s.setup = fleet.NewClient(s.ctx, "", fleet.DefaultCallTimeout)
		}
		if s.setup == nil {
			s.setup = s.work.Add(background.Task{Name: syncTask, Interval: fleet.DefaultSyncInterval, Run: s.sync})
		}
	})
	if s.setup != nil {
		s.log.Error().Err(s.setup).Msg("fleet state unavailable: counting per execution environment")
		return nil
	}
	st, err := fleet.New(fleet.OptionsFor(p, fleet.Options{
		Table:      &fleet.Table{API: s.client, Name: s.settings.FleetTable, Group: s.settings.FleetGroup},
		Key:        s.sharedKey,
		LocalShare: s.settings.FleetLocalShare,
		Logger:     s.log,
		OnEvict:    s.evicted,
	}))
	if err != nil {
		s.log.Error().Err(err).Msg("fleet state unavailable: counting per execution environment")
		return nil
	}
	s.current.Store(st)
	return fleet.ForPolicy{S: st}
}

// sharedKey is the agent key once it has loaded from the secret; the
// per-environment fallback key is not shared.
func (s *sharedStates) sharedKey() ([]byte, bool) {
	k, source, ok := s.key.Get()
	return k, ok && source == agentkey.SourceSecret
}

// evicted counts what the fleet state's key cap did.
func (s *sharedStates) evicted(evicted, untracked int) {
	if s.count == nil {
		return
	}
	for range evicted + untracked {
		s.count(contract.MetricCounterEvictions)
	}
}

func (s *sharedStates) sync(ctx context.Context) error {
	if st := s.current.Load(); st != nil {
		return st.Sync(ctx)
	}
	return nil
}
