package reporters_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
)

func writeJSONL(t *testing.T, rep *engine.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (reporters.JSONL{}).Write(&b, rep); err != nil {
		t.Fatalf("JSONL Write: %v", err)
	}
	return b.Bytes()
}

// jsonlLines splits out into its lines, each of which must end with "\n"
// and decode on its own as a JSON object.
func jsonlLines(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	if len(out) == 0 || out[len(out)-1] != '\n' {
		t.Fatalf("output does not end with a newline:\n%q", out)
	}
	var lines []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", i+1, err, line)
		}
		if v == nil {
			t.Fatalf("line %d is null", i+1)
		}
		lines = append(lines, v)
	}
	return lines
}

func TestJSONLLines(t *testing.T) {
	rep := fixedReport(t)
	out := writeJSONL(t, rep)
	lines := jsonlLines(t, out)
	if len(lines) != len(rep.Findings)+len(rep.Errors)+1 {
		t.Fatalf("%d lines, want %d findings, %d rule errors and a summary", len(lines), len(rep.Findings), len(rep.Errors))
	}
	for i, f := range rep.Findings {
		l := lines[i]
		if l["kind"] != "finding" {
			t.Errorf("line %d: kind %v, want finding", i+1, l["kind"])
		}
		if l["schema_version"] != float64(engine.SchemaVersion) {
			t.Errorf("line %d: schema_version %v", i+1, l["schema_version"])
		}
		if l["rank"] != float64(i+1) || l["rule_id"] != f.RuleID || l["fingerprint"] != f.Fingerprint {
			t.Errorf("line %d: rank %v rule %v fingerprint %v; want %d %s %s", i+1, l["rank"], l["rule_id"], l["fingerprint"], i+1, f.RuleID, f.Fingerprint)
		}
		if l["capture"] != "capture.txt" {
			t.Errorf("line %d: capture %v, want capture.txt", i+1, l["capture"])
		}
		if _, ok := l["evidence"].(map[string]any); !ok {
			t.Errorf("line %d: evidence %v is not an object", i+1, l["evidence"])
		}
		for _, k := range []string{"captures", "locations", "tags"} {
			if _, ok := l[k].([]any); !ok {
				t.Errorf("line %d: %s %v is not a list", i+1, k, l[k])
			}
		}
		if f.Process == nil {
			if l["scope"] != "snapshot" {
				t.Errorf("line %d: scope %v, want snapshot", i+1, l["scope"])
			}
			for _, k := range []string{"pid", "image", "process_line"} {
				if _, ok := l[k]; ok {
					t.Errorf("line %d is about the capture but has %s %v", i+1, k, l[k])
				}
			}
		} else if l["scope"] != "process" || l["pid"] != float64(f.Process.PID) || l["image"] != f.Process.Image {
			t.Errorf("line %d: scope %v pid %v image %v; want process %d %s", i+1, l["scope"], l["pid"], l["image"], f.Process.PID, f.Process.Image)
		}
	}
	first := lines[0]
	if first["component"] != "Contoso Agent" || first["vendor"] != "Contoso Ltd." || first["process_line"] != "capture.txt:800" || first["dominant_type"] != "Key" {
		t.Errorf("first line: component %v vendor %v process_line %v dominant_type %v", first["component"], first["vendor"], first["process_line"], first["dominant_type"])
	}
	// The rule that failed, and for which process, is a line of its own.
	wantErr := map[string]any{
		"schema_version": float64(engine.SchemaVersion), "kind": "rule_error", "capture": "capture.txt", "captures": []any{"capture.txt"},
		"rule_id": "T0004", "scope": "process", "pid": float64(4096), "image": "notepad.exe",
		"message": `rule "T0004": division by zero`, "more": float64(0),
	}
	if diff := cmp.Diff(wantErr, lines[len(rep.Findings)]); diff != "" {
		t.Errorf("rule_error line (-want +got):\n%s", diff)
	}
	sum := lines[len(lines)-1]
	want := map[string]any{
		"kind": "summary", "findings": float64(len(rep.Findings)), "findings_total": float64(rep.Summary.FindingsTotal),
		"errors": float64(len(rep.Errors)), "processes": float64(rep.Summary.Processes), "capture": "capture.txt",
	}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("summary %s = %v, want %v", k, sum[k], v)
		}
	}
}

