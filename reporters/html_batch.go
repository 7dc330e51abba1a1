package reporters

import (
	"fmt"
	"io"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// htmlBatch is the index of a batch's page: the totals, a row per
// capture linking to its section, the captures that could not be read
// and the files skipped as no captures.
type htmlBatch struct {
	B    *engine.Batch
	Rows []htmlIndexRow
	Unit unit
}

// htmlIndexRow is a capture in the index: its section's id, its paths,
// its findings by severity and its top finding.
type htmlIndexRow struct {
	ID, Paths, Host, Counts string
	Top                     *engine.Finding
}

// WriteBatch implements BatchWriter: one page with an index of the
// captures (each with its findings and its top finding, linked to its
// section), then a section per capture as Write gives it, with ids
// prefixed by the capture's number so that links stay within it, and one
// footer.
func (h HTML) WriteBatch(w io.Writer, b *engine.Batch) error {
	p := htmlPage{Title: fmt.Sprintf("leakdiag report: %s", facts.Plural(b.Summary.Captures, "capture")),
		Batch: &htmlBatch{B: b, Unit: batchUnit(b)}, Footer: h.footer(nil)}
	for i, r := range b.Reports {
		v := newHTMLView(r, fmt.Sprintf("c%d-", i+1))
		p.Reports = append(p.Reports, v)
		p.Batch.Rows = append(p.Batch.Rows, htmlIndexRow{ID: v.ID, Paths: capturePaths(r), Host: r.Summary.Host, Counts: severityCounts(r), Top: v.Top})
	}
	return htmlTemplate().ExecuteTemplate(w, "batch", p)
}
