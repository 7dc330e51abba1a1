package reporters

import (
	"fmt"
	"io"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// WriteBatch implements BatchWriter: each capture's report under a header
// naming it, the captures that could not be read, the files skipped as
// no captures (one line each), then the totals.
func (t *Text) WriteBatch(w io.Writer, b *engine.Batch) error {
	return t.WriteStream(w, sliceStream(b))
}

// WriteStream implements StreamWriter: the fleet summary first, in a
// merge, then as WriteBatch.
func (t *Text) WriteStream(w io.Writer, st BatchStream) error {
	b := st.Head
	if b.Fleet != nil {
		if err := t.fleet(w, b.Fleet); err != nil {
			return err
		}
	}
	for {
		r, err := st.Next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		if t.Quiet && len(r.Findings) == 0 && len(r.Errors) == 0 {
			continue
		}
		termf(w, "%s\n\n", t.paint(ansiBold, "== "+captureTitle(r)+" =="))
		if err := t.Write(w, r); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	for _, f := range b.Failed {
		termf(w, "%s: not analysed: %s\n", f.Path, f.Error)
	}
	if t.Quiet {
		return nil
	}
	for _, f := range b.Skipped {
		termf(w, "%s\n", skippedLine(f))
	}
	s := b.Summary
	skipped := ""
	if s.Skipped > 0 {
		skipped = fmt.Sprintf("; %s skipped, in no format leakdiag reads", facts.Plural(s.Skipped, "file"))
	}
	_, err := fmt.Fprintf(w, "%s: %d analysed, %d failed, %d with findings; %s: %d error, %d warning, %d info; %s, %s handles%s\n",
		facts.Plural(s.Captures, "capture"), s.Analysed, s.Failed, s.WithFindings,
		facts.Plural(s.Findings, "finding"), s.BySeverity["error"], s.BySeverity["warning"], s.BySeverity["info"],
		facts.Plural(int(s.Processes), "process"), facts.FormatCount(s.Handles), skipped)
	return err
}