func TestJSONLEmpty(t *testing.T) {
	lines := jsonlLines(t, writeJSONL(t, emptyReport(t)))
	if len(lines) != 1 || lines[0]["kind"] != "summary" {
		t.Fatalf("empty report: %v, want only the summary line", lines)
	}
	if c, ok := lines[0]["captures"].([]any); !ok || len(c) != 0 {
		t.Errorf("empty report: captures %v, want []", lines[0]["captures"])
	}
}

func TestJSONLHasNoNulls(t *testing.T) {
	set := loadRules(t, reportRules)
	cases := map[string]func(*testing.T) *engine.Report{
		"fixed report": fixedReport,
		"empty report": emptyReport,
		"all findings": func(t *testing.T) *engine.Report { return runEngine(t, set, reportSnapshot(), engine.Options{}) },
		"literal": func(*testing.T) *engine.Report {
			// A report made by hand, nil lists and all.
			return &engine.Report{Findings: []engine.Finding{{Rank: 1, RuleID: "X1"}}}
		},
	}
	for name, report := range cases {
		t.Run(name, func(t *testing.T) {
			out := writeJSONL(t, report(t))
			for _, bad := range []string{":null", "[null", ",null"} {
				if bytes.Contains(out, []byte(bad)) {
					t.Errorf("%s in the output:\n%s", bad, out)
				}
			}
			for i, l := range jsonlLines(t, out) {
				if n := jsonlNulls("", l); len(n) > 0 {
					t.Errorf("line %d: null at %s", i+1, strings.Join(n, ", "))
				}
			}
		})
	}
}

// jsonlNulls lists the paths in v whose value is null. Unlike nulls it
// allows objects where the JSON report has lists (evidence) and numbers
// where it has lists (the summary's counts).
func jsonlNulls(path string, v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		for k, e := range x {
			out = append(out, jsonlNulls(path+"."+k, e)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, jsonlNulls(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
	}
	return out
}

// A message with a newline and markup stays on its line, unescaped for
// HTML, and reads back as it was.
func TestJSONLMessageRoundTrips(t *testing.T) {
	msg := "first line\nsecond <script>alert(1)</script> & \"quoted\"\u2028end"
	rep := &engine.Report{
		SchemaVersion: engine.SchemaVersion,
		Findings: []engine.Finding{{
			Rank: 1, RuleID: "X1", Title: "t", Severity: "warning", Message: msg, Fingerprint: "fp",
			Process:   &engine.ProcessRef{PID: 0, Image: "System Idle Process", Source: facts.Position{Path: "a.txt", Line: 3}},
			Component: engine.Component{Name: "c", InferredFrom: "image", Reason: "r"},
			Evidence:  []engine.Evidence{{Name: "n", Value: "v\r\nw"}},
			Locations: []engine.Location{{Path: "a.txt", Line: 4, What: "w"}},
			Types:     []engine.TypeCount{{Type: "Event", Count: 3}},
		}},
		Summary: engine.Summary{Sources: []facts.Source{{Path: "a.txt"}, {Path: "b.txt"}}},
	}
	out := writeJSONL(t, rep)
	if n := bytes.Count(out, []byte("\n")); n != 2 {
		t.Fatalf("%d lines, want 2:\n%s", n, out)
	}
	if !bytes.Contains(out, []byte("<script>")) {
		t.Errorf("markup was escaped:\n%s", out)
	}
	lines := jsonlLines(t, out)
	l := lines[0]
	if l["message"] != msg {
		t.Errorf("message = %q, want %q", l["message"], msg)
	}
	if l["pid"] != float64(0) || l["scope"] != "process" {
		t.Errorf("pid 0: pid %v scope %v", l["pid"], l["scope"])
	}
	if l["capture"] != "a.txt, b.txt" {
		t.Errorf("capture = %v, want \"a.txt, b.txt\"", l["capture"])
	}
	if diff := cmp.Diff(map[string]any{"n": "v\r\nw"}, l["evidence"]); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"a.txt:4"}, l["locations"]); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
}

func TestJSONLBatchGolden(t *testing.T) {
	checkGolden(t, "batch.jsonl", writeBatch(t, reporters.JSONL{}, testBatch(t)))
}

