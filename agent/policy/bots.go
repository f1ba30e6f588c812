package policy

import (
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"net/netip"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/bots"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// ReasonBot is the reason kind of a bot class or TLS fingerprint decision.
const ReasonBot ReasonKind = "bot"

// defaultBotActions are the actions of classes a policy does not list.
// Automation allows: it is often a mobile app or a partner's integration.
var defaultBotActions = map[bots.Class]Outcome{
	bots.ClassBrowser:           Allow,
	bots.ClassVerifiedCrawler:   Allow,
	bots.ClassAutomation:        Allow,
	bots.ClassUnknown:           Allow,
	bots.ClassHeadless:          Log,
	bots.ClassImpersonator:      Log,
	bots.ClassUnverifiedCrawler: Log,
}

// botPolicy is the compiled bots section; immutable.
type botPolicy struct {
	classifier *bots.Classifier
	actions    map[bots.Class]Outcome
	deny       map[string]bool // "ja3:<fp>" and "ja4:<fp>"
	allow      map[string]bool
	// limit applies to the classes whose action is rateLimitAction.
	limit *rateLimit
}

// rateLimitAction is the bot class action that applies the section's
// rateLimit to the class's requests.
const rateLimitAction Outcome = "rate-limit"

func (p *Policy) compileBots(pr *document.Problems, s *document.BotsSpec) {
	if s == nil {
		return
	}
	bp := &botPolicy{actions: map[bots.Class]Outcome{}, deny: map[string]bool{}, allow: map[string]bool{}}
	for c, o := range defaultBotActions {
		bp.actions[c] = o
	}
	known := map[bots.Class]bool{}
	for _, c := range bots.Classes() {
		known[c] = true
	}
	for name, o := range s.Classes {
		path := document.At(nil, "bots", "classes", name)
		if !known[bots.Class(name)] {
			pr.Add(path, "%s", unknownWord("bot class", name, botClassNames()))
			continue
		}
		switch o := Outcome(o); o {
		case Allow, Log, Block, rateLimitAction:
			bp.actions[bots.Class(name)] = o
		default:
			pr.Add(path, "expected one of allow, log, block, rate-limit, got %s", o)
		}
	}
	ranges := map[string][]netip.Prefix{}
	crawlers := map[string]bool{}
	for _, n := range bots.Crawlers() {
		crawlers[n] = true
	}
	for name, cidrs := range s.Crawlers {
		if !crawlers[strings.ToLower(name)] {
			pr.Add(document.At(nil, "bots", "crawlers", name), "%s", unknownWord("crawler", name, bots.Crawlers()))
			continue
		}
		for i, c := range cidrs {
			pfx, err := netip.ParsePrefix(strings.TrimSpace(c))
			if err != nil {
				pr.Add(document.At(nil, "bots", "crawlers", name, i), "expected a CIDR such as 66.249.64.0/27, got %q", c)
				continue
			}
			ranges[name] = append(ranges[name], pfx.Masked())
		}
	}
	bp.classifier = bots.NewClassifier(ranges)
	for kind, l := range map[string]*document.FingerprintLists{"ja3": s.JA3, "ja4": s.JA4} {
		if l == nil {
			continue
		}
		for _, fp := range l.Deny {
			bp.deny[kind+":"+strings.ToLower(fp)] = true
		}
		for _, fp := range l.Allow {
			bp.allow[kind+":"+strings.ToLower(fp)] = true
		}
	}
	p.compileBotLimit(pr, bp, s.RateLimit)
	p.bots = bp
}

// compileBotLimit compiles the limit of rate-limited classes; a class set
// to rate-limit needs one, and a limit needs a class to apply to.
func (p *Policy) compileBotLimit(pr *document.Problems, bp *botPolicy, s *document.RateLimitSpec) {
	used := false
	for _, a := range bp.actions {
		used = used || a == rateLimitAction
	}
	path := document.At(nil, "bots", "rateLimit")
	switch {
	case s == nil && used:
		pr.Add(document.At(nil, "bots", "classes"), "a class set to rate-limit needs bots.rateLimit")
		return
	case s == nil:
		return
	case !used:
		pr.Add(path, "no class is set to rate-limit")
		return
	}
	spec := *s
	if spec.ID == "" {
		spec.ID = "bots"
	}
	if len(spec.Routes) > 0 {
		pr.Add(document.At(path, "routes"), "the bots limit applies to the classes' requests on every route")
		return
	}
	rl := compileRateLimit(pr, path, &spec)
	if rl == nil {
		return
	}
	if rl.global >= 0 {
		rl.global = len(p.global)
		p.global = append(p.global, GlobalLimit{ID: rl.id, Limit: int64(spec.Limit), Window: rl.period, Burst: int64(spec.Burst)})
	}
	bp.limit = rl
}

func botClassNames() []string {
	var names []string
	for _, c := range bots.Classes() {
		names = append(names, string(c))
	}
	return names
}

// unknownWord explains a word outside a closed vocabulary, suggesting the
// one probably meant.
func unknownWord(what, word string, known []string) string {
	if s := detect.Suggest(word, known); s != "" {
		return fmt.Sprintf("unknown %s %q; did you mean %q? (expected one of %s)", what, word, s, strings.Join(known, ", "))
	}
	return fmt.Sprintf("unknown %s %q; expected one of %s", what, word, strings.Join(known, ", "))
}

// maxBotMessage bounds the reasons' text in a record.
const maxBotMessage = 200

// checkBots classifies an HTTP request and applies its class's action. The
// reason names the class and the classifier's fixed phrases, never header
// values; a block is the policy's normal block response.
func (p *Policy) checkBots(ev *Evaluation) {
	req := ev.ctx.req
	v := p.bots.classifier.Classify(bots.Request{Headers: req.Headers, Source: sourceAddr(req.SourceIP), Secure: secure(req)})
	ja3, ja4 := "ja3:"+strings.ToLower(v.JA3), "ja4:"+strings.ToLower(v.JA4)
	switch {
	case (v.JA3 != "" && p.bots.deny[ja3]) || (v.JA4 != "" && p.bots.deny[ja4]):
		ev.addReason(Reason{Kind: ReasonBot, ID: "tls-fingerprint", Action: Block, Record: -1, Message: "TLS fingerprint on the deny list; class " + string(v.Class)}, nil)
		return
	case (v.JA3 != "" && p.bots.allow[ja3]) || (v.JA4 != "" && p.bots.allow[ja4]):
		return
	}
	a := p.bots.actions[v.Class]
	if a == Allow || a == "" {
		return
	}
	if a == rateLimitAction {
		p.applyRateLimit(ev, p.bots.limit)
		return
	}
	msg := strings.Join(v.Reasons, "; ")
	if len(msg) > maxBotMessage {
		msg = msg[:maxBotMessage]
	}
	ev.addReason(Reason{Kind: ReasonBot, ID: string(v.Class), Action: a, Record: -1, Message: msg}, nil)
}

// secure says whether the request came over HTTPS: API Gateway and
// Function URLs only serve HTTPS; an ALB or VPC Lattice says so in
// X-Forwarded-Proto.
func secure(req *event.Request) bool {
	switch req.Trigger {
	case event.APIGatewayREST, event.APIGatewayHTTP, event.APIGatewayWS, event.FunctionURL:
		return true
	}
	if vs := req.Headers["x-forwarded-proto"]; len(vs) > 0 {
		return strings.EqualFold(strings.TrimSpace(vs[0]), "https")
	}
	return false
}

func sourceAddr(s string) netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}
