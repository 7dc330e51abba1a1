package engine

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
	"github.com/leakdiag/leakdiag/severity"
)

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
	// Suppressions says what each suppression entry did: hid findings,
	// matched none, or expired.
	Suppressions []SuppressionStatus `json:"suppressions"`
}

// Summary describes the snapshot the findings come from.
type Summary struct {
	// Series, for a run over a series of captures of one machine, lists
	// them; the findings are on the last, with growth known.
	Series *Series `json:"series,omitempty"`
	// Skipped are the files found in the directories given that are not
	// captures, when the run over them gave one report (a series).
	Skipped []SkippedFile `json:"skipped,omitempty"`
	// Host, OSVersion and CapturedAt are what the capture says of the
	// machine and the moment it was taken, where it says so, for reports
	// sent to a vendor.
	Host          string             `json:"host,omitempty"`
	OSVersion     string             `json:"os_version,omitempty"`
	CapturedAt    string             `json:"captured_at,omitempty"`
	Processes     int64              `json:"processes"`
	TotalHandles  int64              `json:"total_handles"`
	HandlesParsed int64              `json:"handles_parsed"`
	Sources       []facts.Source     `json:"sources"`
	Diagnostics   []facts.Diagnostic `json:"diagnostics"`
	RulesRun      int                `json:"rules_run"`
	// FindingsTotal is the number of findings before --top cut the list.
	FindingsTotal int `json:"findings_total"`
	// Baselined and Suppressed count the findings left out because the
	// baseline report already had them or a suppression accepts them.
	Baselined  int `json:"baselined"`
	Suppressed int `json:"suppressed"`
	// UnknownCounts and PartialTables say how complete the capture is:
	// processes whose handle count it does not give, and handle dumps
	// that show fewer handles than their tables hold.
	UnknownCounts int64 `json:"unknown_counts"`
	PartialTables int64 `json:"partial_tables"`
	// TopProcesses are the processes with the most handles, most first.
	TopProcesses []ProcessCount `json:"top_processes"`
	// Rules are the rules that ran, in definition order.
	Rules []RuleRef `json:"rules"`
}

// TopProcessesLimit is how many processes Summary.TopProcesses lists.
const TopProcessesLimit = facts.TopProcessesLimit

// ProcessCount is a process and its handle count, for charts.
type ProcessCount struct {
	PID     uint64 `json:"pid"`
	Image   string `json:"image"`
	Handles int64  `json:"handles"`
	// Known is false when the capture gives no count and Handles is what
	// it shows.
	Known bool `json:"known"`
}

// RuleRef names a rule that ran and where it was defined.
type RuleRef struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Severity severity.Level `json:"severity"`
	Scope    string         `json:"scope"`
	Lang     string         `json:"lang"`
	Defined  string         `json:"defined"`
	// Remediation, References and Tags are the rule's, for reports that
	// describe the rules they ran (SARIF, JUnit).
	Remediation string   `json:"remediation,omitempty"`
	References  []string `json:"references"`
	Tags        []string `json:"tags"`
}

// TypeCount is a number of handles of one type.
type TypeCount struct {
	Type  string `json:"type"`
	Count int64  `json:"count"`
}

// Finding is one rule that fired, for one process or for the capture.
type Finding struct {
	Rank     int            `json:"rank"`
	RuleID   string         `json:"rule_id"`
	Title    string         `json:"title"`
	Severity severity.Level `json:"severity"`
	Score    float64        `json:"score"`
	Message  string         `json:"message"`
	// Fingerprint identifies the finding across captures: the same rule,
	// image, component and dominant type give the same fingerprint
	// whatever the pids, counts and line numbers (see fingerprint).
	Fingerprint string `json:"fingerprint"`
	// Process is the suspect, nil for a finding about the whole capture.
	Process   *ProcessRef `json:"process"`
	Component Component   `json:"component"`
	Evidence  []Evidence  `json:"evidence"`
	Locations []Location  `json:"locations"`
	// Types, Names and Stacks detail the suspect: its handles by type
	// (most first), the names it holds most handles to, and the stacks
	// that opened the handles it still holds (at most five).
	Types       []TypeCount       `json:"types"`
	Names       []facts.NameCount `json:"names"`
	Stacks      []facts.Stack     `json:"stacks"`
	Remediation string            `json:"remediation,omitempty"`
	References  []string          `json:"references"`
	Tags        []string          `json:"tags"`
}

// ProcessRef names the suspect process and where the capture shows it.
type ProcessRef struct {
	PID   uint64 `json:"pid"`
	Image string `json:"image"`
	// Path is the executable's full path where the capture gives it.
	Path    string         `json:"path,omitempty"`
	Address string         `json:"address,omitempty"`
	Source  facts.Position `json:"source"`
}

// Component is who is behind a finding, and how leakdiag concluded so.
type Component struct {
	Name    string `json:"name"`
	Vendor  string `json:"vendor,omitempty"`
	Contact string `json:"contact,omitempty"`
	// InferredFrom is the kind of evidence that named it (the Inferred*
	// constants).
	InferredFrom Inference `json:"inferred_from"`
	// Frame is the blamed stack frame ("contosohook!OpenSession+0x2c")
	// and Callers the frames below it, callers first, when the stacks
	// named the component; empty otherwise.
	Frame   string   `json:"frame,omitempty"`
	Callers []string `json:"callers,omitempty"`
	// Reason says it in a sentence, with the numbers.
	Reason string `json:"reason"`
}

// Inference is how a component was named (Component.InferredFrom).
type Inference string

