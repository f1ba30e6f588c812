package decode

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits bound the work of one Walk. Zero fields take the defaults below.
//
// Every bound but MaxValueBytes ends in an Issue whose Kind.IsLimit() is
// true, never in a silent stop: the firewall turns it into a limit signal
// that the policy's onLimit setting (block, log or allow) decides, except
// TimeBudget, whose overrun is an inspection failure decided by
// LAMBDAWAF_FAILURE_POLICY. Bounds() lists them all; README.md renders
// that table.
type Limits struct {
	// MaxBodyBytes bounds the size of a body (after the event's own base64)
	// or record payload that is decoded; a longer one is not decoded.
	MaxBodyBytes int
	// MaxBytes bounds the total length of Text yielded by one Walk.
	MaxBytes int
	// MaxDecompressed bounds the output of all gzip/deflate streams of one
	// Walk together (a body, multipart parts); beyond it the walk reports
	// a DecompressionBomb.
	MaxDecompressed int
	// MaxRatio bounds output/input of one compressed stream once its
	// output passes RatioFloor bytes; beyond it, a DecompressionBomb.
	MaxRatio int
	// MaxDepth bounds nesting: JSON/XML containers plus decoding layers.
	MaxDepth int
	// MaxValues bounds the number of values yielded by one Walk.
	MaxValues int
	// MaxValueBytes is the window detectors see: a longer value is yielded
	// whole-covering, as overlapping windows of at most MaxValueBytes bytes
	// that share WindowOverlap bytes, so no byte goes unjudged and no
	// payload shorter than the overlap is split. It never stops anything.
	MaxValueBytes int
	// MaxHeaders bounds the number of header values of a request.
	MaxHeaders int
	// MaxRecords bounds the number of batch records of an event.
	MaxRecords int
	// MaxLayers bounds speculative decoding of one value (base64 of
	// URL-encoded JSON...): a reading that still decodes after MaxLayers
	// layers is a LayerLimit.
	MaxLayers int
	// MaxReadings bounds the text that the readings (speculative
	// decodings, each judged, duplicates once) of one value may produce,
	// as a multiple of its length; more is a LayerLimit.
	MaxReadings int
	// TimeBudget bounds the time of one Walk, detection included (the
	// visitor runs inside it). Overrunning it is a TimeBudget issue.
	TimeBudget time.Duration
}

// Default limits, sized for Lambda's 6 MB synchronous payload.
const (
	DefaultMaxBodyBytes    = 8 << 20
	DefaultMaxBytes        = 32 << 20
	DefaultMaxDecompressed = 8 << 20
	DefaultMaxRatio        = 200
	DefaultMaxDepth        = 64
	DefaultMaxValues       = 50000
	DefaultMaxValueBytes   = 256 << 10
	DefaultMaxHeaders      = 1000
	DefaultMaxRecords      = 10000
	DefaultMaxLayers       = 6
	DefaultMaxReadings     = 8
	DefaultTimeBudget      = 2 * time.Second
)

// RatioFloor is the decompressed size below which MaxRatio does not apply:
// small documents compress by any ratio honestly.
const RatioFloor = 1 << 20

// WindowOverlap is how many bytes consecutive windows of a long value
// share (see Limits.MaxValueBytes).
const WindowOverlap = 4 << 10

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBodyBytes, DefaultMaxBodyBytes)
	def(&l.MaxBytes, DefaultMaxBytes)
	def(&l.MaxDecompressed, DefaultMaxDecompressed)
	def(&l.MaxRatio, DefaultMaxRatio)
	def(&l.MaxDepth, DefaultMaxDepth)
	def(&l.MaxValues, DefaultMaxValues)
	def(&l.MaxValueBytes, DefaultMaxValueBytes)
	def(&l.MaxHeaders, DefaultMaxHeaders)
	def(&l.MaxRecords, DefaultMaxRecords)
	def(&l.MaxLayers, DefaultMaxLayers)
	def(&l.MaxReadings, DefaultMaxReadings)
	if l.MaxValueBytes <= 2*WindowOverlap {
		l.MaxValueBytes = 2*WindowOverlap + 1
	}
	if l.TimeBudget <= 0 {
		l.TimeBudget = DefaultTimeBudget
	}
	return l
}

// IssueKind names an anomaly found while decoding.
type IssueKind string

