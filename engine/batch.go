package engine

import "github.com/leakdiag/leakdiag/severity"

// Batch is the result of analysing several captures, each on its own:
// their reports in the order the captures were given, and a combined
// summary. Captures of different machines never mix: each report has its
// own facts, findings and ranks.
type Batch struct {
	SchemaVersion int `json:"schema_version"`
	// Fleet, in a merge of reports (leakdiag merge), groups the findings
	// across captures and hosts; nil otherwise. It comes first, as the
	// summary a reader wants first.
	Fleet *Fleet `json:"fleet,omitempty"`
	// Shard, in a worker's report of a sharded run (analyze --shard),
	// says which part it is; nil otherwise.
	Shard   *Shard         `json:"shard,omitempty"`
	Reports []*Report      `json:"reports"`
	Failed  []CaptureError `json:"failed"`
	// Skipped are the files found in the directories given that are not
	// captures, in path order.
	Skipped []SkippedFile `json:"skipped"`
	Summary BatchSummary  `json:"summary"`
}

// CaptureError is a capture that could not be analysed.
type CaptureError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// SkippedFile is a file found by walking a directory that is not a
// capture at all (format detection recognizes none of the formats leakdiag
// reads in it: notes, tables, a README kept beside the captures): it is
// skipped, and said so, instead of failing the run.
type SkippedFile struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// BatchSummary adds the captures' reports up.
type BatchSummary struct {
	Captures int `json:"captures"`
	Analysed int `json:"analysed"`
	Failed   int `json:"failed"`
	// Skipped counts the files that are not captures (Batch.Skipped).
	Skipped int `json:"skipped"`
	// WithFindings is the number of captures with at least one finding.
	WithFindings int `json:"with_findings"`
	Findings     int `json:"findings"`
	// BySeverity counts findings by severity (error, warning, info).
	BySeverity map[string]int `json:"by_severity"`
	Processes  int64          `json:"processes"`
	Handles    int64          `json:"total_handles"`
	Baselined  int            `json:"baselined"`
	Suppressed int            `json:"suppressed"`
	RuleErrors int            `json:"rule_errors"`
}

// NewBatch sums reports (nil entries are captures that failed, named in
// failed) into a Batch; skipped are the files that were not captures.
func NewBatch(reports []*Report, failed []CaptureError, skipped []SkippedFile) *Batch {
	b := &Batch{SchemaVersion: SchemaVersion, Reports: []*Report{}, Failed: failed, Skipped: skipped}
	if b.Failed == nil {
		b.Failed = []CaptureError{}
	}
	if b.Skipped == nil {
		b.Skipped = []SkippedFile{}
	}
	s := &b.Summary
	s.BySeverity = make(map[string]int, len(severity.All))
	for _, sev := range severity.All {
		s.BySeverity[string(sev)] = 0
	}
	for _, r := range reports {
		if r == nil {
			continue
		}
		b.Reports = append(b.Reports, r)
		s.Add(r)
	}
	s.Failed = len(b.Failed)
	s.Skipped = len(b.Skipped)
	s.Captures = s.Analysed + s.Failed
	return b
}

// Add counts one more analysed capture's report in the summary (Captures
// is the caller's to set, with Failed and Skipped). A merge of reports
// sums them one at a time, as they come.
func (s *BatchSummary) Add(r *Report) {
	s.Analysed++
	if len(r.Findings) > 0 {
		s.WithFindings++
	}
	s.Findings += len(r.Findings)
	for sev, n := range r.BySeverity() {
		s.BySeverity[string(sev)] += n
	}
	s.Processes += r.Summary.Processes
	s.Handles += r.Summary.TotalHandles
	s.Baselined += r.Summary.Baselined
	s.Suppressed += r.Summary.Suppressed
	s.RuleErrors += len(r.Errors)
}
