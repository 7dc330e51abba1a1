package reporters

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// HTML writes one standalone page a vendor can open: the verdict first,
// then each finding with its numbers, charts (inline SVG), names, stacks
// and capture lines, then how complete the capture was and the rules that
// ran. No network, no external assets; html/template escapes every string
// from the capture, so an object named "<script>" stays text.
type HTML struct {
	// Version is leakdiag's version, for the footer.
	Version string
}

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"count":  facts.FormatCount,
	"pct":    func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"upper":  strings.ToUpper,
	"score":  func(f float64) string { return facts.FormatCount(int64(f)) },
	"plural": plural,
}).Parse(htmlSource))

// Write implements Reporter.
func (h HTML) Write(w io.Writer, r *engine.Report) error {
	v := newHTMLView(r)
	v.Version = h.Version
	return htmlTemplate.Execute(w, v)
}

// htmlView is what the template shows: the report and the geometry of its
// charts, computed here so the template only places them.
type htmlView struct {
	R   *engine.Report
	Top *engine.Finding
	// Blamed and Callers are the frame the top finding's component was
	// blamed on and the frames that called it, when stacks named it.
	Blamed    string
	Callers   string
	Processes chart
	Findings  []htmlFinding
	// ProcessCount is the number of processes in the capture.
	ProcessCount int
	Lines        facts.LineCounts
	// Bytes sums the byte accounts of binary captures (minidumps).
	Bytes *facts.ByteCounts
	// Version is leakdiag's version (HTML.Version), for the footer.
	Version string
}

type htmlFinding struct {
	F     *engine.Finding
	Types chart
	// SameAs is the rank of an earlier finding about the same process,
	// whose evidence this one shares rather than repeats; 0 if none.
	SameAs int
	// Blamed is the frame the component was blamed on, to mark in the
	// stacks.
	Blamed string
}

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
		label := labels[i]
		if len([]rune(label)) > 30 {
			label = string([]rune(label)[:29]) + "…" // the label column is 230 pixels
		}
		c.Bars = append(c.Bars, bar{Label: label, Value: facts.FormatCount(v), Y: i*chartRow + 2, W: w,
			TextY: i*chartRow + 16, Highlight: highlight != nil && highlight(i)})
	}
	return c
}

func newHTMLView(r *engine.Report) htmlView {
	v := htmlView{R: r, ProcessCount: int(r.Summary.Processes)}
	for _, s := range r.Summary.Sources {
		v.Lines.Total += s.Lines.Total
		v.Lines.Parsed += s.Lines.Parsed
		v.Lines.Ignored += s.Lines.Ignored
		v.Lines.Unrecognized += s.Lines.Unrecognized
		if b := s.Bytes; b != nil {
			if v.Bytes == nil {
				v.Bytes = &facts.ByteCounts{}
			}
			v.Bytes.Total += b.Total
			v.Bytes.Parsed += b.Parsed
			v.Bytes.Skipped += b.Skipped
			v.Bytes.Other += b.Other
		}
	}
	if len(r.Findings) > 0 {
		v.Top = &r.Findings[0]
	}
	var labels []string
	var values []int64
	for _, p := range r.Summary.TopProcesses {
		labels = append(labels, fmt.Sprintf("%s (%d)", orUnknown(p.Image), p.PID))
		values = append(values, p.Handles)
	}
	suspect := func(i int) bool {
		p := r.Summary.TopProcesses[i]
		return v.Top != nil && v.Top.Process != nil && v.Top.Process.PID == p.PID && v.Top.Process.Image == p.Image
	}
	v.Processes = newChart(labels, values, suspect)
	firstFor := map[string]int{}
	for i := range r.Findings {
		f := &r.Findings[i]
		hf := htmlFinding{F: f}
		if f.Process != nil {
			key := fmt.Sprintf("%d\x00%s\x00%s", f.Process.PID, f.Process.Image, f.Process.Address)
			if rank, ok := firstFor[key]; ok {
				hf.SameAs = rank
			} else {
				firstFor[key] = f.Rank
			}
		}
		var tl []string
		var tv []int64
		for j, t := range f.Types {
			if j == 12 {
				break
			}
			tl = append(tl, t.Type)
			tv = append(tv, t.Count)
		}
		hf.Types = newChart(tl, tv, func(j int) bool { return j == 0 })
		if strings.HasPrefix(f.Component.InferredFrom, "stack") {
			if _, after, ok := strings.Cut(f.Component.Reason, " created at "); ok {
				hf.Blamed, _, _ = strings.Cut(after, " ")
				if i == 0 {
					v.Blamed = hf.Blamed
					if _, callers, ok := strings.Cut(after, "called from "); ok {
						v.Callers, _, _ = strings.Cut(callers, ";")
					}
				}
			}
		}
		v.Findings = append(v.Findings, hf)
	}
	return v
}
