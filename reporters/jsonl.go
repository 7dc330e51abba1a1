package reporters

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
)

// JSONL writes the report as JSON Lines, for loading into a log or
// analytics store (Elasticsearch, Loki, BigQuery): one self-contained, flat
// object per finding in rank order ("kind":"finding"), one per rule that
// failed to evaluate ("kind":"rule_error"), then one "kind":"summary"
// line. Every line carries the schema version and the
// capture it comes from, and no line holds null. A batch (WriteBatch) is
// the lines of each capture's report, one line per capture that could not
// be analysed, one "kind":"skipped" line per file found in a directory
// that is no capture, and a last "kind":"batch" line that adds them up.
type JSONL struct{}

// jsonlFinding is one finding line. Its field order is the output's.
type jsonlFinding struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Capture       string   `json:"capture"`
	Captures      []string `json:"captures"`
	// Host and CapturedAt are the capture's machine and time, where it
	// gives them, so that a warehouse can count hosts.
	Host        string  `json:"host,omitempty"`
	CapturedAt  string  `json:"captured_at,omitempty"`
	Rank        int     `json:"rank"`
	RuleID      string  `json:"rule_id"`
	Title       string  `json:"title"`
	Severity    string  `json:"severity"`
	Score       float64 `json:"score"`
	Message     string  `json:"message"`
	Fingerprint string  `json:"fingerprint"`
	// Scope is "process" for a finding about one process (then PID,
	// Image and ProcessLine say which) and "snapshot" for one about the
	// whole capture (then they are left out).
	Scope           string            `json:"scope"`
	PID             *uint64           `json:"pid,omitempty"`
	Image           string            `json:"image,omitempty"`
	ProcessLine     string            `json:"process_line,omitempty"`
	Component       string            `json:"component"`
	Vendor          string            `json:"vendor,omitempty"`
	Contact         string            `json:"contact,omitempty"`
	InferredFrom    string            `json:"inferred_from"`
	ComponentReason string            `json:"component_reason"`
	DominantType    string            `json:"dominant_type,omitempty"`
	Evidence        map[string]string `json:"evidence"`
	Locations       []string          `json:"locations"`
	Tags            []string          `json:"tags"`
}

// jsonlSummary is the last line. Its field order is the output's.
type jsonlSummary struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Capture       string   `json:"capture"`
	Captures      []string `json:"captures"`
	Host          string   `json:"host,omitempty"`
	CapturedAt    string   `json:"captured_at,omitempty"`
	Processes     int64    `json:"processes"`
	TotalHandles  int64    `json:"total_handles"`
	// Findings is the number of finding lines written; FindingsTotal is
	// the number before --top cut the list.
	Findings      int   `json:"findings"`
	FindingsTotal int   `json:"findings_total"`
	Baselined     int   `json:"baselined"`
	Suppressed    int   `json:"suppressed"`
	RulesRun      int   `json:"rules_run"`
	Errors        int   `json:"errors"`
	UnknownCounts int64 `json:"unknown_counts"`
	PartialTables int64 `json:"partial_tables"`
	Diagnostics   int   `json:"diagnostics"`
}

// jsonlRuleError is the line of a rule that failed to evaluate, for a
// process or for the capture (scope snapshot: no pid). Its field order is
// the output's.
type jsonlRuleError struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Capture       string   `json:"capture"`
	Captures      []string `json:"captures"`
	RuleID        string   `json:"rule_id"`
	Scope         string   `json:"scope"`
	PID           *uint64  `json:"pid,omitempty"`
	Image         string   `json:"image,omitempty"`
	Message       string   `json:"message"`
	// More counts the further failures of the rule not given a line.
	More int `json:"more"`
}

// jsonlCaptureError is the line of a capture that could not be analysed
// in a batch. Its field order is the output's.
type jsonlCaptureError struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	Capture       string `json:"capture"`
	Error         string `json:"error"`
}

// jsonlSkipped is the line of a file found in a directory that is not a
// capture and was skipped. Its field order is the output's.
type jsonlSkipped struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	File          string `json:"file"`
	Reason        string `json:"reason"`
}

// jsonlBatch is the last line of a batch: its summary. Its field order is
// the output's. Unlike the other lines, its captures is a number.
type jsonlBatch struct {
	SchemaVersion int            `json:"schema_version"`
	Kind          string         `json:"kind"`
	Captures      int            `json:"captures"`
	Analysed      int            `json:"analysed"`
	Failed        int            `json:"failed"`
	Skipped       int            `json:"skipped"`
	WithFindings  int            `json:"with_findings"`
	Findings      int            `json:"findings"`
	BySeverity    map[string]int `json:"by_severity"`
	Processes     int64          `json:"processes"`
	TotalHandles  int64          `json:"total_handles"`
	Baselined     int            `json:"baselined"`
	Suppressed    int            `json:"suppressed"`
	RuleErrors    int            `json:"rule_errors"`
}

// Write implements Reporter.
func (JSONL) Write(w io.Writer, r *engine.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return jsonlReport(enc, r)
}

// WriteBatch implements BatchWriter: in a merge, a "kind":"fleet_group"
// line for each group of the fleet summary; in a worker's report of a
// sharded run, a "kind":"shard" line; then for each report in capture
// order the lines Write gives it, then a "kind":"capture_error" line for each
// capture that could not be analysed, a "kind":"skipped" line for each file
// that is no capture, then a "kind":"batch" line with the batch's summary.
func (j JSONL) WriteBatch(w io.Writer, b *engine.Batch) error {
	return j.WriteStream(w, sliceStream(b))
}

