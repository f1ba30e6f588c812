package report

import (
	"fmt"
	"math"
	"time"
)

// The charts are plain SVG geometry computed here; the template only
// prints numbers and escaped labels into it.

// timeChart is the stacked bar chart of blocked and logged decisions per
// bucket.
type timeChart struct {
	Width, Height       float64
	PlotLeft, PlotRight float64
	PlotTop, PlotBottom float64
	Bars                []timeBar
	YTicks              []tick
	XTicks              []tick
	Empty               bool
}

type timeBar struct {
	X, W               float64
	BlockedY, BlockedH float64
	LoggedY, LoggedH   float64
	Title              string
}

type tick struct {
	Pos   float64
	Label string
}

func newTimeChart(buckets []Bucket, width time.Duration) timeChart {
	c := timeChart{Width: 1000, Height: 240, PlotLeft: 48, PlotRight: 990, PlotTop: 12, PlotBottom: 200}
	peak := 0
	for _, b := range buckets {
		peak = max(peak, b.Blocked+b.Logged)
	}
	if len(buckets) == 0 || peak == 0 {
		c.Empty = true
		return c
	}
	top := niceCeil(peak)
	scale := (c.PlotBottom - c.PlotTop) / float64(top)
	slot := (c.PlotRight - c.PlotLeft) / float64(len(buckets))
	barW := math.Min(math.Max(slot*0.8, 1), 48) // a lone bucket stays a bar, not a wall
	for i, b := range buckets {
		x := c.PlotLeft + float64(i)*slot + (slot-barW)/2
		bh := float64(b.Blocked) * scale
		lh := float64(b.Logged) * scale
		c.Bars = append(c.Bars, timeBar{
			X: round1(x), W: round1(barW),
			BlockedY: round1(c.PlotBottom - bh), BlockedH: round1(bh),
			LoggedY: round1(c.PlotBottom - bh - lh), LoggedH: round1(lh),
			Title: fmt.Sprintf("%s: %d blocked, %d logged, %d allowed",
				b.Start.Format(bucketLayout(width, true)), b.Blocked, b.Logged, b.Allowed),
		})
	}
	for _, v := range []int{0, top / 2, top} {
		if v == top/2 && (top%2 != 0 || top < 2) {
			continue
		}
		c.YTicks = append(c.YTicks, tick{Pos: round1(c.PlotBottom - float64(v)*scale), Label: fmt.Sprint(v)})
	}
	every := max(1, int(math.Ceil(float64(len(buckets))/8)))
	for i := 0; i < len(buckets); i += every {
		c.XTicks = append(c.XTicks, tick{
			Pos:   round1(c.PlotLeft + (float64(i)+0.5)*slot),
			Label: buckets[i].Start.Format(bucketLayout(width, false)),
		})
	}
	return c
}

func bucketLayout(width time.Duration, long bool) string {
	switch {
	case width < time.Second:
		if long {
			return "2006-01-02 15:04:05.000"
		}
		return "15:04:05.0"
	case width < time.Minute:
		if long {
			return "2006-01-02 15:04:05"
		}
		return "15:04:05"
	case width < 24*time.Hour:
		if long {
			return "2006-01-02 15:04"
		}
		return "Jan 2 15:04"
	}
	return "2006-01-02"
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten.
func niceCeil(n int) int {
	if n <= 1 {
		return 1
	}
	p := 1
	for p*10 <= n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// barChart is a horizontal bar chart of ranked names.
type barChart struct {
	Width, Height float64
	LabelWidth    float64
	Rows          []barRow
	Empty         bool
}

type barRow struct {
	Y        float64
	Label    string // shortened for display
	Full     string // the whole name, in a tooltip
	Segments []barSegment
	ValueX   float64
	Value    string
}

type barSegment struct {
	X, W  float64
	Class string // CSS class: blocked, logged, allowed, plain
}

const (
	barRowHeight = 22
	maxLabel     = 26 // fits LabelWidth at 12 px, wide glyphs included
)

func newBarChart(counts []Count) barChart {
	rows := make([][]segmentValue, len(counts))
	names := make([]string, len(counts))
	values := make([]string, len(counts))
	for i, c := range counts {
		rows[i] = []segmentValue{{c.Count, "plain"}}
		names[i] = c.Name
		values[i] = fmt.Sprint(c.Count)
	}
	return buildBars(names, rows, values)
}

func newRankedChart(ranked []Ranked) barChart {
	rows := make([][]segmentValue, len(ranked))
	names := make([]string, len(ranked))
	values := make([]string, len(ranked))
	for i, r := range ranked {
		rows[i] = []segmentValue{
			{r.Blocked, "blocked"}, {r.Logged, "logged"}, {r.Total - r.Blocked - r.Logged, "allowed"},
		}
		names[i] = r.Name
		values[i] = fmt.Sprintf("%d blocked / %d", r.Blocked, r.Total)
	}
	return buildBars(names, rows, values)
}

type segmentValue struct {
	n     int
	class string
}

func buildBars(names []string, rows [][]segmentValue, values []string) barChart {
	c := barChart{Width: 490, LabelWidth: 200}
	if len(rows) == 0 {
		c.Empty = true
		c.Height = barRowHeight
		return c
	}
	peak := 0
	for _, segs := range rows {
		sum := 0
		for _, s := range segs {
			sum += s.n
		}
		peak = max(peak, sum)
	}
	plotW := c.Width - c.LabelWidth - 110
	for i, segs := range rows {
		row := barRow{Y: float64(i * barRowHeight), Label: shorten(names[i], maxLabel), Full: names[i], Value: values[i]}
		x := c.LabelWidth
		for _, s := range segs {
			if s.n <= 0 {
				continue
			}
			w := math.Max(float64(s.n)/float64(max(peak, 1))*plotW, 1)
			row.Segments = append(row.Segments, barSegment{X: round1(x), W: round1(w), Class: s.class})
			x += w
		}
		row.ValueX = round1(x + 6)
		c.Rows = append(c.Rows, row)
	}
	c.Height = float64(len(rows) * barRowHeight)
	return c
}

// shorten cuts s to n runes with an ellipsis in the middle, keeping both
// ends (a route's method and its last segment, a location's root and its
// leaf), for labels only: tooltips and tables keep the whole value.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}