// A batch is each report's lines as Write gives them, a line per capture
// that could not be analysed, and a batch line that adds the reports up.
func TestJSONLBatch(t *testing.T) {
	var _ reporters.BatchWriter = reporters.JSONL{}
	b := testBatch(t)
	out := writeBatch(t, reporters.JSONL{}, b)

	var want bytes.Buffer
	for _, rep := range b.Reports {
		want.Write(writeJSONL(t, rep))
	}
	if !bytes.HasPrefix(out, want.Bytes()) {
		t.Errorf("the batch does not start with the reports' lines as Write gives them:\n%s", out)
	}

	lines := jsonlLines(t, out)
	var (
		summaries, withFindings, findings, ruleErrors, errorLines, baselined, suppressed int
		processes, handles                                                               float64
		failed, skipped                                                                  []any
	)
	bySeverity := map[string]any{"error": float64(0), "warning": float64(0), "info": float64(0)}
	for i, l := range lines[:len(lines)-1] {
		if l["schema_version"] != float64(engine.SchemaVersion) {
			t.Errorf("line %d: schema_version %v", i+1, l["schema_version"])
		}
		switch l["kind"] {
		case "finding":
			sev := l["severity"].(string)
			bySeverity[sev] = bySeverity[sev].(float64) + 1
		case "summary":
			summaries++
			n := int(l["findings"].(float64))
			findings += n
			if n > 0 {
				withFindings++
			}
			ruleErrors += int(l["errors"].(float64))
			baselined += int(l["baselined"].(float64))
			suppressed += int(l["suppressed"].(float64))
			processes += l["processes"].(float64)
			handles += l["total_handles"].(float64)
		case "rule_error":
			errorLines++
		case "capture_error":
			failed = append(failed, l["capture"])
			if l["error"] != b.Failed[0].Error {
				t.Errorf("line %d: error %v, want %q", i+1, l["error"], b.Failed[0].Error)
			}
		case "skipped":
			skipped = append(skipped, l["file"])
			if l["reason"] != b.Skipped[0].Reason {
				t.Errorf("line %d: reason %v, want %q", i+1, l["reason"], b.Skipped[0].Reason)
			}
		default:
			t.Errorf("line %d: kind %v", i+1, l["kind"])
		}
	}
	if diff := cmp.Diff([]any{"notes/README.md"}, skipped); diff != "" {
		t.Errorf("skipped lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"broken.txt"}, failed); diff != "" {
		t.Errorf("capture_error lines (-want +got):\n%s", diff)
	}
	wantBatch := map[string]any{
		"schema_version": float64(engine.SchemaVersion), "kind": "batch",
		"captures": float64(summaries + len(failed)), "analysed": float64(summaries), "failed": float64(len(failed)),
		"skipped": float64(len(skipped)), "with_findings": float64(withFindings), "findings": float64(findings), "by_severity": bySeverity,
		"processes": processes, "total_handles": handles,
		"baselined": float64(baselined), "suppressed": float64(suppressed), "rule_errors": float64(ruleErrors),
	}
	if diff := cmp.Diff(wantBatch, lines[len(lines)-1]); diff != "" {
		t.Errorf("batch line (-want +got):\n%s", diff)
	}
	if errorLines != ruleErrors {
		t.Errorf("%d rule_error lines, want one for each of the %d rule errors", errorLines, ruleErrors)
	}
	if summaries != 3 || findings != 12 || withFindings != 2 || ruleErrors != 2 {
		t.Errorf("fixture: %d reports, %d findings in %d, %d rule errors; want 3, 12 in 2, 2", summaries, findings, withFindings, ruleErrors)
	}
}

func TestJSONLBatchHasNoNulls(t *testing.T) {
	for name, b := range map[string]*engine.Batch{
		"batch": testBatch(t),
		"none":  engine.NewBatch(nil, nil, nil),
		// A batch made by hand, nil lists and maps and all.
		"literal": {Reports: []*engine.Report{nil, {Findings: []engine.Finding{{Rank: 1, RuleID: "X1"}}}},
			Failed: []engine.CaptureError{{}}, Skipped: []engine.SkippedFile{{}}},
	} {
		t.Run(name, func(t *testing.T) {
			out := writeBatch(t, reporters.JSONL{}, b)
			for _, bad := range []string{":null", "[null", ",null"} {
				if bytes.Contains(out, []byte(bad)) {
					t.Errorf("%s in the output:\n%s", bad, out)
				}
			}
			lines := jsonlLines(t, out)
			for i, l := range lines {
				if n := jsonlNulls("", l); len(n) > 0 {
					t.Errorf("line %d: null at %s", i+1, strings.Join(n, ", "))
				}
			}
			if last := lines[len(lines)-1]; last["kind"] != "batch" {
				t.Errorf("last line is %v, want the batch line", last)
			}
		})
	}
}
