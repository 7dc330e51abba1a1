package reporters

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// A series report shows each suspect's count at each capture: in
// Markdown as a table and a sparkline of block characters (GitHub and
// GitLab strip SVG and data: images from Markdown, and the sparkline
// reads in a terminal too); in HTML as an inline SVG line chart
// (svg.go) and the same table.

// growthCell writes a count of a growth table: "?" where the capture does
// not give it, "-" where the process is not in it.
func growthCell(n int64) string {
	switch n {
	case engine.UnknownCount:
		return "?"
	case engine.Absent:
		return "-"
	}
	return facts.FormatCount(n)
}

// growthLabel names a suspect: "ContosoAgent.exe (pid 2488)".
func growthLabel(g engine.ProcessGrowth) string {
	return fmt.Sprintf("%s (pid %d)", facts.ImageName(g.Image), g.PID)
}

// growthChange is the change from a suspect's first known count to its
// last, "" when fewer than two are known.
func growthChange(g engine.ProcessGrowth, hours float64) string {
	first, last := -1, -1
	for i, n := range g.Counts {
		if n >= 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || first == last {
		return ""
	}
	d := g.Counts[last] - g.Counts[first]
	s := fmt.Sprintf("%s to %s, %s", facts.FormatCount(g.Counts[first]), facts.FormatCount(g.Counts[last]), signed(d))
	if first == 0 && last == len(g.Counts)-1 {
		if r := rateText(d, hours); r != "" && !strings.HasSuffix(r, "/capture") {
			s += ", " + r
		}
	}
	return s
}

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws counts as block characters, from the least to the most
// of them; a capture without a count is a middle dot.
func sparkline(counts []int64) string {
	lo, hi := int64(-1), int64(-1)
	for _, n := range counts {
		if n < 0 {
			continue
		}
		if lo < 0 || n < lo {
			lo = n
		}
		if n > hi {
			hi = n
		}
	}
	var b strings.Builder
	for _, n := range counts {
		switch {
		case n < 0:
			b.WriteRune('·')
		case hi == lo:
			b.WriteRune(sparkBlocks[0])
		default:
			b.WriteRune(sparkBlocks[int((n-lo)*int64(len(sparkBlocks)-1)/(hi-lo))])
		}
	}
	return b.String()
}

// pointLabel names a capture of a series in a table: its time, or its
// number when times are unknown.
func pointLabel(i int, p engine.DiffPoint) string {
	if p.Time != "" {
		return p.Time
	}
	return fmt.Sprintf("capture %d", i+1)
}

// mdGrowth writes the suspects' growth over a series: a sparkline each,
// then a table of their counts, a row per capture.
func mdGrowth(bw *bufio.Writer, sr *engine.Series, u unit, h string) {
	fmt.Fprintf(bw, "%s Growth over the captures\n\n", h)
	for _, g := range sr.Growth {
		fmt.Fprintf(bw, "- %s: `%s` %s\n", mdEscape(growthLabel(g)), sparkline(g.Counts), growthChange(g, sr.Hours))
	}
	fmt.Fprintf(bw, "\n%s at each capture:\n\n| capture | file |", u.Title)
	for _, g := range sr.Growth {
		fmt.Fprintf(bw, " %s |", mdEscape(growthLabel(g)))
	}
	bw.WriteString("\n|---|---|" + strings.Repeat("---:|", len(sr.Growth)) + "\n")
	for i, p := range sr.Points {
		fmt.Fprintf(bw, "| %s | %s |", mdEscape(pointLabel(i, p)), mdEscape(p.Name))
		for _, g := range sr.Growth {
			fmt.Fprintf(bw, " %s |", growthCell(g.Counts[i]))
		}
		bw.WriteString("\n")
	}
	bw.WriteString("\n")
}