// Issue kinds. The limit kinds (IsLimit) mean input was left uninspected.
const (
	BodyLimit         IssueKind = "body-limit"
	ByteLimit         IssueKind = "byte-limit"
	DecompressionBomb IssueKind = "decompression-bomb"
	DepthLimit        IssueKind = "depth-limit"
	ValueLimit        IssueKind = "value-limit"
	HeaderLimit       IssueKind = "header-limit"
	RecordLimit       IssueKind = "record-limit"
	LayerLimit        IssueKind = "layer-limit"
	TimeBudget        IssueKind = "time-budget"
	// UnsupportedCoding is a body in a content coding the decoder does
	// not decode (zstd, compress): a handler that decodes it reads what
	// was not inspected, so it counts as a bound reached.
	UnsupportedCoding IssueKind = "unsupported-content-encoding"

	MalformedJSON        IssueKind = "malformed-json"
	MalformedXML         IssueKind = "malformed-xml"
	MalformedMultipart   IssueKind = "malformed-multipart"
	MalformedCompression IssueKind = "malformed-compression"
	BadURLEncoding       IssueKind = "invalid-url-encoding"
	TrailingData         IssueKind = "trailing-data" // bytes after a compressed stream, judged as text
)

// IsLimit reports whether k is a bound that left input uninspected.
func (k IssueKind) IsLimit() bool {
	switch k {
	case BodyLimit, ByteLimit, DecompressionBomb, DepthLimit, ValueLimit,
		HeaderLimit, RecordLimit, LayerLimit, TimeBudget, UnsupportedCoding:
		return true
	}
	return false
}

// Bound is one row of the limits table: a bound on the work of inspecting
// one event, its default and what hitting it does.
type Bound struct {
	Name    string // what is bounded
	Field   string // the Limits field
	Default string // the default, in the unit people read
	Issue   IssueKind
	Hit     string // what happens when the input reaches it
}

// Bounds returns the table of every bound, in the order README.md shows
// them. It is the one place the defaults are described.
func Bounds() []Bound {
	onLimit := "`limit` signal → `onLimit`"
	return []Bound{
		{"body bytes", "MaxBodyBytes", size(DefaultMaxBodyBytes), BodyLimit, "body not decoded; " + onLimit},
		{"decoded bytes", "MaxBytes", size(DefaultMaxBytes), ByteLimit, "walk stops; " + onLimit},
		{"decompressed bytes", "MaxDecompressed", size(DefaultMaxDecompressed), DecompressionBomb, "output cut, what was inflated is judged; " + onLimit},
		{"decompression ratio", "MaxRatio", strconv.Itoa(DefaultMaxRatio) + ":1 past " + size(RatioFloor), DecompressionBomb, "output cut, what was inflated is judged; " + onLimit},
		{"depth", "MaxDepth", strconv.Itoa(DefaultMaxDepth), DepthLimit, "deeper content not walked; " + onLimit},
		{"number of values", "MaxValues", strconv.Itoa(DefaultMaxValues), ValueLimit, "walk stops; " + onLimit},
		{"value length", "MaxValueBytes", size(DefaultMaxValueBytes), "", "none: judged whole, in windows overlapping by " + size(WindowOverlap)},
		{"headers", "MaxHeaders", strconv.Itoa(DefaultMaxHeaders) + " values", HeaderLimit, "walk stops; " + onLimit},
		{"records", "MaxRecords", strconv.Itoa(DefaultMaxRecords), RecordLimit, "walk stops; " + onLimit},
		{"decoding layers", "MaxLayers", strconv.Itoa(DefaultMaxLayers), LayerLimit, "a reading that still decodes is not decoded further; " + onLimit},
		{"readings per value", "MaxReadings", strconv.Itoa(DefaultMaxReadings) + "× its length", LayerLimit, "further readings not decoded; " + onLimit},
		{"content codings", "", "gzip, x-gzip, deflate, br", UnsupportedCoding, "another coding (zstd, compress): the raw bytes are judged; " + onLimit},
		{"time budget", "TimeBudget", DefaultTimeBudget.String(), TimeBudget, "walk stops; inspection failure → `LAMBDAWAF_FAILURE_POLICY` (a block already found still blocks)"},
	}
}

func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " B"
}

// BoundsMarkdown renders Bounds as the Markdown table README.md holds.
func BoundsMarkdown() string {
	var b strings.Builder
	b.WriteString("| bound | `decode.Limits` field | default | issue | when reached |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, r := range Bounds() {
		issue := "—"
		if r.Issue != "" {
			issue = "`" + string(r.Issue) + "`"
		}
		field := "—"
		if r.Field != "" {
			field = "`" + r.Field + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.Name, field, r.Default, issue, r.Hit)
	}
	return b.String()
}
