// Package document is lambdawaf's configuration document as the user
// writes it: its types (Config and the sections under it), its published
// JSON Schema (schema.json), reading it from YAML or JSON, and reporting
// every problem at its line and column (Error, FieldError). It gives
// fields no meaning: package policy compiles a Document into decisions.
// Kept apart so that what a configuration may say is read in one place,
// and so that tools that only check documents need not compile them.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package document

import (
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/detect"
)

// Config is the configuration document, as written by the user. Field names
// are those of the YAML/JSON document; see README.md in this directory for
// the reference and schema.json for the JSON Schema.
type Config struct {
	// Version of the document format; 1.
	Version int `json:"version,omitempty"`
	// Mode is the function-wide mode; LAMBDAWAF_MODE overrides it.
	Mode contract.Mode `json:"mode,omitempty"`
	// OnLimit is what an event that reached an inspection bound gets:
	// block (default), log or allow. See limit.go.
	OnLimit OnLimit `json:"onLimit,omitempty"`
	// Block is the default block response.
	Block *BlockSpec `json:"block,omitempty"`
	// Detection says what signals do.
	Detection *Detection `json:"detection,omitempty"`
	// Lists are named lists reusable across rules.
	Lists []List `json:"lists,omitempty"`
	// Rules are the custom rules, evaluated in order.
	Rules []Rule `json:"rules,omitempty"`
	// Exclusions tune detection for false positives.
	Exclusions []Exclusion `json:"exclusions,omitempty"`
	// Routes is the positive model, written by hand.
	Routes []RouteSpec `json:"routes,omitempty"`
	// OpenAPI imports an OpenAPI 3 document as positive model.
	OpenAPI *OpenAPISpec `json:"openapi,omitempty"`
	// RateLimits are per-execution-environment token buckets, or
	// fleet-wide windows (scope: global).
	RateLimits []RateLimitSpec `json:"rateLimits,omitempty"`
	// UnknownTrigger says what happens to events of no recognised
	// trigger: inspect (default), allow or block (see triggers.go).
	UnknownTrigger UnknownTrigger `json:"unknownTrigger,omitempty"`
	// BlockedRecords says what happens to blocked records of batches:
	// fail (default where partial batch responses exist) or drop, for
	// every batch trigger or per trigger.
	BlockedRecords *BlockedRecords `json:"blockedRecords,omitempty"`
	// Flagging flags sources across the protection group (see
	// FlaggingSpec); it needs the shared-state table and agent key.
	Flagging *FlaggingSpec `json:"flagging,omitempty"`
	// Bots says what each client class gets (see bots.go).
	Bots *BotsSpec `json:"bots,omitempty"`
	// Logins declares login routes and the account-takeover thresholds
	// (see logins.go).
	Logins *LoginsSpec `json:"logins,omitempty"`
	// Responses count the function's error answers per source or
	// identity: scanning, enumeration (see responses.go).
	Responses []ResponseCounterSpec `json:"responses,omitempty"`
	// ErrorRatios watch routes' shares of error answers: fuzzing, exploit
	// attempts breaking a route (see errorratios.go).
	ErrorRatios []ErrorRatioSpec `json:"errorRatios,omitempty"`
}

// BlockSpec describes a block response. The body is sent as is: it must not
// (and cannot) contain request input.
type BlockSpec struct {
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Body        string `json:"body,omitempty"`
}

// Detection configures what detection signals do.
type Detection struct {
	// Threshold is the minimum signal score (1-10) that counts; weaker
	// signals are recorded but never block. Default 1.
	Threshold int `json:"threshold,omitempty"`
	// Paranoia is 1 (default: precise detectors only) or 2 (also flag
	// attack fragments that occur in legitimate free text; for APIs whose
	// inputs are narrow). See detect.Options.Paranoia.
	Paranoia int `json:"paranoia,omitempty"`
	// Classes maps a signal class to block, log or off. Classes not listed
	// block. "off" disables the class's detectors altogether.
	Classes map[detect.Class]contract.Mode `json:"classes,omitempty"`
	// Rules maps a detector rule name to block, log or off.
	Rules map[string]contract.Mode `json:"rules,omitempty"`
}

// ListKind is the type of a named list's items.
type ListKind string

