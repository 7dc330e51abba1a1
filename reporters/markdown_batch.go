package reporters

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// WriteBatch implements BatchWriter: one document for a CI job summary. A
// table of the captures first, each with its findings by severity and its
// top finding, the captures that could not be read among them; then the
// totals and the files skipped as no captures; then a section per
// capture, as Write gives it a level down.
func (m Markdown) WriteBatch(w io.Writer, b *engine.Batch) error {
	return m.WriteStream(w, sliceStream(b))
}

// WriteStream implements StreamWriter: the reports are read twice, for
// the table and for the sections (Again; without it, the table's pass
// is kept in memory for the sections).
func (Markdown) WriteStream(w io.Writer, st BatchStream) error {
	bw := bufio.NewWriter(w)
	b := st.Head
	s := b.Summary
	bw.WriteString("# leakdiag report\n\n")
	if b.Fleet != nil {
		mdFleet(bw, b.Fleet)
	}
	fmt.Fprintf(bw, "%s: %d analysed, %d failed, %d with findings; %s: %d error, %d warning, %d info.\n\n",
		facts.Plural(s.Captures, "capture"), s.Analysed, s.Failed, s.WithFindings,
		facts.Plural(s.Findings, "finding"), s.BySeverity["error"], s.BySeverity["warning"], s.BySeverity["info"])
	// File descriptors when every capture is a Linux one, else handles
	// (batchUnit).
	u, n := fdUnit, 0
	var held []*engine.Report
	if s.Captures > 0 {
		bw.WriteString("| capture | findings | top finding | process | component |\n|---|---|---|---|---|\n")
	}
	for {
		r, err := st.Next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		if st.Again == nil {
			held = append(held, r)
		}
		n++
		if !linuxCapture(r.Summary.Sources) {
			u = handleUnit
		}
		fmt.Fprintf(bw, "| %s | %s |", mdEscape(captureTitle(r)), severityCounts(r))
		if len(r.Findings) == 0 {
			bw.WriteString(" | | |\n")
			continue
		}
		f := r.Findings[0]
		fmt.Fprintf(bw, " %s %s %s | %s | %s |\n", mdEscape(strings.ToUpper(string(f.Severity))), mdEscape(f.RuleID), mdEscape(f.Title),
			mdProcess(f.Process), mdEscape(f.Component.Name))
	}
	if n == 0 {
		u = handleUnit
	}
	if s.Captures > 0 {
		for _, f := range b.Failed {
			fmt.Fprintf(bw, "| %s | not analysed | %s | | |\n", mdEscape(f.Path), mdEscape(f.Error))
		}
		bw.WriteString("\n")
	}
	fmt.Fprintf(bw, "%s over the captures", facts.Plural(int(s.Processes), "process"))
	if s.Handles > 0 {
		fmt.Fprintf(bw, ", %s", u.Count(s.Handles))
	}
	bw.WriteString(".")
	if s.Baselined > 0 || s.Suppressed > 0 {
		fmt.Fprintf(bw, " Left out: %d already in the baseline, %d suppressed.", s.Baselined, s.Suppressed)
	}
	if s.RuleErrors > 0 {
		fmt.Fprintf(bw, " %s (rules that could not be evaluated, named in each capture's section): the run is no pass.", facts.Plural(s.RuleErrors, "rule failure"))
	}
	bw.WriteString("\n")
	if len(b.Skipped) > 0 {
		bw.WriteString("\nSkipped, not captures:\n\n")
		for _, f := range b.Skipped {
			fmt.Fprintf(bw, "- %s: %s\n", mdEscape(f.Path), mdEscape(f.Reason))
		}
	}
	next := func() (*engine.Report, error) {
		if len(held) == 0 {
			return nil, nil
		}
		r := held[0]
		held = held[1:]
		return r, nil
	}
	if st.Again != nil {
		var err error
		if next, err = st.Again(); err != nil {
			return err
		}
	}
	for {
		r, err := next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		fmt.Fprintf(bw, "\n## %s\n\n", mdEscape(captureTitle(r)))
		mdReport(bw, r, "###")
	}
	return bw.Flush()
}

// severityCounts is "1 error, 4 warning, 1 info", leaving out zeros;
// "none" without findings.
func severityCounts(r *engine.Report) string {
	n := r.BySeverity()
	var parts []string
	for _, sev := range severity.All {
		if n[sev] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[sev], sev))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// batchUnit is file descriptors when every capture of the batch is a
// Linux one, else handles.
func batchUnit(b *engine.Batch) unit {
	var sources []facts.Source
	for _, r := range b.Reports {
		if !linuxCapture(r.Summary.Sources) {
			return handleUnit
		}
		sources = append(sources, r.Summary.Sources...)
	}
	return unitOf(sources)
}
