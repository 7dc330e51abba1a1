package reporters

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// HTML writes one standalone page a vendor can open: the verdict first,
// then each finding with its numbers, charts (inline SVG), names, stacks
// and capture lines, then how complete the capture was and the rules that
// ran, and a footer saying which leakdiag, when, on what and how. No
// network, no external assets, no script; html/template escapes every
// string from the capture, so an object named "<script>" stays text.
type HTML struct {
	// Version, Time and Command are the footer's: leakdiag's version,
	// when the analysis ran and the command line (Options).
	Version string
	Time    time.Time
	Command string
}

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed when a report is first written as HTML, not at
// start-up: a millisecond every other run would pay.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"count":         facts.FormatCount,
		"pct":           facts.FormatShare,
		"upper":         func(s severity.Level) string { return strings.ToUpper(string(s)) },
		"fleetHeader":   fleetHeader,
		"fleetHeadline": fleetHeadline,
		"fleetDetail":   fleetDetail,
		"fleetCaptures": fleetCaptures,
		"score":         func(f float64) string { return facts.FormatCount(int64(f)) },
		"plural":        facts.Plural,
		"plural64":      func(n int64, noun string) string { return facts.Plural(int(n), noun) },
		"loc":           locHTML,
		"cell":          growthCell,
	}).Parse(htmlSource))
})

// Write implements Reporter.
func (h HTML) Write(w io.Writer, r *engine.Report) error {
	v := newHTMLView(r, "")
	return htmlTemplate().ExecuteTemplate(w, "single", htmlPage{Title: v.title(), Reports: []htmlView{v}, Footer: h.footer(&r.Summary)})
}

// htmlPage is a page: one report, or a batch's.
type htmlPage struct {
	Title   string
	Batch   *htmlBatch
	Reports []htmlView
	Footer  htmlFooter
}

// htmlFooter says what a vendor asks first: which leakdiag, when, on
// which machine, and the command that made the report.
type htmlFooter struct {
	Version, Time, Command string
	// Host, OS and CapturedAt are the capture's, where it says them (one
	// report; a batch's sections give each capture's).
	Host, OS, CapturedAt string
}

func (h HTML) footer(s *engine.Summary) htmlFooter {
	f := htmlFooter{Version: h.Version, Command: h.Command}
	if !h.Time.IsZero() {
		f.Time = h.Time.UTC().Format(time.RFC3339)
	}
	if s != nil {
		f.Host, f.OS, f.CapturedAt = s.Host, s.OSVersion, s.CapturedAt
	}
	return f
}

// htmlView is what the template shows of one report: the report and the
// geometry of its charts, computed here so the template only places them.
type htmlView struct {
	R *engine.Report
	// ID prefixes the ids of the report's sections: "" alone, "c2-" for
	// the second capture of a batch.
	ID  string
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
	// Unit is what the capture counts (handles, or file descriptors on
	// Linux) and Kinds where it came from ("leakdiag collect, from /proc").
	Unit  unit
	Kinds string
	// Live: the capture was read from /proc (collect), so it has no lines.
	Live bool
	// Growth charts a series' suspects over the captures.
	Growth *htmlGrowth
}

// title names the page after the top suspect.
func (v htmlView) title() string {
	if v.Top != nil && v.Top.Process != nil {
		return fmt.Sprintf("leakdiag report: %s (pid %d)", v.Top.Process.Image, v.Top.Process.PID)
	}
	return "leakdiag report"
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
	// Why is the component's reason, unless the verdict (WhyInVerdict)
	// or an earlier finding (WhyAs) said the same.
	Why          string
	WhyInVerdict bool
	WhyAs        int
	// Names are the names held at least minNameCount times; NamesLeft
	// counts those held once or twice, left out.
	Names     []facts.NameCount
	NamesLeft int
	Refs      []htmlRef
}

// minNameCount: a name held once or twice says nothing of a leak.
const minNameCount = 3