// The list kinds.
const (
	ListString ListKind = "string"
	ListIP     ListKind = "ip"
	ListCIDR   ListKind = "cidr" // CIDRs and single addresses
)

// List is a named list of strings, IP addresses or CIDRs.
type List struct {
	Name       string   `json:"name"`
	Kind       ListKind `json:"type,omitempty"`
	Items      []string `json:"items"`
	IgnoreCase bool     `json:"ignoreCase,omitempty"`
}

// Rule is one custom rule: when its condition holds, its action applies.
type Rule struct {
	ID          string        `json:"id"`
	Description string        `json:"description,omitempty"`
	Mode        contract.Mode `json:"mode,omitempty"`
	Expires     string        `json:"expires,omitempty"`
	When        *Condition    `json:"when"`
	Action      *Action       `json:"action"`
}

// Condition is a test over the request, its decoded values and its signals:
// exactly one of All, Any, Not or Field (with one operator).
type Condition struct {
	All []*Condition `json:"all,omitempty"`
	Any []*Condition `json:"any,omitempty"`
	Not *Condition   `json:"not,omitempty"`

	// Field names what is tested: method, path, route, trigger, source-ip,
	// content-type, label, header.<name>, cookie.<name>, query.<name>,
	// claim.<name>, a decoded value location pattern (body.items[*].sku,
	// records[*].body.id), or signal.
	Field string `json:"field,omitempty"`

	Equals     any       `json:"equals,omitempty"`
	Prefix     *string   `json:"prefix,omitempty"`
	Suffix     *string   `json:"suffix,omitempty"`
	Contains   *string   `json:"contains,omitempty"`
	Regex      *string   `json:"regex,omitempty"`
	In         any       `json:"in,omitempty"`   // list name or inline list
	CIDR       any       `json:"cidr,omitempty"` // list name, CIDR, or inline list
	Exists     *bool     `json:"exists,omitempty"`
	GT         *float64  `json:"gt,omitempty"`
	GTE        *float64  `json:"gte,omitempty"`
	LT         *float64  `json:"lt,omitempty"`
	LTE        *float64  `json:"lte,omitempty"`
	Length     *Compare  `json:"length,omitempty"`
	IgnoreCase bool      `json:"ignoreCase,omitempty"`
	Signal     *SigMatch `json:"signal,omitempty"`
}

// Compare is a numeric comparison, used for lengths.
type Compare struct {
	Equals *float64 `json:"equals,omitempty"`
	GT     *float64 `json:"gt,omitempty"`
	GTE    *float64 `json:"gte,omitempty"`
	LT     *float64 `json:"lt,omitempty"`
	LTE    *float64 `json:"lte,omitempty"`
}

// SigMatch matches detection signals (field: signal).
type SigMatch struct {
	Class    detect.Class `json:"class,omitempty"`
	Rule     string       `json:"rule,omitempty"`
	Location string       `json:"location,omitempty"`
	MinScore int          `json:"minScore,omitempty"`
}

// ActionType is what a rule does when it matches.
type ActionType string

// The action types. Allow and block end rule evaluation; log and continue
// (labels and signal edits only) do not.
const (
	ActionAllow    ActionType = "allow"
	ActionBlock    ActionType = "block"
	ActionLog      ActionType = "log"
	ActionContinue ActionType = "continue"
)

// Action is a rule's action. In YAML it may be written as a bare word
// (action: block) or as an object.
type Action struct {
	Type        ActionType  `json:"type"`
	Status      int         `json:"status,omitempty"`
	ContentType string      `json:"contentType,omitempty"`
	Body        string      `json:"body,omitempty"`
	Labels      []string    `json:"labels,omitempty"`
	AddSignal   *SignalSpec `json:"addSignal,omitempty"`
	Remove      *SigMatch   `json:"removeSignals,omitempty"`
}

// SignalSpec is a signal added by a rule.
type SignalSpec struct {
	Class    detect.Class `json:"class"`
	Rule     string       `json:"rule,omitempty"`
	Location string       `json:"location,omitempty"`
	Score    int          `json:"score,omitempty"`
}

// Exclusion switches detection off for some classes or detector rules, at
// some locations, on some routes. Values it fully covers are not inspected
// at all.
type Exclusion struct {
	ID        string         `json:"id,omitempty"`
	Classes   []detect.Class `json:"classes,omitempty"`
	Rules     []string       `json:"rules,omitempty"`
	Locations []string       `json:"locations,omitempty"`
	Routes    []string       `json:"routes,omitempty"`
}

