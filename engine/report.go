package engine

import "github.com/leakdiag/leakdiag/facts"

// SchemaVersion is the version of the report's JSON form.
const SchemaVersion = 1

// Report is the result of a run: findings in rank order and what was read.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Findings      []Finding `json:"findings"`
	Summary       Summary   `json:"summary"`
	// Errors are rules that failed to evaluate (over their cost limit,
	// say): reported, never silently skipped.
	Errors []RuleError `json:"errors"`
}

// Summary describes the snapshot the findings come from.
type Summary struct {
	Processes     int64              `json:"processes"`
	TotalHandles  int64              `json:"total_handles"`
	HandlesParsed int64              `json:"handles_parsed"`
	Sources       []facts.Source     `json:"sources"`
	Diagnostics   []facts.Diagnostic `json:"diagnostics"`
	RulesRun      int                `json:"rules_run"`
	// FindingsTotal is the number of findings before --top cut the list.
	FindingsTotal int `json:"findings_total"`
}

// Finding is one rule that fired, for one process or for the capture.
type Finding struct {
	Rank     int     `json:"rank"`
	RuleID   string  `json:"rule_id"`
	Title    string  `json:"title"`
	Severity string  `json:"severity"`
	Score    float64 `json:"score"`
	Message  string  `json:"message"`
	// Process is the suspect, nil for a finding about the whole capture.
	Process     *ProcessRef `json:"process"`
	Component   Component   `json:"component"`
	Evidence    []Evidence  `json:"evidence"`
	Locations   []Location  `json:"locations"`
	Remediation string      `json:"remediation,omitempty"`
	References  []string    `json:"references"`
	Tags        []string    `json:"tags"`
}

// ProcessRef names the suspect process and where the capture shows it.
type ProcessRef struct {
	PID     uint64         `json:"pid"`
	Image   string         `json:"image"`
	Address string         `json:"address,omitempty"`
	Source  facts.Position `json:"source"`
}

// Component is who is behind a finding, and how leakdiag concluded so.
type Component struct {
	Name    string `json:"name"`
	Vendor  string `json:"vendor,omitempty"`
	Contact string `json:"contact,omitempty"`
	// InferredFrom is the kind of evidence: "owner:object_name",
	// "owner:image", "object_name:registry", "object_name:path",
	// "object_name:prefix" (a guess from a named object's name) or
	// "image".
	InferredFrom string `json:"inferred_from"`
	// Reason says it in a sentence, with the numbers.
	Reason string `json:"reason"`
}

// Evidence is one key number of a finding.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Location is a place in the capture a finding rests on.
type Location struct {
	Path string `json:"path"`
	Line int64  `json:"line"`
	What string `json:"what"`
	// Text is the line as the capture has it, when it could be read
	// again (Options.Quote).
	Text string `json:"text,omitempty"`
}

// RuleError is a rule that could not be evaluated for a process.
type RuleError struct {
	RuleID  string `json:"rule_id"`
	PID     uint64 `json:"pid"`
	Message string `json:"message"`
	// More counts the further failures of the same rule not listed.
	More int `json:"more,omitempty"`
}