// WriteStream implements StreamWriter.
func (JSONL) WriteStream(w io.Writer, st BatchStream) error {
	b := st.Head
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := JSONLHead(w, b); err != nil {
		return err
	}
	for {
		r, err := st.Next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		if err := jsonlReport(enc, r); err != nil {
			return err
		}
	}
	return JSONLTail(w, b)
}

// JSONLHead writes the lines of a batch before its reports': the fleet
// summary's groups, the shard line. leakdiag merge writes them around the
// reports' lines it copies as they are.
func JSONLHead(w io.Writer, b *engine.Batch) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := jsonlFleetLines(enc, b.Fleet); err != nil {
		return err
	}
	return jsonlShardLine(enc, b.Shard)
}

// JSONLTail writes the lines of a batch after its reports': the captures
// that could not be analysed, the files skipped, the batch line.
func JSONLTail(w io.Writer, b *engine.Batch) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range b.Failed {
		if err := enc.Encode(jsonlCaptureError{SchemaVersion: engine.SchemaVersion, Kind: "capture_error",
			Capture: f.Path, Error: f.Error}); err != nil {
			return err
		}
	}
	if err := jsonlSkippedLines(enc, b.Skipped); err != nil {
		return err
	}
	s := b.Summary
	bySeverity := map[string]int{"error": 0, "warning": 0, "info": 0}
	for sev, n := range s.BySeverity {
		bySeverity[sev] = n
	}
	return enc.Encode(jsonlBatch{
		SchemaVersion: engine.SchemaVersion,
		Kind:          "batch",
		Captures:      s.Captures,
		Analysed:      s.Analysed,
		Failed:        s.Failed,
		Skipped:       s.Skipped,
		WithFindings:  s.WithFindings,
		Findings:      s.Findings,
		BySeverity:    bySeverity,
		Processes:     s.Processes,
		TotalHandles:  s.Handles,
		Baselined:     s.Baselined,
		Suppressed:    s.Suppressed,
		RuleErrors:    s.RuleErrors,
	})
}

// jsonlReport writes the lines of one report: its findings, a
// "kind":"rule_error" line for each rule that failed to evaluate (the
// failures of one rule past the first ten are counted in its last line's
// more), then its summary.
func jsonlReport(enc *json.Encoder, r *engine.Report) error {
	captures := make([]string, 0, len(r.Summary.Sources))
	for _, s := range r.Summary.Sources {
		captures = append(captures, s.Path)
	}
	capture := strings.Join(captures, ", ")

	for _, f := range r.Findings {
		line := jsonlFinding{
			SchemaVersion:   engine.SchemaVersion,
			Kind:            "finding",
			Capture:         capture,
			Captures:        captures,
			Host:            r.Summary.Host,
			CapturedAt:      r.Summary.CapturedAt,
			Rank:            f.Rank,
			RuleID:          f.RuleID,
			Title:           f.Title,
			Severity:        string(f.Severity),
			Score:           f.Score,
			Message:         f.Message,
			Fingerprint:     f.Fingerprint,
			Scope:           "snapshot",
			Component:       f.Component.Name,
			Vendor:          f.Component.Vendor,
			Contact:         f.Component.Contact,
			InferredFrom:    string(f.Component.InferredFrom),
			ComponentReason: f.Component.Reason,
			Evidence:        make(map[string]string, len(f.Evidence)),
			Locations:       make([]string, 0, len(f.Locations)),
			Tags:            f.Tags,
		}
		if p := f.Process; p != nil {
			pid := p.PID
			line.Scope = "process"
			line.PID = &pid
			line.Image = p.Image
			if p.Source.Path != "" {
				line.ProcessLine = p.Source.String()
			}
		}
		if len(f.Types) > 0 {
			line.DominantType = f.Types[0].Type
		}
		for _, e := range f.Evidence {
			line.Evidence[e.Name] = e.Value
		}
		for _, l := range f.Locations {
			line.Locations = append(line.Locations, l.Where())
		}
		if line.Tags == nil {
			line.Tags = []string{}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}

	for _, e := range r.Errors {
		line := jsonlRuleError{SchemaVersion: engine.SchemaVersion, Kind: "rule_error", Capture: capture, Captures: captures,
			RuleID: e.RuleID, Scope: e.Scope, Image: e.Image, Message: e.Message, More: e.More}
		if !e.ForCapture() {
			pid := e.PID
			line.PID = &pid
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}

	s := r.Summary
	if err := jsonlSkippedLines(enc, s.Skipped); err != nil {
		return err
	}
	return enc.Encode(jsonlSummary{
		SchemaVersion: engine.SchemaVersion,
		Kind:          "summary",
		Capture:       capture,
		Captures:      captures,
		Host:          s.Host,
		CapturedAt:    s.CapturedAt,
		Processes:     s.Processes,
		TotalHandles:  s.TotalHandles,
		Findings:      len(r.Findings),
		FindingsTotal: s.FindingsTotal,
		Baselined:     s.Baselined,
		Suppressed:    s.Suppressed,
		RulesRun:      s.RulesRun,
		Errors:        len(r.Errors),
		UnknownCounts: s.UnknownCounts,
		PartialTables: s.PartialTables,
		Diagnostics:   len(s.Diagnostics),
	})
}

// jsonlSkippedLines writes a "kind":"skipped" line for each file skipped
// as no capture.
func jsonlSkippedLines(enc *json.Encoder, skipped []engine.SkippedFile) error {
	for _, f := range skipped {
		if err := enc.Encode(jsonlSkipped{SchemaVersion: engine.SchemaVersion, Kind: "skipped", File: f.Path, Reason: f.Reason}); err != nil {
			return err
		}
	}
	return nil
}