// RouteSpec is the positive model of one route.
type RouteSpec struct {
	// Route is "METHOD /path/{param}" or "/path/{param}"; * matches one
	// segment, ** the rest.
	Route   string   `json:"route"`
	Methods []string `json:"methods,omitempty"`
	// Parameters by location: query.<name>, header.<name>, cookie.<name>,
	// path.<param>.
	Parameters map[string]*ParamSpec `json:"parameters,omitempty"`
	// UnknownParameters says what undeclared query parameters do: allow,
	// log or block. Default log.
	UnknownParameters string `json:"unknownParameters,omitempty"`
	// Body constrains the request body.
	Body *BodySpec `json:"body,omitempty"`
	// Action is what a violation does: block or log. Default block.
	Action string `json:"action,omitempty"`
}

// ParamSpec constrains one parameter.
type ParamSpec struct {
	Type      string   `json:"type,omitempty"` // string, integer, number, boolean
	Required  bool     `json:"required,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	MinLength *int     `json:"minLength,omitempty"`
	MaxLength *int     `json:"maxLength,omitempty"`
	Minimum   *float64 `json:"minimum,omitempty"`
	Maximum   *float64 `json:"maximum,omitempty"`
	Enum      []string `json:"enum,omitempty"`
}

// BodySpec constrains a request body.
type BodySpec struct {
	ContentTypes []string `json:"contentTypes,omitempty"`
	MaxBytes     int      `json:"maxBytes,omitempty"`
	Required     bool     `json:"required,omitempty"`
	// Schema is a JSON Schema (draft 2020-12 unless $schema says
	// otherwise) that JSON bodies must satisfy.
	Schema any `json:"schema,omitempty"`
}

// OpenAPISpec imports an OpenAPI 3 document as positive model.
type OpenAPISpec struct {
	// Path of the document, relative to the configuration file.
	Path string `json:"path"`
	// UnknownParameters: allow, log or block. Default log.
	UnknownParameters string `json:"unknownParameters,omitempty"`
	// UnknownRoutes: what a request matching no operation does: allow,
	// log or block. Default log.
	UnknownRoutes string `json:"unknownRoutes,omitempty"`
	// Action for violations: block or log. Default block.
	Action string `json:"action,omitempty"`
}

// RateLimitSpec is a token bucket per key, per execution environment.
type RateLimitSpec struct {
	ID string `json:"id"`
	// Key is source-ip, route, header.<name> or claim.<name>.
	Key string `json:"key"`
	// Limit requests per Period (a Go duration: 1s, 1m, 1h).
	Limit  int    `json:"limit"`
	Period string `json:"period"`
	// Burst is the bucket size; default Limit.
	Burst int `json:"burst,omitempty"`
	// Routes restricts the limit to some routes.
	Routes []string `json:"routes,omitempty"`
	// Action: block or log. Default block (status 429).
	Action string `json:"action,omitempty"`
	Status int    `json:"status,omitempty"`
	// MaxKeys bounds memory: least recently seen keys are evicted.
	// Default 10000.
	MaxKeys int `json:"maxKeys,omitempty"`
	// Scope is environment (the default: a token bucket in each execution
	// environment) or global: Limit requests per Period window across
	// the protection group, counted in the shared-state table (package
	// fleet); Burst does not apply.
	Scope string `json:"scope,omitempty"`
}

// Rate limit scopes.
const (
	ScopeEnvironment = "environment"
	ScopeGlobal      = "global"
)

// FlaggingSpec flags sources across the protection group: a source with
// Blocked requests blocked within one Within window is flagged for FlagFor,
// and every environment blocks its requests (Status, default 403) within
// one sync interval.
type FlaggingSpec struct {
	Thresholds []ThresholdSpec `json:"thresholds"`
	Status     int             `json:"status,omitempty"`
}

// ThresholdSpec is one flagging threshold.
type ThresholdSpec struct {
	ID string `json:"id"`
	// Source is source-ip, header.<name> or claim.<name> (an identity or
	// API key; stored pseudonymised).
	Source  string `json:"source"`
	Blocked int    `json:"blocked"`
	Within  string `json:"within"`
	FlagFor string `json:"flagFor"`
}