// The ways a component is named, from the strongest evidence to the
// weakest.
const (
	// InferredStackOwner: the stacks' blamed frame, in a module an owner
	// entry assigns.
	InferredStackOwner Inference = "stack+owner:module"
	// InferredStack: the stacks' blamed frame's module.
	InferredStack Inference = "stack"
	// InferredVerifierOwner: the DLL an Application Verifier stop names
	// as the owner of the leaked handle, which an owner entry assigns;
	// InferredVerifier: that DLL alone.
	InferredVerifierOwner Inference = "verifier+owner:module"
	InferredVerifier      Inference = "verifier:owner_dll"
	// InferredOwnerName: an owner entry for the object name the process
	// holds most handles to.
	InferredOwnerName Inference = "owner:object_name"
	// InferredOwnerImage: an owner entry for the process image.
	InferredOwnerImage Inference = "owner:image"
	// InferredRegistry and InferredPath: a vendor's registry key or
	// installation folder in the name the process holds most handles to.
	InferredRegistry Inference = "object_name:registry"
	InferredPath     Inference = "object_name:path"
	// InferredPrefix: a guess from the start of that name alone.
	InferredPrefix Inference = "object_name:prefix"
	// InferredCommandLine: what a host process (svchost.exe, w3wp.exe,
	// java, python...) runs, as its command line names it: a service, an
	// application pool, a jar, a script.
	InferredCommandLine Inference = "cmdline"
	// InferredServices: the Windows services a svchost.exe hosts, as the
	// capture lists them (tasklist /svc).
	InferredServices Inference = "services"
	// InferredImagePath: the process image is the suspect, and the
	// folder its executable is in names its vendor or package.
	InferredImagePath Inference = "image:path"
	// InferredImage: nothing better; the process image is the suspect.
	InferredImage Inference = "image"
	// InferredRuleOwner: a snapshot-scope rule's component template named
	// a module (a driver) from the capture's facts, which an owner entry
	// assigns; InferredRule: the module alone.
	InferredRuleOwner Inference = "rule+owner:module"
	InferredRule      Inference = "rule"
	// InferredCapture: a finding about the whole capture, no process, and
	// the rule names no component.
	InferredCapture Inference = "capture"
)

// FromStacks says the stacks named the component (Frame is set).
func (i Inference) FromStacks() bool { return i == InferredStack || i == InferredStackOwner }

// Evidence is one key number of a finding.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Location is a place in the capture a finding rests on.
type Location struct {
	Path string `json:"path"`
	Line int64  `json:"line"`
	// Offset is the byte offset in a binary capture, whose Line is 0.
	Offset int64  `json:"offset,omitempty"`
	What   string `json:"what"`
	// Text is the line as the capture has it, when it could be read
	// again (Options.Quote).
	Text string `json:"text,omitempty"`
}

// RuleError is a rule that could not be evaluated for a process, or for
// the capture (Scope "snapshot", PID 0). Its findings there are unknown,
// so a report with errors is no pass: the CLI exits 2.
type RuleError struct {
	RuleID string `json:"rule_id"`
	// Scope is the rule's: "process" (PID and Image say which) or
	// "snapshot".
	Scope   string `json:"scope"`
	PID     uint64 `json:"pid"`
	Image   string `json:"image,omitempty"`
	Message string `json:"message"`
	// More counts the further failures of the same rule not listed.
	More int `json:"more,omitempty"`
}

// ForCapture reports whether the rule failed for the capture as a whole
// (a snapshot-scope rule) rather than for one process.
func (e RuleError) ForCapture() bool { return e.Scope == rules.ScopeSnapshot }

// Who says what the rule failed for: "pid 4096 (notepad.exe)", or "the
// capture".
func (e RuleError) Who() string {
	if e.ForCapture() {
		return "the capture"
	}
	if e.Image == "" {
		return fmt.Sprintf("pid %d", e.PID)
	}
	return fmt.Sprintf("pid %d (%s)", e.PID, e.Image)
}

// FailedRules lists the rules that failed to evaluate, each once, in the
// order of their first failure.
func (r *Report) FailedRules() []string {
	var ids []string
	seen := map[string]bool{}
	for _, e := range r.Errors {
		if !seen[e.RuleID] {
			seen[e.RuleID] = true
			ids = append(ids, e.RuleID)
		}
	}
	return ids
}

// Where is the location as reports show it: path:line, or path@0xoffset
// in a binary capture.
func (l Location) Where() string {
	return facts.Position{Path: l.Path, Line: l.Line, Offset: l.Offset}.String()
}

// Series describes the captures of a series run.
type Series struct {
	Points []DiffPoint `json:"points"`
	// Reason says why the captures were read as one machine over time
	// (facts.Series.Why), when leakdiag decided it.
	Reason string `json:"reason,omitempty"`
	// Hours from the first capture to the last (0 when times are unknown).
	Hours float64 `json:"hours"`
	// Growth is the handle count of each suspect (a process with a
	// finding, best-ranked first) at each capture, for charts.
	Growth []ProcessGrowth `json:"growth"`
}

// ProcessGrowth is one process's handle count at each capture of a
// series: UnknownCount where the capture does not give it, Absent where
// the process is not in it.
type ProcessGrowth struct {
	PID    uint64  `json:"pid"`
	Image  string  `json:"image"`
	Counts []int64 `json:"counts"`
}

// Absent stands in ProcessGrowth.Counts for a capture that does not
// show the process (it had not started, or had exited).
const Absent = -2

// BySeverity counts the report's findings by severity, every severity
// present, zeros included.
func (r *Report) BySeverity() map[severity.Level]int {
	n := make(map[severity.Level]int, len(severity.All))
	for _, sev := range severity.All {
		n[sev] = 0
	}
	for _, f := range r.Findings {
		n[f.Severity]++
	}
	return n
}