// htmlRef is a reference: a link when it is a web URL (webURL), text
// otherwise.
type htmlRef struct {
	Text string
	Link bool
}

// htmlGrowth is a series' growth: the chart and the table of counts.
type htmlGrowth struct {
	Chart  lineChart
	Series *engine.Series
	Points []string
	Change []string
}

func newHTMLView(r *engine.Report, id string) htmlView {
	v := htmlView{R: r, ID: id, ProcessCount: int(r.Summary.Processes), Unit: unitOf(r.Summary.Sources),
		Kinds: sourceKinds(r.Summary.Sources)}
	t := r.Summary.Totals()
	v.Lines, v.Bytes = t.Lines, t.Bytes
	v.Live = t.Live && !t.Text && !t.Binary // every source read from /proc
	if len(r.Findings) > 0 {
		v.Top = &r.Findings[0]
	}
	if sr := r.Summary.Series; sr != nil && len(sr.Growth) > 0 {
		g := &htmlGrowth{Chart: newLineChart(sr), Series: sr}
		for i, p := range sr.Points {
			g.Points = append(g.Points, pointLabel(i, p))
		}
		for _, pg := range sr.Growth {
			g.Change = append(g.Change, growthChange(pg, sr.Hours))
		}
		v.Growth = g
	}
	var labels []string
	var values []int64
	for _, p := range r.Summary.TopProcesses {
		labels = append(labels, fmt.Sprintf("%s (%d)", facts.ImageName(p.Image), p.PID))
		values = append(values, p.Handles)
	}
	suspect := func(i int) bool {
		p := r.Summary.TopProcesses[i]
		return v.Top != nil && v.Top.Process != nil && v.Top.Process.PID == p.PID && v.Top.Process.Image == p.Image
	}
	v.Processes = newChart(labels, values, suspect)
	firstFor := map[string]int{}
	whyAt := map[string]int{}
	for i := range r.Findings {
		f := &r.Findings[i]
		hf := htmlFinding{F: f}
		if key := processKey(f.Process); key != "" {
			if rank, ok := firstFor[key]; ok {
				hf.SameAs = rank
			} else {
				firstFor[key] = f.Rank
			}
		}
		// The same process's findings share a reason: said once.
		why := processKey(f.Process) + "\x00" + f.Component.Reason
		switch rank, seen := whyAt[why]; {
		case i == 0:
			hf.WhyInVerdict = true
			whyAt[why] = 0
		case seen && rank == 0:
			hf.WhyInVerdict = true
		case seen:
			hf.WhyAs = rank
		default:
			hf.Why = f.Component.Reason
			whyAt[why] = f.Rank
		}
		for _, n := range f.Names {
			if n.Count >= minNameCount {
				hf.Names = append(hf.Names, n)
			} else {
				hf.NamesLeft++
			}
		}
		for _, ref := range f.References {
			hf.Refs = append(hf.Refs, htmlRef{Text: ref, Link: webURL(ref)})
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
		if c := f.Component; c.Frame != "" {
			hf.Blamed = c.Frame
			if i == 0 {
				v.Blamed, v.Callers = c.Frame, strings.Join(c.Callers, " <- ")
			}
		}
		v.Findings = append(v.Findings, hf)
	}
	return v
}

// locHTML writes a place in a capture (capture.txt:801, a rule file's
// rules.d/10-handle-count.yaml:2:5) so that a narrow cell breaks it only
// after a path separator, never inside a name or its line number: each
// segment up to a separator is kept on one line (a hyphen in a name is
// no place to break either), with a break opportunity after it.
func locHTML(where string) template.HTML {
	var b strings.Builder
	for where != "" {
		n := strings.IndexAny(where, `/\`) + 1
		if n == 0 {
			n = len(where)
		}
		if b.Len() > 0 {
			b.WriteString("<wbr>")
		}
		b.WriteString(`<span class="nw">`)
		b.WriteString(template.HTMLEscapeString(where[:n]))
		b.WriteString("</span>")
		where = where[n:]
	}
	return template.HTML(b.String())
}
