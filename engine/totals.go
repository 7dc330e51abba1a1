package engine

import "github.com/leakdiag/leakdiag/facts"

// Totals is the account of every source of a report added up: lines of
// text captures, bytes of binary ones, and what kinds of source there
// were. Reporters format it; they do not add sources up themselves.
type Totals struct {
	// Lines adds up the lines of the text captures.
	Lines facts.LineCounts
	// Bytes adds up the bytes of the binary captures, nil when there are
	// none.
	Bytes *facts.ByteCounts
	// Text, Binary and Live say whether there were text captures, binary
	// ones, and snapshots leakdiag collect took from /proc (which have
	// neither lines nor bytes).
	Text, Binary, Live bool
}

// Totals adds up the accounts of the summary's sources.
func (s *Summary) Totals() Totals {
	var t Totals
	for _, src := range s.Sources {
		switch {
		case src.Format == "procfs": // package procfs: /proc, read live
			t.Live = true
		case src.Bytes != nil:
			t.Binary = true
			if t.Bytes == nil {
				t.Bytes = &facts.ByteCounts{}
			}
			t.Bytes.Total += src.Bytes.Total
			t.Bytes.Parsed += src.Bytes.Parsed
			t.Bytes.Skipped += src.Bytes.Skipped
			t.Bytes.Other += src.Bytes.Other
		default:
			t.Text = true
			t.Lines.Total += src.Lines.Total
			t.Lines.Parsed += src.Lines.Parsed
			t.Lines.Ignored += src.Lines.Ignored
			t.Lines.Unrecognized += src.Lines.Unrecognized
		}
	}
	return t
}
