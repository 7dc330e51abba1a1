package reporters

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
)

// JSONL writes the report as JSON Lines, for loading into a log or
// analytics store (Elasticsearch, Loki, BigQuery): one self-contained, flat
// object per finding in rank order ("kind":"finding"), then one
// "kind":"summary" line. Every line carries the schema version and the
// capture it comes from, and no line holds null.
type JSONL struct{}

// jsonlFinding is one finding line. Its field order is the output's.
type jsonlFinding struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"`
	Capture       string   `json:"capture"`
	Captures      []string `json:"captures"`
	Rank          int      `json:"rank"`
	RuleID        string   `json:"rule_id"`
	Title         string   `json:"title"`
	Severity      string   `json:"severity"`
	Score         float64  `json:"score"`
	Message       string   `json:"message"`
	Fingerprint   string   `json:"fingerprint"`
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

// Write implements Reporter.
func (JSONL) Write(w io.Writer, r *engine.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)

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
			Rank:            f.Rank,
			RuleID:          f.RuleID,
			Title:           f.Title,
			Severity:        f.Severity,
			Score:           f.Score,
			Message:         f.Message,
			Fingerprint:     f.Fingerprint,
			Scope:           "snapshot",
			Component:       f.Component.Name,
			Vendor:          f.Component.Vendor,
			Contact:         f.Component.Contact,
			InferredFrom:    f.Component.InferredFrom,
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
				line.ProcessLine = jsonlPosition(p.Source.Path, p.Source.Line)
			}
		}
		if len(f.Types) > 0 {
			line.DominantType = f.Types[0].Type
		}
		for _, e := range f.Evidence {
			line.Evidence[e.Name] = e.Value
		}
		for _, l := range f.Locations {
			line.Locations = append(line.Locations, jsonlPosition(l.Path, l.Line))
		}
		if line.Tags == nil {
			line.Tags = []string{}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}

	s := r.Summary
	return enc.Encode(jsonlSummary{
		SchemaVersion: engine.SchemaVersion,
		Kind:          "summary",
		Capture:       capture,
		Captures:      captures,
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

// jsonlPosition is a place in a capture as "path:line".
func jsonlPosition(path string, line int64) string {
	return path + ":" + strconv.FormatInt(line, 10)
}
