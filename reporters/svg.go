package reporters

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// The HTML report's charts are inline SVG computed here, so that the
// template only places them: no script, no external asset, and the same
// report gives the same bytes.

// chart is a horizontal bar chart.
type chart struct {
	Bars   []bar
	Width  int
	Height int
}

type bar struct {
	Label     string
	Value     string
	Y, W      int
	TextY     int
	Highlight bool
}

const (
	chartLabelWidth = 230
	chartBarMax     = 420
	chartRow        = 22
)

func newChart(labels []string, values []int64, highlight func(i int) bool) chart {
	var max int64 = 1
	for _, v := range values {
		if v > max {
			max = v
		}
	}
	c := chart{Width: chartLabelWidth + chartBarMax + 90, Height: len(values)*chartRow + 4}
	for i, v := range values {
		w := int(v * chartBarMax / max)
		if v > 0 && w < 2 {
			w = 2
		}
		c.Bars = append(c.Bars, bar{Label: clip(labels[i], 30), Value: facts.FormatCount(v), Y: i*chartRow + 2, W: w,
			TextY: i*chartRow + 16, Highlight: highlight != nil && highlight(i)})
	}
	return c
}

// clip cuts a label to n characters, with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// lineChart is a line chart of counts over the captures of a series, a
// line per suspect, from 0 up, with a legend on the right.
type lineChart struct {
	Width, Height int
	// The plot area.
	X0, Y0, X1, Y1 int
	// LegendX and LegendTextX place the legend's swatches and labels.
	LegendX, LegendTextX int
	Series               []lineSeries
	XTicks, YTicks       []tick
}

// lineSeries is one suspect's line: its segments (a capture without a
// count breaks the line), a dot at each known count, and its legend.
type lineSeries struct {
	Class    string
	Label    string
	Segments []string // SVG polyline points: "x,y x,y"
	Dots     []dot
	// LegendY is the label's baseline, SwatchY its swatch's top.
	LegendY, SwatchY int
}

type dot struct {
	X, Y  int
	Title string
}

type tick struct {
	X, Y  int
	Label string
}

const (
	lineWidth   = 740
	lineHeight  = 240
	lineLeft    = 64
	lineRight   = 200
	lineTop     = 12
	lineBottom  = 34
	lineClasses = 8 // s0..s7 in the template's style
)

func newLineChart(sr *engine.Series) lineChart {
	c := lineChart{Width: lineWidth, Height: lineHeight, X0: lineLeft, Y0: lineTop,
		X1: lineWidth - lineRight, Y1: lineHeight - lineBottom}
	c.LegendX, c.LegendTextX = c.X1+16, c.X1+34
	var max int64 = 1
	for _, g := range sr.Growth {
		for _, n := range g.Counts {
			if n > max {
				max = n
			}
		}
	}
	n := len(sr.Points)
	x := func(i int) int {
		if n == 1 {
			return c.X0
		}
		return c.X0 + i*(c.X1-c.X0)/(n-1)
	}
	y := func(v int64) int { return c.Y1 - int(v*int64(c.Y1-c.Y0)/max) }
	for _, v := range []int64{0, max / 2, max} {
		c.YTicks = append(c.YTicks, tick{X: c.X0 - 6, Y: y(v) + 4, Label: facts.FormatCount(v)})
	}
	every := 1
	if n > 8 {
		every = (n + 7) / 8
	}
	for i := range sr.Points {
		if i%every == 0 || i == n-1 {
			c.XTicks = append(c.XTicks, tick{X: x(i), Y: c.Y1 + 18, Label: fmt.Sprint(i + 1)})
		}
	}
	for k, g := range sr.Growth {
		s := lineSeries{Class: fmt.Sprintf("s%d", k%lineClasses), Label: clip(growthLabel(g), 24), LegendY: c.Y0 + 8 + k*20, SwatchY: c.Y0 + 2 + k*20}
		var seg []string
		flush := func() {
			if len(seg) > 0 {
				s.Segments = append(s.Segments, strings.Join(seg, " "))
				seg = nil
			}
		}
		for i, v := range g.Counts {
			if v < 0 {
				flush()
				continue
			}
			seg = append(seg, fmt.Sprintf("%d,%d", x(i), y(v)))
			s.Dots = append(s.Dots, dot{X: x(i), Y: y(v), Title: fmt.Sprintf("%s, capture %d: %s", growthLabel(g), i+1, facts.FormatCount(v))})
		}
		flush()
		c.Series = append(c.Series, s)
	}
	return c
}
