package corpus

import (
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Pipeline is lambdawaf's detection path without policy: event.Parse, then
// decode.Walk, then detect.Engine.Inspect on every leaf. The corpus tests,
// the detection report and the benchmarks all judge events through it.
type Pipeline struct {
	Decoder *decode.Decoder
	Engine  *detect.Engine
}

// NewPipeline returns a Pipeline with default decoding limits.
func NewPipeline(opts detect.Options) *Pipeline {
	return &Pipeline{Decoder: decode.New(decode.Limits{}), Engine: detect.New(opts)}
}

// Signals judges one raw Lambda event and appends the signals to dst.
// Decoding issues (limits, malformed input) become protocol signals, as the
// firewall reports them.
func (p *Pipeline) Signals(payload []byte, dst []detect.Signal) ([]detect.Signal, error) {
	req, err := event.Parse(payload)
	if err != nil {
		return dst, fmt.Errorf("parse event: %w", err)
	}
	site := detect.SiteOf(req)
	werr := p.Decoder.Walk(req, func(v event.Value) bool {
		dst = p.Engine.InspectSite(v, &site, dst)
		return true
	})
	if de, ok := werr.(*decode.Error); ok {
		for _, is := range de.Issues {
			dst = append(dst, detect.Signal{Class: detect.Protocol, Location: is.Location, Record: is.Record, Rule: "decode-" + string(is.Kind), Score: 3})
		}
	}
	return dst, nil
}

// Attack reports whether any signal is of an attack class.
func Attack(sigs []detect.Signal) bool {
	for _, s := range sigs {
		if s.Class.IsAttack() {
			return true
		}
	}
	return false
}
