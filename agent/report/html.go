package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

//go:embed report.html.tmpl
var pageSource string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return formatTime(t) },
	"whenMs": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05.000")
	},
	"duration": formatDuration,
	"pct":      pct,
	"micros":   formatMicros,
	"join":     strings.Join,
	"route":    routeLabel,
	"row": func(s view, r telemetry.Record) decisionRow {
		return decisionRow{Rec: r, Path: s.Paths[r.RequestID], Anchor: s.Anchors[r.RequestID]}
	},
}).Parse(pageSource))

// decisionRow is one row of the blocked and would-block tables: the
// record, its concrete path when known and the anchor of its record.
type decisionRow struct {
	Rec          telemetry.Record
	Path, Anchor string
}

// view is the template's data: the summary plus the chart geometry.
type view struct {
	*Summary
	Timeline  timeChart
	Classes   barChart
	Locations barChart
	Routes    barChart
	Sources   barChart
	Rules     barChart
}

// Write renders s as one self-contained HTML page.
func Write(w io.Writer, s *Summary) error {
	v := view{
		Summary:   s,
		Timeline:  newTimeChart(s.Timeline, s.BucketWidth),
		Classes:   newBarChart(s.Classes),
		Locations: newBarChart(s.Locations),
		Routes:    newRankedChart(s.Routes),
		Sources:   newRankedChart(s.Sources),
		Rules:     newBarChart(s.Rules),
	}
	if err := page.Execute(w, v); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}

// Generate reads records from r and writes the page to w: Read, Summarize
// and Write in one call.
func Generate(w io.Writer, r io.Reader, opts Options) (*Summary, error) {
	in, err := Read(r)
	if err != nil {
		return nil, err
	}
	s := Summarize(in, opts)
	return s, Write(w, s)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

func pct(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(whole))
}

func formatMicros(us int64) string {
	if us >= 10_000 {
		return fmt.Sprintf("%.1f ms", float64(us)/1000)
	}
	return fmt.Sprintf("%d µs", us)
}

// routeLabel names a record's route with its method, once.
func routeLabel(method, route string) string {
	switch {
	case route == "":
		return method
	case method == "" || startsWithMethod(route):
		return route
	}
	return method + " " + route
}
